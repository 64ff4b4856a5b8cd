import Foundation
import HTTPTypes
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport
import Testing

/// `petrel bot run --telegram-commands`: the real binary answers commands from its config's Telegram chats.
@Suite("petrel bot run with Telegram commands")
struct BotRunCommandsTests {
    static func config(telegram: Bool) -> String {
        let notifications =
            telegram
            ? #"{"enabled": true, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [5], "bot_token": "${TG}"}}"#
            : #"{"enabled": false}"#
        return ServerNotificationTests.simulatedConfig(notifications: notifications)
    }

    @Test(
        "/status is answered from the running bot, another chat is ignored, /stop ends the run with exit 0 and is confirmed"
    )
    func commands() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-bot-commands")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configURL = directory.appendingPathComponent("tg.json")
        try Data(Self.config(telegram: true).utf8).write(to: configURL)
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":[]}"#, delayMilliseconds: 200))
        fake.script([
            .init(
                status: .ok,
                body:
                    #"{"ok":true,"result":[{"update_id":40,"message":{"chat":{"id":5},"text":"/status"}},{"update_id":41,"message":{"chat":{"id":666},"text":"/stop"}},{"update_id":42,"message":{"chat":{"id":5},"text":"/stop"}}]}"#,
                delayMilliseconds: 3_000)
        ])
        try await fake.run { port in
            let out = directory.appendingPathComponent("out.txt")
            let err = directory.appendingPathComponent("err.txt")
            let process = try PetrelProcess.start(
                [
                    "bot", "run", configURL.path, "--data-dir", directory.appendingPathComponent("data").path,
                    "--telegram-commands", "--telegram-url", "http://127.0.0.1:\(port)", "--quiet",
                ], in: directory, environment: ["TG": "9:tok"], stdout: out, stderr: err)
            let deadline = ContinuousClock.now + .seconds(60)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            if process.isRunning { process.terminate() }
            let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "\(stderr)")
            #expect(!stderr.contains("9:tok"))
            let requests = fake.requests
            #expect(requests.first?.path == "/bot9:tok/getUpdates")
            let replies = requests.filter { $0.path == "/bot9:tok/sendMessage" }
            #expect(replies.allSatisfy { $0.json?["chat_id"] as? Int == 5 })
            let texts = replies.compactMap { $0.json?["text"] as? String }
            #expect(texts.count == 2, "\(texts)")
            #expect(texts.first?.contains("<b>tg</b> running") == true, "\(texts)")
            #expect(texts.last?.contains("<b>tg</b>: stop done") == true, "\(texts)")
            // Before exiting, the handled updates are confirmed, so the next run does not stop again.
            let last = requests.last { $0.path == "/bot9:tok/getUpdates" }
            #expect(last?.json?["offset"] as? Int == 43 && last?.json?["timeout"] as? Int == 0)
        }
        let database = try await PetrelDatabase.open(path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let audit = try await database.auditLog.recent(limit: 5)
        let record = try await database.bots.bot("tg")
        await database.shutdown()
        #expect(audit.contains { $0.username == "telegram:5" && $0.action == "bot_stop" && $0.target == "bot:tg" })
        #expect(record?.lifecycle == .stopped)
    }

    @Test("--telegram-commands without a Telegram channel in the config is refused before the bot starts")
    func needsChannel() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-bot-commands")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configURL = directory.appendingPathComponent("plain.json")
        try Data(Self.config(telegram: false).utf8).write(to: configURL)
        let outcome = try await NotifyCommandTests.petrel([
            "bot", "run", configURL.path, "--data-dir", directory.appendingPathComponent("data").path,
            "--telegram-commands", "--quiet",
        ])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--telegram-commands needs an enabled telegram channel"), "\(outcome.stderr)")
        let bad = try await NotifyCommandTests.petrel(["bot", "run", configURL.path, "--telegram-url", "ftp://x"])
        #expect(bad.status != 0 && bad.stderr.contains("--telegram-url 'ftp://x' must be an http or https URL"))
    }
}
