import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// `/api/v1/bots`: create with the CLI's validator, ownership, roles, and control of real bots.
@Suite("Bot routes")
struct BotRouteTests {
    static func createBody(_ id: String, config: String = ServerConfigs.simulated) -> String {
        #"{"id":"\#(id)","name":"Bot \#(id)","config":\#(config)}"#
    }

    /// Waits (up to 20 s) until `check` holds for the bot's record as the routes see it (the fleet's cache,
    /// which is refreshed after each write to the database, so the database holds it too).
    static func waitFor(
        _ server: TestServer, _ id: String, _ check: @Sendable (BotRecord) -> Bool
    ) async throws -> BotRecord {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let record = try await server.services.fleet.bots.bot(id), check(record) { return record }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("bot \(id) did not reach the expected state in time")
    }

    @Test("a trader creates a bot; its config is stored byte for byte and it belongs to them")
    func create() async throws {
        try await TestServer.withServer { server, client in
            let trader = try await server.user("trina", role: .trader)
            let token = try await client.login("trina", "user-password-1")
            let reply = try await client.call(.post, "/api/v1/bots", token: token, json: Self.createBody("alpha"))
            #expect(reply.status == .created)
            let stored = try #require(try await server.services.database.bots.bot("alpha"))
            #expect(stored.configuration == ServerConfigs.simulated)
            #expect(stored.ownerID == trader.id && stored.name == "Bot alpha" && stored.lifecycle == .stopped)
            let list = try await client.call(.get, "/api/v1/bots", token: token)
            #expect((list["bots"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["alpha"])
            let again = try await client.call(.post, "/api/v1/bots", token: token, json: Self.createBody("alpha"))
            #expect(again.status == .conflict)
        }
    }

    @Test("a bad config is a 400 listing every problem with its JSON path, and nothing is stored")
    func invalidConfig() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            let bad = ServerConfigs.simulated.replacingOccurrences(of: #""type": "paper""#, with: #""type": "papr""#)
                .replacingOccurrences(of: #""fast_period": 5"#, with: #""fast_period": -5"#)
            let reply = try await client.call(
                .post, "/api/v1/bots", token: token, json: Self.createBody("beta", config: bad))
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "invalid_config")
            #expect(reply.errorField == "$.broker.type")
            let details = (reply["error"] as? [String: Any])?["details"] as? [[String: String]] ?? []
            #expect(details.map { $0["field"] ?? "" }.contains("$.broker.type"))
            #expect(details.contains { ($0["field"] ?? "").contains("fast_period") })
            #expect(details.first?["message"]?.contains("did you mean 'paper'") == true)
            #expect(try await server.services.database.bots.bot("beta") == nil)
            let noConfig = try await client.call(.post, "/api/v1/bots", token: token, json: #"{"id":"beta"}"#)
            #expect(noConfig.errorField == "config")
            let badID = try await client.call(.post, "/api/v1/bots", token: token, json: Self.createBody("no spaces"))
            #expect(badID.errorField == "id")
            let reserved = try await client.call(
                .post, "/api/v1/bots", token: token, json: Self.createBody("portfolio"))
            #expect(reserved.errorField == "id")
            let live = ServerConfigs.simulated.replacingOccurrences(
                of: #""type": "paper""#, with: #""type": "binance""#)
            let liveReply = try await client.call(
                .post, "/api/v1/bots", token: token, json: Self.createBody("gamma", config: live))
            #expect(liveReply.status == .badRequest)
            // Live brokers on their own venue's prices are refused as well: binance with ${ENV} keys (the
            // server takes keys from stored accounts only); ibkr data, even for a paper bot (its gateway is
            // the trader's own session on this machine).
            let brokers = [
                (
                    #""type": "binance", "api_key": "${K}", "api_secret": "${S}""#, "binance", "BTCUSDT",
                    "$.broker.account"
                ),
                (#""type": "ibkr""#, "ibkr", "AAPL/USD", "$.data.data_source"),
                (#""type": "paper""#, "ibkr", "AAPL/USD", "$.data.data_source"),
            ]
            for (broker, source, symbol, field) in brokers {
                let config = ServerConfigs.simulated.replacingOccurrences(of: #""type": "paper""#, with: broker)
                    .replacingOccurrences(of: #""data_source": "simulated""#, with: #""data_source": "\#(source)""#)
                    .replacingOccurrences(of: #", "speed": 900"#, with: "").replacingOccurrences(
                        of: "BTCUSDT", with: symbol)
                let reply = try await client.call(
                    .post, "/api/v1/bots", token: token, json: Self.createBody("gamma", config: config))
                #expect(reply.status == .badRequest && reply.errorField == field, "\(source)")
            }
            #expect(try await server.services.database.bots.bot("gamma") == nil)
        }
    }

    @Test("viewers cannot create or control bots; another user's bot is 404 to a trader and visible to an admin")
    func rolesAndOwnership() async throws {
        try await TestServer.withServer { server, client in
            _ = try await server.user("trina", role: .trader)
            _ = try await server.user("tom", role: .trader)
            _ = try await server.user("vera", role: .viewer)
            let trina = try await client.login("trina", "user-password-1")
            let tom = try await client.login("tom", "user-password-1")
            let vera = try await client.login("vera", "user-password-1")
            #expect(
                try await client.call(.post, "/api/v1/bots", token: trina, json: Self.createBody("mine")).status
                    == .created)
            let viewerCreate = try await client.call(.post, "/api/v1/bots", token: vera, json: Self.createBody("v"))
            #expect(viewerCreate.status == .forbidden)
            let reads = [
                "", "/status", "/positions", "/orders", "/fills", "/trades", "/equity", "/logs", "/candles",
            ]
            let writes: [(HTTPRequest.Method, String)] = [
                (.put, ""), (.delete, ""), (.post, "/start"), (.post, "/stop"), (.post, "/pause"), (.post, "/resume"),
            ]
            // Another trader sees none of it: every route of the bot is 404, so its id does not leak.
            for (method, suffix) in reads.map({ (HTTPRequest.Method.get, $0) }) + writes {
                let reply = try await client.call(
                    method, "/api/v1/bots/mine\(suffix)", token: tom, json: #"{"name":"x"}"#)
                #expect(reply.status == .notFound, "\(method) \(suffix)")
            }
            // The seed 003 routes over the same bot, too.
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/bot/mine/details"), (.post, "/api/bot/mine/start"),
                (.post, "/api/bot/mine/stop"), (.post, "/api/bot/mine/update"),
            ] {
                let reply = try await client.call(method, path, token: tom, json: #"{"name":"x"}"#)
                #expect(reply.status == .notFound, "\(method) \(path)")
            }
            // A viewer may not change anything, not even on a bot it could otherwise see.
            let admin = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots", token: admin, json: Self.createBody("shared"))
            for (method, suffix) in writes {
                let reply = try await client.call(
                    method, "/api/v1/bots/shared\(suffix)", token: vera, json: #"{"name":"x"}"#)
                #expect(reply.status == .forbidden, "viewer \(method) \(suffix)")
            }
            let tomList = try await client.call(.get, "/api/v1/bots", token: tom)
            #expect((tomList["bots"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/api/v1/bots/mine", token: admin).status == .ok)
            #expect(try await client.call(.post, "/api/v1/bots/mine/stop", token: vera).status == .forbidden)
        }
    }

    @Test("start runs the bot, pause and resume reach it, stop ends it with its state written; all audited")
    func lifecycle() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            #expect(
                try await client.call(.post, "/api/v1/bots", token: token, json: Self.createBody("runner")).status
                    == .created)
            let notRunning = try await client.call(.post, "/api/v1/bots/runner/pause", token: token)
            #expect(notRunning.status == .conflict)
            #expect(try await client.call(.post, "/api/v1/bots/runner/start", token: token).status == .ok)
            _ = try await Self.waitFor(server, "runner") { $0.lifecycle == .running }
            let status = try await client.call(.get, "/api/v1/bots/runner/status", token: token)
            #expect(status["bot_id"] as? String == "runner")
            #expect((status["feed"] as? [String: Any])?["source"] as? String == "simulated")
            #expect(try await client.call(.post, "/api/v1/bots/runner/pause", token: token).status == .ok)
            _ = try await Self.waitFor(server, "runner") { $0.lifecycle == .paused }
            #expect(try await client.call(.post, "/api/v1/bots/runner/resume", token: token).status == .ok)
            _ = try await Self.waitFor(server, "runner") { $0.lifecycle == .running }
            let busy = try await client.call(.delete, "/api/v1/bots/runner", token: token)
            #expect(busy.status == .conflict)
            let stopped = try await client.call(.post, "/api/v1/bots/runner/stop", token: token)
            #expect(stopped["lifecycle"] as? String == "stopped")
            let actions = try await server.services.database.auditLog.recent(limit: 10).map(\.action)
            #expect(Array(actions.prefix(4)) == ["bot_stop", "bot_resume", "bot_pause", "bot_start"])
            #expect(try await client.call(.delete, "/api/v1/bots/runner", token: token).status == .noContent)
            #expect(try await server.services.database.bots.bot("runner") == nil)
        }
    }

    @Test("a config change needs a stopped bot, and once it has traded an explicit reset")
    func updateConfig() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots", token: token, json: Self.createBody("upd"))
            let slower = ServerConfigs.simulated.replacingOccurrences(
                of: #""slow_period": 15"#, with: #""slow_period": 20"#)
            let fresh = try await client.call(.put, "/api/v1/bots/upd", token: token, json: #"{"config":\#(slower)}"#)
            #expect(fresh.status == .ok)
            #expect(try await server.services.database.bots.bot("upd")?.configuration == slower)
            _ = try await client.call(.post, "/api/v1/bots/upd/start", token: token)
            _ = try await Self.waitFor(server, "upd") { $0.lifecycle == .running }
            let running = try await client.call(.put, "/api/v1/bots/upd", token: token, json: #"{"config":\#(slower)}"#)
            #expect(running.status == .conflict)
            _ = try await client.call(.post, "/api/v1/bots/upd/stop", token: token)
            let needsReset = try await client.call(
                .put, "/api/v1/bots/upd", token: token, json: #"{"config":\#(ServerConfigs.simulated)}"#)
            #expect(needsReset.status == .conflict)
            #expect(needsReset.errorMessage?.contains("\"reset\": true") == true)
            let reset = try await client.call(
                .put, "/api/v1/bots/upd", token: token, json: #"{"config":\#(ServerConfigs.simulated),"reset":true}"#)
            #expect(reset.status == .ok)
            #expect(try await server.services.database.journal.lastCandleTime(bot: "upd") == nil)
            let invalid = try await client.call(
                .put, "/api/v1/bots/upd", token: token, json: #"{"config":{"broker":{}}}"#)
            #expect(invalid.status == .badRequest)
        }
    }

    @Test("the emergency stop halts an administrator's running bots")
    func emergencyStop() async throws {
        try await TestServer.withServer(demo: true) { server, client in
            let token = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots/demo/start", token: token)
            _ = try await Self.waitFor(server, "demo") { $0.lifecycle == .running }
            let reply = try await client.call(.post, "/api/v1/bots/emergency-stop", token: token)
            #expect(reply["halted"] as? [String] == ["demo"])
            let halted = try await Self.waitFor(server, "demo") { $0.tradingState == .halted }
            #expect(halted.stateReason?.contains("emergency stop by admin") == true)
        }
    }

    @Test("list parameters are checked: a bad limit is a 400 naming it")
    func badLimit() async throws {
        try await TestServer.withServer(demo: true) { _, client in
            let token = try await client.adminToken()
            for limit in ["0", "abc", "100000"] {
                let reply = try await client.call(.get, "/api/v1/bots/demo/orders?limit=\(limit)", token: token)
                #expect(reply.status == .badRequest)
                #expect(reply.errorField == "limit")
            }
            #expect(try await client.call(.get, "/api/v1/bots/demo/equity?from=-1", token: token).errorField == "from")
        }
    }
}
