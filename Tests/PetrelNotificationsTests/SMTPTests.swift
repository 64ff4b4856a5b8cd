import Foundation
import PetrelNotifications
import PetrelRuntime
import PetrelTestSupport
import Testing

/// A real SMTP server (Python's aiosmtpd, `Tests/mail/smtp_peer.py`) on loopback that records each mail.
final class SMTPPeer: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let outbox: URL
    let port: Int

    /// A self-signed certificate for `localhost` (cert, key) in `directory`.
    static func certificate(in directory: URL) throws -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
            "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw FakeFailure("openssl could not make a certificate") }
        return (cert, key)
    }

    init(_ arguments: [String], directory: URL) throws {
        outbox = directory.appendingPathComponent("outbox")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mail/smtp_peer.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, outbox.path] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5))
        else {
            process.terminate()
            throw FakeFailure("the SMTP peer did not start (is aiosmtpd installed? pip install aiosmtpd): \(text)")
        }
        self.port = port
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The recorded mails, in order.
    var mails: [[String: Any]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []
        return files.sorted { (Int($0.split(separator: ".")[0]) ?? 0) < (Int($1.split(separator: ".")[0]) ?? 0) }
            .compactMap { name in
                (try? Data(contentsOf: outbox.appendingPathComponent(name)))
                    .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            }
    }

    /// The base64 bodies of a multipart mail, decoded.
    static func parts(_ data: String) -> [String] {
        data.components(separatedBy: "Content-Transfer-Encoding: base64").dropFirst().compactMap { section in
            let body = section.components(separatedBy: "--petrel-").first ?? ""
            let compact = body.components(separatedBy: .whitespacesAndNewlines).joined()
            return Data(base64Encoded: compact).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

@Suite("E-mail over SMTP against aiosmtpd", .serialized)
struct SMTPTests {
    static let message = NotificationMessage(
        event: .tradeExit, botID: "bot-1", title: "Closed long 0.5 BTC/USDT at 31000",
        body: "take profit\n.a line that starts with a dot", fields: [.init("P&L", "+500 USDT")], timestamp: 1)

    static func deliver(_ channel: SMTPChannel) async -> DeliveryError? {
        do {
            try await channel.send(message)
            return nil
        } catch {
            return error
        }
    }

    @Test("STARTTLS, AUTH, two recipients, a multipart text and HTML mail with the dot line intact")
    func starttls() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-smtp")
        let (cert, key) = try SMTPPeer.certificate(in: directory)
        let peer = try SMTPPeer(["--starttls", cert, key, "--auth", "alice", "s3cret-pw"], directory: directory)
        defer { peer.stop() }
        let channel = try SMTPChannel(
            host: "localhost", port: peer.port, security: .starttls, username: "alice", password: "s3cret-pw",
            from: "petrel@example.com", to: ["ops@example.com", "risk@example.com"], caFile: cert)
        #expect(await Self.deliver(channel) == nil)
        let mail = try #require(peer.mails.first)
        #expect(mail["mail_from"] as? String == "petrel@example.com")
        #expect(mail["rcpt_tos"] as? [String] == ["ops@example.com", "risk@example.com"])
        #expect(mail["auth_user"] as? String == "alice" && mail["tls"] as? Bool == true)
        let data = try #require(mail["data"] as? String)
        #expect(data.contains("Subject: [Petrel] Closed long 0.5 BTC/USDT at 31000"))
        #expect(data.contains("multipart/alternative") && data.contains("X-Petrel-Event: trade_exit"))
        let parts = SMTPPeer.parts(data)
        #expect(parts.count == 2)
        #expect(parts.first?.contains("P&L: +500 USDT") == true)
        #expect(parts.first?.contains("\n.a line that starts with a dot") == true)
        #expect(parts.last?.contains("<th align=\"left\">P&amp;L</th><td>+500 USDT</td>") == true)

        let wrong = try SMTPChannel(
            host: "localhost", port: peer.port, security: .starttls, username: "alice", password: "not-it-9",
            from: "petrel@example.com", to: ["ops@example.com"], caFile: cert)
        guard case .rejected(let why)? = await Self.deliver(wrong) else {
            Issue.record("a wrong password must be rejected")
            return
        }
        #expect(why.contains("535") && !why.contains("not-it-9"))

        let untrusted = try SMTPChannel(
            host: "localhost", port: peer.port, security: .starttls, username: "alice", password: "s3cret-pw",
            from: "petrel@example.com", to: ["ops@example.com"])
        #expect(await Self.deliver(untrusted) != nil)
        #expect(peer.mails.count == 1)
    }

    @Test("implicit TLS (port 465 style) delivers over TLS")
    func implicitTLS() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-smtps")
        let (cert, key) = try SMTPPeer.certificate(in: directory)
        let peer = try SMTPPeer(["--implicit-tls", cert, key, "--auth", "bob", "pw-123456"], directory: directory)
        defer { peer.stop() }
        let channel = try SMTPChannel(
            host: "localhost", port: peer.port, security: .tls, username: "bob", password: "pw-123456",
            from: "petrel@example.com", to: ["ops@example.com"], caFile: cert)
        let error = await Self.deliver(channel)
        #expect(error == nil, "\(String(describing: error))")
        #expect(peer.mails.first?["tls"] as? Bool == true && peer.mails.first?["auth_user"] as? String == "bob")
    }

    @Test("a server without STARTTLS is refused unless security is none, which only localhost may use")
    func plain() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-smtp-plain")
        let peer = try SMTPPeer([], directory: directory)
        defer { peer.stop() }
        let starttls = try SMTPChannel(
            host: "localhost", port: peer.port, security: .starttls, username: nil, password: nil,
            from: "petrel@example.com", to: ["ops@example.com"])
        guard case .rejected(let why)? = await Self.deliver(starttls) else {
            Issue.record("a server without STARTTLS must be refused")
            return
        }
        #expect(why.contains("does not offer STARTTLS"))
        let plain = try SMTPChannel(
            host: "127.0.0.1", port: peer.port, security: .none, username: nil, password: nil,
            from: "petrel@example.com", to: ["ops@example.com"])
        #expect(await Self.deliver(plain) == nil)
        #expect(peer.mails.first?["tls"] as? Bool == false)
        #expect(throws: NotificationSetupError.self) {
            try SMTPChannel(
                host: "mail.example.com", port: 25, security: .none, username: nil, password: nil,
                from: "a@example.com", to: ["b@example.com"])
        }
    }
}
