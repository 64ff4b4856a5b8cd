import Foundation
import HTTPTypes
import PetrelTestSupport
import Testing

/// `petrel notify test` on the real binary against a local fake Telegram.
@Suite("petrel notify test")
struct NotifyCommandTests {
    /// Runs the binary off the concurrency pool (the fake server answers on it meanwhile).
    static func petrel(_ arguments: [String], environment: [String: String] = [:]) async throws -> PetrelProcess.Outcome
    {
        try await PetrelProcess.execute(arguments, environment: environment)
    }

    static func configFile(_ json: String) throws -> URL {
        let directory = try Fixtures.temporaryDirectory("petrel-notify")
        let url = directory.appendingPathComponent("notifications.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test("sends the message, prints delivered, exits 0; a refusal prints why and exits 1")
    func sends() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        let config = try Self.configFile(
            #"{"notifications": {"enabled": false, "telegram": {"enabled": false, "notify_on": ["error"], "chat_ids": [77], "bot_token": "${TG_TOKEN}"}}}"#
        )
        try await fake.run { port in
            let ok = try await Self.petrel(
                [
                    "notify", "test", "--channel", "telegram", "--config", config.path, "--telegram-url",
                    "http://127.0.0.1:\(port)", "--message", "hello <team>",
                ], environment: ["TG_TOKEN": "42:secret-token"])
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("telegram: delivered"))
            let request = try #require(fake.requests.first)
            #expect(request.path == "/bot42:secret-token/sendMessage")
            #expect((request.json?["text"] as? String)?.contains("hello &lt;team&gt;") == true)
            #expect(request.json?["chat_id"] as? Int == 77)

            fake.script([
                .init(
                    status: .badRequest,
                    body: #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#)
            ])
            let refused = try await Self.petrel(
                [
                    "notify", "test", "--channel", "telegram", "--config", config.path, "--telegram-url",
                    "http://127.0.0.1:\(port)",
                ],
                environment: ["TG_TOKEN": "42:secret-token"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("chat not found") && !refused.stderr.contains("secret-token"))
        }
    }

    @Test("a missing secret, channel or bad flag is a clear error")
    func errors() async throws {
        let config = try Self.configFile(
            #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [77], "bot_token": "${TG_TOKEN}"}}}"#
        )
        let unset = try await Self.petrel(["notify", "test", "--channel", "telegram", "--config", config.path])
        #expect(unset.status != 0 && unset.stderr.contains("TG_TOKEN"))
        let missing = try await Self.petrel(["notify", "test", "--channel", "sms", "--config", config.path])
        #expect(missing.status != 0 && missing.stderr.contains("no 'sms' channel"))
        let bad = try await Self.petrel(["notify", "test", "--channel", "pigeon", "--config", config.path])
        #expect(bad.status != 0 && bad.stderr.contains("allowed: telegram, email, webhook, sms"))
        let broken = try Self.configFile(#"{"notifications": {"enabled": true, "telegram": {"notify_on": ["eror"]}}}"#)
        let invalid = try await Self.petrel(["notify", "test", "--channel", "telegram", "--config", broken.path])
        #expect(invalid.status != 0 && invalid.stderr.contains("$.notifications.telegram.notify_on[0]"))
    }
}
