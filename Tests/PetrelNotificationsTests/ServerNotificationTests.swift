import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import PetrelTestSupport
import Testing

/// The server's notifications: `POST /api/send_alert` through `--notifications` channels, and bots
/// telling their own channels what they do.
@Suite("Server notifications")
struct ServerNotificationTests {
    static let password = "admin-password-1"

    static func withServer(
        notifications: String?, telegram port: Int, environment extra: [String: String] = [:], commands: Bool = false,
        directory kept: URL? = nil, _ body: @Sendable (PetrelServerRunner, any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = try kept ?? Fixtures.temporaryDirectory("petrel-notify-server")
        var file: String?
        if let notifications {
            let url = directory.appendingPathComponent("notifications.json")
            try Data(notifications.utf8).write(to: url)
            file = url.path
        }
        var options = ServerOptions(
            port: 0, dataDirectory: directory.appendingPathComponent("data").path, demo: false,
            notificationsFile: file)
        options.notificationEndpoints = .init(telegram: "http://127.0.0.1:\(port)")
        options.telegramCommands = commands
        let runner = try await PetrelServerRunner.prepare(
            options: options,
            environment: [
                "PETREL_JWT_SECRET": "3f9a1c7e5b2d4f608e1a3c5b7d9f0e2a4c6b8d0f1e3a5c7b9d2f4e6a8c0b1d3f",
                "PETREL_ADMIN_PASSWORD": password,
            ].merging(extra) { _, new in new }, hasher: PasswordHasher(cost: 4), output: { _ in })
        do {
            try await Application(router: ServerRouter.make(runner.services)).test(.router) { client in
                try await body(runner, client)
            }
        } catch {
            await runner.shutdown()
            if kept == nil { try? FileManager.default.removeItem(at: directory) }
            throw error
        }
        await runner.shutdown()
        if kept == nil { try? FileManager.default.removeItem(at: directory) }
    }

    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String? = nil,
        json: String? = nil
    ) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(response.body.readableBytesView)
            return (response.status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
        }
    }

    static func login(_ client: any TestClientProtocol, _ user: String = "admin", _ password: String = password)
        async throws -> String
    {
        let reply = try await call(
            client, .post, "/api/v1/auth/login", json: #"{"username":"\#(user)","password":"\#(password)"}"#)
        return try #require(reply.object["access_token"] as? String)
    }

    static let channels =
        #"{"notifications": {"enabled": true, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [5], "bot_token": "${TG}"}}}"#

    @Test("send_alert delivers through the server's channels and says how each went")
    func sendAlert() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        try await fake.run { port in
            try await Self.withServer(notifications: Self.channels, telegram: port, environment: ["TG": "9:tok"]) {
                runner, client in
                let token = try await Self.login(client)
                let sent = try await Self.call(
                    client, .post, "/api/send_alert", token: token, json: #"{"message":"BTC dropped 5 %"}"#)
                #expect(sent.status == .ok)
                #expect(sent.object["success"] as? Bool == true)
                let results = try #require(sent.object["results"] as? [[String: Any]])
                #expect(
                    results.first?["channel"] as? String == "telegram" && results.first?["delivered"] as? Bool == true)
                let text = try #require(fake.requests.last?.json?["text"] as? String)
                #expect(text.contains("Alert from admin") && text.contains("BTC dropped 5 %"))

                for (body, field) in [
                    (#"{"message":""}"#, "message"), (#"{"message":"x","channel":"sms"}"#, "channel"),
                    (#"{"message":"x","colour":"red"}"#, "colour"),
                ] {
                    let bad = try await Self.call(client, .post, "/api/send_alert", token: token, json: body)
                    #expect(bad.status == .badRequest, "\(body)")
                    #expect((bad.object["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
                }
                let unknownBot = try await Self.call(
                    client, .post, "/api/send_alert", token: token, json: #"{"message":"x","bot":"nope"}"#)
                #expect(unknownBot.status == .notFound)

                fake.script(
                    Array(
                        repeating: .init(
                            status: .badRequest, body: #"{"ok":false,"description":"Bad Request: chat not found"}"#),
                        count: 1))
                let failed = try await Self.call(
                    client, .post, "/api/send_alert", token: token, json: #"{"message":"again"}"#)
                #expect(failed.status == .badGateway)
                #expect(
                    ((failed.object["error"] as? [String: Any])?["message"] as? String)?.contains("chat not found")
                        == true)

                _ = try await runner.services.database.users.create(
                    username: "vic", passwordHash: runner.services.hasher.hash("viewer-password-1"), role: .viewer,
                    at: 1)
                let viewer = try await Self.login(client, "vic", "viewer-password-1")
                let forbidden = try await Self.call(
                    client, .post, "/api/send_alert", token: viewer, json: #"{"message":"x"}"#)
                #expect(forbidden.status == .forbidden)
                let anonymous = try await Self.call(client, .post, "/api/send_alert", json: #"{"message":"x"}"#)
                #expect(anonymous.status == .unauthorized)
            }
            try await Self.withServer(notifications: nil, telegram: port) { _, client in
                let token = try await Self.login(client)
                let none = try await Self.call(
                    client, .post, "/api/send_alert", token: token, json: #"{"message":"x"}"#)
                #expect(none.status == .conflict)
            }
        }
    }

    /// A paper bot on the simulated market (`speed` bars a second), with an optional notifications section.
    static func simulatedConfig(speed: Int = 900, notifications: String? = nil) -> String {
        """
        {"broker": {"type": "paper", "initial_balance": 10000.0, "commission": 0.001},
         "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
         "data": {"data_source": "simulated", "symbol": "BTCUSDT", "interval": "15m", "lookback_bars": 30, "speed": \(speed)},
         "strategy": {"type": "ma_crossover", "params": {"fast_period": 5, "slow_period": 15, "ma_type": "ema"}}\(notifications.map { ",\n \"notifications\": \($0)" } ?? "")}
        """
    }

    static let botConfig = simulatedConfig(
        speed: 20_000,
        notifications:
            #"{"enabled": true, "telegram": {"enabled": true, "notify_on": ["trade_entry", "status"], "chat_ids": [11], "bot_token": "${BOT_TG}"}}"#
    )

    /// Creates and starts a bot through the API and waits (up to 20 s) until it runs.
    static func startBot(
        _ runner: PetrelServerRunner, _ client: any TestClientProtocol, token: String, id: String,
        config: String = simulatedConfig()
    ) async throws {
        _ = try await call(client, .post, "/api/v1/bots", token: token, json: #"{"id":"\#(id)","config":\#(config)}"#)
        _ = try await call(client, .post, "/api/v1/bots/\(id)/start", token: token)
        let running = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < running, try await runner.services.fleet.bots.bot(id)?.lifecycle != .running {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("a running bot tells its own channels of its entries; an unset secret stops it from being created")
    func botChannels() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        try await fake.run { port in
            try await Self.withServer(notifications: nil, telegram: port, environment: ["BOT_TG": "7:bot"]) {
                runner, client in
                let token = try await Self.login(client)
                let created = try await Self.call(
                    client, .post, "/api/v1/bots", token: token, json: #"{"id":"n1","config":\#(Self.botConfig)}"#)
                #expect(created.status == .created)
                let started = try await Self.call(client, .post, "/api/v1/bots/n1/start", token: token)
                #expect(started.status == .ok)
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline,
                    !fake.requests.contains(where: { ($0.json?["text"] as? String)?.contains("BUY") == true })
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let texts = fake.requests.compactMap { $0.json?["text"] as? String }
                #expect(texts.contains { $0.contains("BUY") && $0.contains("BTC/USDT") && $0.contains("bot n1") })
                #expect(
                    fake.requests.allSatisfy { $0.path == "/bot7:bot/sendMessage" && $0.json?["chat_id"] as? Int == 11 }
                )
                _ = try await Self.call(client, .post, "/api/v1/bots/n1/stop", token: token)
            }
            try await Self.withServer(notifications: nil, telegram: port) { _, client in
                let token = try await Self.login(client)
                let created = try await Self.call(
                    client, .post, "/api/v1/bots", token: token, json: #"{"id":"n2","config":\#(Self.botConfig)}"#)
                #expect(created.status == .created)
                let refused = try await Self.call(client, .post, "/api/v1/bots/n2/start", token: token)
                #expect(refused.status == .badRequest)
                let error = refused.object["error"] as? [String: Any]
                #expect(error?["field"] as? String == "$.notifications")
                #expect((error?["message"] as? String)?.contains("BOT_TG") == true)
                // Analytics list the bot as unavailable instead of failing for every bot; asked for alone, 409.
                let performance = try await Self.call(client, .get, "/api/v1/analytics/performance", token: token)
                #expect(performance.status == .ok)
                let unavailable = try #require(performance.object["unavailable"] as? [[String: Any]])
                #expect(unavailable.first?["bot"] as? String == "n2")
                #expect((unavailable.first?["reason"] as? String)?.contains("BOT_TG") == true)
                let alone = try await Self.call(client, .get, "/api/v1/analytics/trades?bot=n2", token: token)
                #expect(alone.status == .conflict)
            }
        }
    }

    @Test("running bots send 6-hour and daily summaries at the UTC boundaries, each once, with the change")
    func summaries() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        let config = Self.botConfig.replacingOccurrences(
            of: #""notify_on": ["trade_entry", "status"]"#, with: #""notify_on": ["summary_6h", "daily_summary"]"#)
        try await fake.run { port in
            try await Self.withServer(notifications: nil, telegram: port, environment: ["BOT_TG": "7:bot"]) {
                runner, client in
                let token = try await Self.login(client)
                _ = try await Self.call(
                    client, .post, "/api/v1/bots", token: token, json: #"{"id":"n3","config":\#(config)}"#)
                _ = try await Self.call(client, .post, "/api/v1/bots/n3/start", token: token)
                let started = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < started, await runner.services.fleet.status(id: "n3") == nil {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let day: Int64 = 86_400_000
                let midnight = (LiveClock().now() / day + 1) * day
                let scheduler = SummaryScheduler(fleet: runner.services.fleet, clock: LiveClock())
                await scheduler.tick(now: midnight)
                await scheduler.tick(now: midnight + 60_000)
                await scheduler.tick(now: midnight + 6 * 3_600_000)
                let deadline = ContinuousClock.now + .seconds(20)
                func texts() -> [String] { fake.requests.compactMap { $0.json?["text"] as? String } }
                while ContinuousClock.now < deadline, texts().count < 3 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let sent = texts()
                #expect(sent.count == 3, "\(sent)")
                #expect(sent.filter { $0.contains("6-hour summary of n3") }.count == 2)
                #expect(sent.filter { $0.contains("Daily summary of n3") }.count == 1)
                #expect(sent.allSatisfy { $0.contains("<b>Equity:</b>") && $0.contains("Open positions") })
                #expect(sent.last?.contains("<b>Change:</b>") == true)
                _ = try await Self.call(client, .post, "/api/v1/bots/n3/stop", token: token)
            }
        }
    }

    @Test("Telegram commands from the configured chats are answered and act; other chats are ignored")
    func telegramCommands() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{}}"#))
        try await fake.run { port in
            try await Self.withServer(
                notifications: Self.channels, telegram: port, environment: ["TG": "9:tok"], commands: true
            ) {
                runner, client in
                let token = try await Self.login(client)
                try await Self.startBot(runner, client, token: token, id: "n4")
                let poller = runner.telegramPoller()
                fake.script([
                    .init(
                        status: .ok,
                        body:
                            #"{"ok":true,"result":[{"update_id":100,"message":{"chat":{"id":5},"text":"/status"}},{"update_id":101,"message":{"chat":{"id":666},"text":"/stop n4"}},{"update_id":102,"message":{"chat":{"id":5},"text":"/stop@PetrelBot n4"}},{"update_id":103,"message":{"chat":{"id":5},"text":"/help"}},{"update_id":104,"message":{"chat":{"id":5},"text":"/trades nope"}},{"update_id":105,"message":{"chat":{"id":5},"text":"hello"}}]}"#
                    )
                ])
                let before = fake.requests.count
                let next = try await poller.poll(offset: nil)
                #expect(next == 106)
                let round = Array(fake.requests.dropFirst(before))
                #expect(round.first?.path == "/bot9:tok/getUpdates")
                #expect(round.first?.json?["timeout"] as? Int == 25 && round.first?.json?["offset"] == nil)
                let replies = round.dropFirst()
                #expect(replies.count == 4, "\(replies.map { $0.json ?? [:] })")
                #expect(replies.allSatisfy { $0.path == "/bot9:tok/sendMessage" && $0.json?["chat_id"] as? Int == 5 })
                let texts = replies.compactMap { $0.json?["text"] as? String }
                #expect(texts.count == 4)
                #expect(texts[0].contains("<b>n4</b>") && texts[0].contains("trading"))
                #expect(texts[1].contains("n4</b>: stop done"))
                #expect(texts[2].contains("/forceexit") && texts[2].contains("/daily"))
                #expect(texts[3].contains("no bot 'nope'"))
                let stopped = try await runner.services.fleet.bots.bot("n4")
                #expect(stopped?.lifecycle == .stopped)
                let audit = try await runner.services.database.auditLog.recent(limit: 20)
                #expect(audit.contains { $0.username == "telegram:5" && $0.action == "bot_stop" })

                fake.script([.init(status: .ok, body: #"{"ok":true,"result":[]}"#)])
                let again = try await poller.poll(offset: next)
                #expect(again == 106)
                #expect(fake.requests.last?.json?["offset"] as? Int == 106)
            }
        }
    }
}
