import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import PetrelTestSupport
import Testing

/// `/api/v1/settings/notifications`: the server's channels stored with their secrets sealed, edited
/// through the API and in force at once.
@Suite("Server notification settings")
struct NotificationSettingsTests {
    typealias S = ServerNotificationTests
    static let path = "/api/v1/settings/notifications"
    static let secret = "77:sealed-secret-token"

    static func telegram(chat: Int, token: String? = secret, events: String = #"["error", "status"]"#) -> String {
        let tokenMember = token.map { #", "bot_token": "\#($0)""# } ?? ""
        return
            #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "notify_on": \#(events), "chat_ids": [\#(chat)]\#(tokenMember)}}}"#
    }

    /// Every byte of the database's files (the main file and its write-ahead log).
    static func databaseBytes(_ runner: PetrelServerRunner) -> Data {
        let location = runner.services.database.location
        return [location, location + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .reduce(Data(), +)
    }

    /// A server without a channels file beside a fake Telegram, with the administrator's token; `stored`
    /// first stores a Telegram channel (chat 5) through the API.
    static func withServer(
        stored: Bool, environment: [String: String] = [:],
        _ body: @Sendable (PetrelServerRunner, any TestClientProtocol, String, FakeService) async throws -> Void
    ) async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        try await fake.run { port in
            try await S.withServer(notifications: nil, telegram: port, environment: environment) { runner, client in
                let token = try await S.login(client)
                if stored {
                    let reply = try await S.call(client, .put, Self.path, token: token, json: Self.telegram(chat: 5))
                    #expect(reply.status == .ok, "\(reply.object)")
                }
                try await body(runner, client, token, fake)
            }
        }
    }

    @Test("PUT seals the secret (never shown, never stored in the clear) and send_alert uses the channels at once")
    func storeAndSend() async throws {
        try await Self.withServer(stored: false) { runner, client, token, fake in
            let empty = try await S.call(client, .get, Self.path, token: token)
            #expect(empty.status == .ok && empty.object["source"] as? String == "none")
            #expect((empty.object["channels"] as? [String])?.isEmpty == true)
            let none = try await S.call(client, .post, "/api/send_alert", token: token, json: #"{"message":"x"}"#)
            #expect(none.status == .conflict)

            let put = try await S.call(client, .put, Self.path, token: token, json: Self.telegram(chat: 5))
            #expect(put.status == .ok, "\(put.object)")
            #expect(put.object["source"] as? String == "database")
            #expect(put.object["channels"] as? [String] == ["telegram"])
            #expect(put.object["stored_secrets"] as? [String] == ["telegram.bot_token"])
            let shown = try #require((put.object["notifications"] as? [String: Any])?["telegram"] as? [String: Any])
            #expect(shown["bot_token"] == nil && shown["chat_ids"] as? [Int] == [5])
            let got = try await client.execute(
                uri: Self.path, method: .get, headers: [.authorization: "Bearer \(token)"]
            ) { String(buffer: $0.body) }
            #expect(!got.contains("sealed-secret") && got.contains("telegram.bot_token"))
            #expect(Self.databaseBytes(runner).range(of: Data("sealed-secret".utf8)) == nil)

            let sent = try await S.call(client, .post, "/api/send_alert", token: token, json: #"{"message":"hi"}"#)
            #expect(sent.status == .ok, "\(sent.object)")
            #expect(fake.requests.last?.path == "/bot77:sealed-secret-token/sendMessage")
            #expect(fake.requests.last?.json?["chat_id"] as? Int == 5)

            // The secret left out is kept; the other settings change.
            let moved = try await S.call(
                client, .put, Self.path, token: token, json: Self.telegram(chat: 6, token: nil))
            #expect(moved.status == .ok && moved.object["stored_secrets"] as? [String] == ["telegram.bot_token"])
            _ = try await S.call(client, .post, "/api/send_alert", token: token, json: #"{"message":"again"}"#)
            #expect(fake.requests.last?.path == "/bot77:sealed-secret-token/sendMessage")
            #expect(fake.requests.last?.json?["chat_id"] as? Int == 6)

            let audit = try await runner.services.database.auditLog.recent(limit: 10)
            let updates = audit.filter { $0.action == "notifications_update" }
            #expect(updates.count == 2 && updates.allSatisfy { !$0.detail.contains("sealed-secret") })
            #expect(updates.last?.detail.contains("secrets set: telegram.bot_token") == true)
        }
    }

    @Test("bad settings are a 400 naming the member, and change nothing")
    func validation() async throws {
        try await Self.withServer(stored: true) { runner, client, token, _ in
            let before = try await runner.services.database.serverSettings.setting("notifications")
            let cases: [(String, String)] = [
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5], "bot_token": 5}}}"#,
                    "$.notifications.telegram.bot_token"
                ),
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5], "bot_token": ""}}}"#,
                    "$.notifications.telegram.bot_token"
                ),
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5], "bot_token": "${PETREL_STORED_TELEGRAM_BOT_TOKEN}"}}}"#,
                    "$.notifications.telegram.bot_token"
                ),
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "notify_on": ["eror"], "chat_ids": [5]}}}"#,
                    "$.notifications.telegram.notify_on[0]"
                ),
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5], "bot_token": "${UNSET_TG_TOKEN}"}}}"#,
                    "notifications"
                ),
                (
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5], "bot_token": null}}}"#,
                    "notifications"
                ),
                (#"{"notifications": {"enabled": true}, "telegram_commands": true}"#, "telegram_commands"),
                (#"{"notifications": {"enabled": true}, "telegram_commands": "yes"}"#, "telegram_commands"),
                (#"{"notifications": {"enabled": true}, "extra": 1}"#, "extra"),
                (#"{"notifications": []}"#, "notifications"),
                (#"[1]"#, ""),
            ]
            for (body, field) in cases {
                let reply = try await S.call(client, .put, Self.path, token: token, json: body)
                #expect(reply.status == .badRequest, "\(body)")
                let error = reply.object["error"] as? [String: Any]
                #expect((error?["field"] as? String ?? "") == field, "\(body): \(error ?? [:])")
            }
            let unset = try await S.call(
                client, .put, Self.path, token: token,
                json: Self.telegram(chat: 5, token: "${UNSET_TG_TOKEN}"))
            #expect(
                ((unset.object["error"] as? [String: Any])?["message"] as? String)?.contains("UNSET_TG_TOKEN")
                    == true)
            #expect(try await runner.services.database.serverSettings.setting("notifications") == before)
            #expect(runner.services.alerts.channelNames == ["telegram"])
        }
    }

    @Test("merging: a reference is kept, a dropped channel loses its secret, a new destination needs the secret again")
    func merging() async throws {
        try await Self.withServer(stored: false, environment: ["TG_REF": "3:env-token"]) { _, client, token, _ in
            func put(_ webhook: String?, telegramToken: String?) async throws -> (
                status: HTTPResponse.Status, object: [String: Any]
            ) {
                let tokenMember = telegramToken.map { #", "bot_token": "\#($0)""# } ?? ""
                let hook = webhook.map { #", "webhook": {"enabled": true, \#($0)}"# } ?? ""
                let body =
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "chat_ids": [5]\#(tokenMember)}\#(hook)}}"#
                return try await S.call(client, .put, Self.path, token: token, json: body)
            }
            let first = try await put(
                #""url": "https://hooks.example.com/a", "secret": "hook-secret-1""#, telegramToken: "${TG_REF}")
            #expect(first.status == .ok, "\(first.object)")
            #expect(first.object["stored_secrets"] as? [String] == ["webhook.secret"])
            let section = { (reply: (status: HTTPResponse.Status, object: [String: Any]), channel: String) in
                (reply.object["notifications"] as? [String: Any])?[channel] as? [String: Any]
            }
            #expect(section(first, "telegram")?["bot_token"] as? String == "${TG_REF}")
            #expect(section(first, "webhook")?["secret"] == nil)

            let kept = try await put(#""url": "https://hooks.example.com/a""#, telegramToken: nil)
            #expect(kept.status == .ok && kept.object["stored_secrets"] as? [String] == ["webhook.secret"])
            #expect(section(kept, "telegram")?["bot_token"] as? String == "${TG_REF}")

            let moved = try await put(#""url": "https://other.example.com/b""#, telegramToken: nil)
            #expect(moved.status == .badRequest)
            let error = moved.object["error"] as? [String: Any]
            #expect(error?["field"] as? String == "$.notifications.webhook.secret")
            #expect((error?["message"] as? String)?.contains("webhook.url changed") == true)
            let resent = try await put(
                #""url": "https://other.example.com/b", "secret": "hook-secret-2""#, telegramToken: nil)
            #expect(resent.status == .ok)

            let dropped = try await put(nil, telegramToken: nil)
            #expect(dropped.status == .ok && (dropped.object["stored_secrets"] as? [String])?.isEmpty == true)
            let server = try await put(nil, telegramToken: "${PETREL_MASTER_KEY}")
            #expect(server.status == .badRequest)
            #expect(
                ((server.object["error"] as? [String: Any])?["message"] as? String)?.contains("server's own variables")
                    == true)
        }
    }

    @Test("administrators only; DELETE removes the channels; --notifications FILE makes them read-only")
    func rolesDeleteAndFile() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        try await fake.run { port in
            try await S.withServer(notifications: nil, telegram: port) { runner, client in
                let admin = try await S.login(client)
                _ = try await runner.services.database.users.create(
                    username: "tina", passwordHash: runner.services.hasher.hash("user-password-1"), role: .trader, at: 1
                )
                let trader = try await S.login(client, "tina", "user-password-1")
                #expect(try await S.call(client, .get, Self.path, token: trader).status == .forbidden)
                #expect(
                    try await S.call(client, .put, Self.path, token: trader, json: Self.telegram(chat: 5)).status
                        == .forbidden)
                #expect(try await S.call(client, .delete, Self.path, token: trader).status == .forbidden)
                #expect(try await S.call(client, .delete, Self.path, token: admin).status == .notFound)
                #expect(
                    try await S.call(client, .put, Self.path, token: admin, json: Self.telegram(chat: 5)).status == .ok)
                #expect(try await S.call(client, .delete, Self.path, token: admin).status == .noContent)
                let after = try await S.call(client, .get, Self.path, token: admin)
                #expect(after.object["source"] as? String == "none" && after.object["notifications"] == nil)
                #expect(runner.services.alerts.dispatcher == nil)
                let alert = try await S.call(client, .post, "/api/send_alert", token: admin, json: #"{"message":"x"}"#)
                #expect(alert.status == .conflict)
            }
            try await S.withServer(notifications: S.channels, telegram: port, environment: ["TG": "9:tok"]) {
                _, client in
                let admin = try await S.login(client)
                let shown = try await S.call(client, .get, Self.path, token: admin)
                #expect(
                    shown.object["source"] as? String == "file" && shown.object["channels"] as? [String] == ["telegram"]
                )
                let put = try await S.call(client, .put, Self.path, token: admin, json: Self.telegram(chat: 5))
                #expect(put.status == .conflict)
                #expect(try await S.call(client, .delete, Self.path, token: admin).status == .conflict)
            }
        }
    }

    @Test(
        "stored channels come back after a restart; under another master key the server starts and asks for the secret")
    func restart() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":[]}"#))
        let directory = try Fixtures.temporaryDirectory("petrel-notify-settings")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await fake.run { port in
            try await S.withServer(notifications: nil, telegram: port, directory: directory) { _, client in
                let token = try await S.login(client)
                let body =
                    #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [5], "bot_token": "\#(Self.secret)"}}, "telegram_commands": true}"#
                #expect(try await S.call(client, .put, Self.path, token: token, json: body).status == .ok)
            }
            try await S.withServer(notifications: nil, telegram: port, directory: directory) { runner, client in
                #expect(runner.services.alerts.channelNames == ["telegram"])
                // Commands follow the stored setting: the poller reaches the stored bot.
                _ = try await runner.telegramPoller().poll(offset: nil)
                #expect(fake.requests.last?.path == "/bot77:sealed-secret-token/getUpdates")
                let token = try await S.login(client)
                let shown = try await S.call(client, .get, Self.path, token: token)
                #expect(shown.object["telegram_commands"] as? Bool == true)
            }
            let otherKey = ["PETREL_MASTER_KEY": "9c1e7a3f5b2d8e4a6c0f1b3d5e7a9c2e4f6a8b0d1c3e5f7a9b2d4c6e8f0a1b3c"]
            try await S.withServer(notifications: nil, telegram: port, environment: otherKey, directory: directory) {
                runner, client in
                #expect(runner.services.alerts.dispatcher == nil)
                let token = try await S.login(client)
                let kept = try await S.call(
                    client, .put, Self.path, token: token, json: Self.telegram(chat: 5, token: nil))
                #expect(kept.status == .conflict)
                #expect(((kept.object["error"] as? [String: Any])?["message"] as? String)?.contains("PUT") == true)
                let again = try await S.call(client, .put, Self.path, token: token, json: Self.telegram(chat: 5))
                #expect(again.status == .ok && runner.services.alerts.channelNames == ["telegram"])
            }
        }
    }

    @Test("a bot without its own notifications section sends through the stored channels")
    func botsUseStoredChannels() async throws {
        try await Self.withServer(stored: true) { runner, client, token, fake in
            _ = try await S.call(
                client, .post, "/api/v1/bots", token: token, json: #"{"id":"st1","config":\#(S.simulatedConfig())}"#)
            _ = try await S.call(client, .post, "/api/v1/bots/st1/start", token: token)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline,
                !fake.requests.contains(where: { ($0.json?["text"] as? String)?.contains("st1") == true })
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            let texts = fake.requests.compactMap { $0.json?["text"] as? String }
            #expect(texts.contains { $0.contains("st1") }, "\(texts)")
            #expect(fake.requests.allSatisfy { $0.path == "/bot77:sealed-secret-token/sendMessage" })
            _ = try await S.call(client, .post, "/api/v1/bots/st1/stop", token: token)
            #expect(try await runner.services.fleet.bots.bot("st1")?.lifecycle == .stopped)
        }
    }
}
