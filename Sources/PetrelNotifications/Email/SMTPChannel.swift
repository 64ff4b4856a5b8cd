import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PetrelRuntime

/// E-mail over SMTP: STARTTLS (default, port 587), implicit TLS (`tls`, port 465) or, only to a
/// loopback server, plain (`none`); AUTH PLAIN or LOGIN when a user name is set; one multipart message
/// (plain text and HTML) to every recipient. Certificates are verified against the system roots, or
/// against `ca_file` (a private mail server's CA).
public struct SMTPChannel: NotificationChannel {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        case starttls
        case tls
        case none
    }

    public let name = "email"
    public let host: String
    public let port: Int
    public let security: Security
    public let username: String?
    let password: String?
    public let from: String
    public let to: [String]
    let caFile: String?

    /// - Throws: ``NotificationSetupError`` for a missing host, sender or recipient, a password without a
    ///   user name, or `none` to a server that is not on this machine.
    public init(
        host: String, port: Int?, security: Security, username: String?, password: String?, from: String,
        to: [String], caFile: String? = nil
    ) throws(NotificationSetupError) {
        guard !host.isEmpty else { throw NotificationSetupError("email: smtp_host is required") }
        guard !from.isEmpty else { throw NotificationSetupError("email: from is required") }
        guard !to.isEmpty else { throw NotificationSetupError("email: to is required") }
        if password != nil && (username ?? "").isEmpty {
            throw NotificationSetupError("email: a password needs a username")
        }
        if security == .none && !["localhost", "127.0.0.1", "::1"].contains(host) {
            throw NotificationSetupError(
                "email: security 'none' sends the password and mail unencrypted; it is allowed only to localhost (use starttls or tls)"
            )
        }
        self.host = host
        self.port = port ?? (security == .tls ? 465 : 587)
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.to = to
        self.caFile = caFile
    }

    public func send(_ notification: NotificationMessage) async throws(DeliveryError) {
        let message = Self.mime(notification, from: from, to: to, date: Date())
        do {
            try await deliver(message)
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw .retryable(
                "the mail server \(host):\(port) could not be reached: \(Self.redacted("\(error)", password))")
        }
    }

    func tlsHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: host)
    }

    func deliver(_ message: String) async throws {
        let implicit = security == .tls
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit { try channel.pipeline.syncOperations.addHandler(try self.tlsHandler()) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                inbound: inbound.makeAsyncIterator(), outbound: outbound, secrets: [password ?? ""])
            _ = try await session.expect(220, after: nil)
            var features = try await session.command("EHLO petrel.localhost", expect: 250)
            if security == .starttls {
                guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw DeliveryError.rejected(
                        "the mail server \(host) does not offer STARTTLS (set security to tls, or none for localhost)")
                }
                _ = try await session.command("STARTTLS", expect: 220)
                let raw = channel.channel
                try await raw.eventLoop.submit { [self] in
                    try raw.pipeline.syncOperations.addHandler(try self.tlsHandler(), position: .first)
                }.get()
                features = try await session.command("EHLO petrel.localhost", expect: 250)
            }
            if let username, !username.isEmpty {
                let password = self.password ?? ""
                let auth = features.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
                if auth.contains("PLAIN") {
                    let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                    session.secrets.append(token)
                    _ = try await session.command("AUTH PLAIN \(token)", expect: 235, shown: "AUTH PLAIN ***")
                } else if auth.contains("LOGIN") {
                    _ = try await session.command("AUTH LOGIN", expect: 334)
                    _ = try await session.command(Data(username.utf8).base64EncodedString(), expect: 334)
                    let secret = Data(password.utf8).base64EncodedString()
                    session.secrets.append(secret)
                    _ = try await session.command(secret, expect: 235, shown: "***")
                } else {
                    throw DeliveryError.rejected("the mail server \(host) offers neither AUTH PLAIN nor AUTH LOGIN")
                }
            }
            _ = try await session.command("MAIL FROM:<\(from)>", expect: 250)
            for recipient in to { _ = try await session.command("RCPT TO:<\(recipient)>", expect: 250) }
            _ = try await session.command("DATA", expect: 354)
            _ = try await session.command(Self.dotStuffed(message) + "\r\n.", expect: 250, shown: "(message)")
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    /// Lines starting with `.` get another `.` (RFC 5321 §4.5.2).
    static func dotStuffed(_ message: String) -> String {
        message.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }

    /// A multipart/alternative message: the plain text and an HTML version, UTF-8, quoted-printable free
    /// (base64 bodies), with the subject encoded as RFC 2047 when it is not ASCII.
    static func mime(_ notification: NotificationMessage, from: String, to: [String], date: Date) -> String {
        let boundary = "petrel-" + UUID().uuidString
        var text = notification.plainText
        if let bot = notification.botID { text += "\nbot \(bot)" }
        var html = "<html><body><h3>\(TelegramChannel.escape(notification.title))</h3>"
        if !notification.body.isEmpty {
            html += "<p>\(TelegramChannel.escape(notification.body).replacingOccurrences(of: "\n", with: "<br>"))</p>"
        }
        if !notification.fields.isEmpty {
            html += "<table>"
            for field in notification.fields {
                html +=
                    "<tr><th align=\"left\">\(TelegramChannel.escape(field.name))</th><td>\(TelegramChannel.escape(field.value))</td></tr>"
            }
            html += "</table>"
        }
        if let bot = notification.botID { html += "<p><i>bot \(TelegramChannel.escape(bot))</i></p>" }
        html += "</body></html>"
        let subject = "[Petrel] \(notification.title)"
        let encodedSubject =
            subject.allSatisfy(\.isASCII) ? subject : "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        func base64(_ text: String) -> String {
            Data(text.utf8).base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ])
        }
        return [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(encodedSubject)",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(UUID().uuidString)@petrel>",
            "MIME-Version: 1.0", "X-Petrel-Event: \(notification.event.rawValue)",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "",
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
            base64(text), "--\(boundary)", "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", base64(html), "--\(boundary)--",
        ].joined(separator: "\r\n")
    }

    static func redacted(_ text: String, _ password: String?) -> String {
        NotificationHTTP.redact(text, [password ?? ""])
    }
}

/// One SMTP conversation: commands out, numbered replies in (multi-line replies joined).
struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var secrets: [String]
    var buffer = ""

    init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, secrets: [String]
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.secrets = secrets
    }

    /// Sends `line` and reads the reply; a reply other than `code` is a rejection (4xx: retryable).
    /// - Returns: the reply's lines without their codes (EHLO's extensions).
    mutating func command(_ line: String, expect code: Int, shown: String? = nil) async throws -> [String] {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await expect(code, after: shown ?? line)
    }

    mutating func expect(_ code: Int, after command: String?) async throws -> [String] {
        var lines: [String] = []
        while true {
            let line = try await readLine()
            guard line.count >= 3, let number = Int(line.prefix(3)) else {
                throw DeliveryError.retryable("the mail server sent a malformed reply")
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                guard number == code else {
                    let text = NotificationHTTP.redact("\(number) \(lines.joined(separator: " "))", secrets)
                    let what = command.map { " to \(NotificationHTTP.redact($0, secrets))" } ?? ""
                    if (400..<500).contains(number) {
                        throw DeliveryError.retryable("the mail server answered \(text)\(what)")
                    }
                    throw DeliveryError.rejected("the mail server answered \(text)\(what)")
                }
                return lines
            }
        }
    }

    mutating func readLine() async throws -> String {
        while true {
            if let range = buffer.range(of: "\r\n") {
                let line = String(buffer[..<range.lowerBound])
                buffer.removeSubrange(..<range.upperBound)
                return line
            }
            guard var chunk = try await inbound.next() else {
                throw DeliveryError.retryable("the mail server closed the connection")
            }
            buffer += chunk.readString(length: chunk.readableBytes) ?? ""
            if buffer.utf8.count > 1 << 20 { throw DeliveryError.retryable("the mail server's reply is too long") }
        }
    }
}
