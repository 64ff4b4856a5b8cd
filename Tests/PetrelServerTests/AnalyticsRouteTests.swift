import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Seed 004's analytics of live and paper bots, and its trading-engine routes.
@Suite("Analytics and trading routes")
struct AnalyticsRouteTests {
    static func decimal(_ value: Any?) throws -> FixedPoint {
        guard let text = value as? String else {
            throw TestFailure("not a decimal string: \(String(describing: value))")
        }
        return try FixedPoint(parsing: text)
    }

    /// Runs the fast bot until its journal holds `trades` closed trades, then stops it.
    static func tradedBot(_ server: TestServer, _ client: any TestClientProtocol, token: String, trades: Int)
        async throws
    {
        let created = try await client.call(
            .post, "/api/v1/bots", token: token, json: BotRouteTests.createBody("fast", config: ServerConfigs.fast))
        #expect(created.status == .created)
        try await server.services.fleet.start(id: "fast")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = await server.services.fleet.status(id: "fast"), status.closedTrades >= trades { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await server.services.fleet.stop(id: "fast")
    }

    @Test("performance, trades and risk agree with the bot's own books")
    func botAnalytics() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            try await Self.tradedBot(server, client, token: token, trades: 2)
            let status = try #require(await server.services.fleet.status(id: "fast"))
            #expect(status.closedTrades >= 2)

            let performance = try await client.call(.get, "/api/v1/analytics/performance", token: token)
            #expect(performance.status == .ok)
            let row = try #require((performance["bots"] as? [[String: Any]])?.first { $0["bot"] as? String == "fast" })
            #expect(row["trades"] as? Int == status.closedTrades)
            #expect(try Self.decimal(row["realized_pnl"]) == status.realizedPnL)
            let equity = try Self.decimal(row["equity"])
            #expect(try Self.decimal(row["total_pnl"]) == equity - Self.decimal(row["initial_balance"]))
            #expect(row["symbol"] as? String == "BTC/USDT" && row["quote_asset"] as? String == "USDT")
            #expect((row["observations"] as? Int ?? 0) > 10)
            #expect(row["max_drawdown"] is Double && row["sharpe"] is Double)
            let wins = row["wins"] as? Int ?? -1
            let losses = row["losses"] as? Int ?? -1
            #expect(wins + losses <= status.closedTrades)
            let totals = try #require((performance["totals"] as? [[String: Any]])?.first)
            #expect(totals["quote_asset"] as? String == "USDT" && totals["trades"] as? Int == status.closedTrades)

            let trades = try await client.call(.get, "/api/v1/analytics/trades?bot=fast", token: token)
            let rows = try #require(trades["trades"] as? [[String: Any]])
            #expect(trades["total"] as? Int == status.closedTrades && rows.count == status.closedTrades)
            var sum = FixedPoint.zero
            for trade in rows { sum += try Self.decimal(trade["net_pnl"]) }
            #expect(sum == status.realizedPnL)
            let exits = rows.compactMap { $0["exit_time"] as? Int }
            #expect(exits == exits.sorted(by: >))
            #expect(rows.allSatisfy { $0["bot"] as? String == "fast" && $0["symbol"] as? String == "BTC/USDT" })
            let summary = try #require((trades["summary"] as? [String: Any])?["USDT"] as? [String: Any])
            #expect(summary["count"] as? Int == status.closedTrades)
            let page = try await client.call(.get, "/api/v1/analytics/trades?limit=1&offset=1", token: token)
            #expect((page["trades"] as? [[String: Any]])?.first?["exit_time"] as? Int == exits[1])
            let window = try await client.call(
                .get, "/api/v1/analytics/trades?from=\(exits[0])&to=\(exits[0])", token: token)
            #expect(window["total"] as? Int == 1)
            let other = try await client.call(.get, "/api/v1/analytics/trades?symbol=ETH/USDT", token: token)
            #expect(other["total"] as? Int == 0)

            let risk = try await client.call(.get, "/api/v1/analytics/risk?bot=fast", token: token)
            let riskRow = try #require((risk["bots"] as? [[String: Any]])?.first)
            let statistics = try #require(riskRow["statistics"] as? [String: Any])
            #expect((statistics["observations"] as? Int ?? 0) > 10)
            #expect(statistics["value_at_risk95"] is Double && statistics["conditional_value_at_risk99"] is Double)
            let portfolio = try #require((risk["portfolio"] as? [[String: Any]])?.first)
            #expect(portfolio["quote_asset"] as? String == "USDT" && portfolio["bots"] as? Int == 1)
        }
    }

    @Test("analytics refuse bad windows and symbols, and hide other users' bots")
    func analyticsValidation() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody("mine"))
            _ = try await server.user("tina", role: .trader)
            let tina = try await client.login("tina", "user-password-1")
            for path in ["performance", "risk", "trades"] {
                let bad = try await client.call(.get, "/api/v1/analytics/\(path)?from=5&to=1", token: admin)
                #expect(bad.status == .badRequest && bad.errorField == "from", "\(path)")
                let negative = try await client.call(.get, "/api/v1/analytics/\(path)?to=-1", token: admin)
                #expect(negative.status == .badRequest && negative.errorField == "to", "\(path)")
                let hidden = try await client.call(.get, "/api/v1/analytics/\(path)?bot=mine", token: tina)
                #expect(hidden.status == .notFound, "\(path)")
                let unauthenticated = try await client.call(.get, "/api/v1/analytics/\(path)")
                #expect(unauthenticated.status == .unauthorized, "\(path)")
            }
            let own = try await client.call(.get, "/api/v1/analytics/performance", token: tina)
            #expect((own["bots"] as? [Any])?.isEmpty == true && (own["totals"] as? [Any])?.isEmpty == true)
            let fresh = try await client.call(.get, "/api/v1/analytics/performance?bot=mine", token: admin)
            let row = try #require((fresh["bots"] as? [[String: Any]])?.first)
            #expect(
                row["equity"] as? String == "10000" && row["trades"] as? Int == 0 && row["observations"] as? Int == 0)
            let symbol = try await client.call(.get, "/api/v1/analytics/trades?symbol=BTC", token: admin)
            #expect(symbol.status == .badRequest && symbol.errorField == "symbol")
            let limit = try await client.call(.get, "/api/v1/analytics/trades?limit=0", token: admin)
            #expect(limit.status == .badRequest && limit.errorField == "limit")
        }
    }

    @Test("trading start, pause, resume and stop act on the caller's bots and answer per bot")
    func tradingEngine() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            for id in ["a", "b"] {
                _ = try await client.call(.post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody(id))
            }
            _ = try await server.user("tina", role: .trader)
            _ = try await server.user("vic", role: .viewer)
            let tina = try await client.login("tina", "user-password-1")
            let vic = try await client.login("vic", "user-password-1")

            let idle = try await client.call(.get, "/api/v1/trading/status", token: admin)
            #expect(idle["state"] as? String == "stopped" && idle["bots"] as? Int == 2)
            let started = try await client.call(.post, "/api/v1/trading/start", token: admin)
            let results = try #require(started["results"] as? [[String: Any]])
            #expect(Set(results.compactMap { $0["bot"] as? String }) == ["a", "b"])
            #expect(results.allSatisfy { $0["ok"] as? Bool == true })
            for id in ["a", "b"] { _ = try await BotRouteTests.waitFor(server, id) { $0.lifecycle == .running } }
            let running = try await client.call(.get, "/api/v1/trading/status", token: admin)
            #expect(running["state"] as? String == "running")
            #expect((running["by_lifecycle"] as? [String: Int])?["running"] == 2)

            let paused = try await client.call(.post, "/api/v1/trading/pause", token: admin, json: #"{"bots":["a"]}"#)
            #expect((paused["results"] as? [[String: Any]])?.map { $0["bot"] as? String } == ["a"])
            _ = try await BotRouteTests.waitFor(server, "a") { $0.lifecycle == .paused }
            let resumed = try await client.call(.post, "/api/v1/trading/resume", token: admin)
            #expect((resumed["results"] as? [[String: Any]])?.map { $0["bot"] as? String } == ["a"])
            _ = try await BotRouteTests.waitFor(server, "a") { $0.lifecycle == .running }

            let positions = try await client.call(.get, "/api/v1/trading/positions", token: admin)
            #expect(positions.status == .ok && positions["positions"] is [Any])

            let tinaStart = try await client.call(.post, "/api/v1/trading/stop", token: tina)
            #expect((tinaStart["results"] as? [Any])?.isEmpty == true)
            let tinaNamed = try await client.call(.post, "/api/v1/trading/stop", token: tina, json: #"{"bots":["a"]}"#)
            #expect(tinaNamed.status == .notFound)
            let viewer = try await client.call(.post, "/api/v1/trading/stop", token: vic)
            #expect(viewer.status == .forbidden)
            let tinaStatus = try await client.call(.get, "/api/v1/trading/status", token: tina)
            #expect(tinaStatus["bots"] as? Int == 0 && tinaStatus["state"] as? String == "stopped")
            let badBody = try await client.call(.post, "/api/v1/trading/stop", token: admin, json: #"{"bots":"a"}"#)
            #expect(badBody.status == .badRequest && badBody.errorField == "bots")
            let unknown = try await client.call(.post, "/api/v1/trading/stop", token: admin, json: #"{"all":true}"#)
            #expect(unknown.status == .badRequest && unknown.errorField == "all")

            let stopped = try await client.call(.post, "/api/v1/trading/stop", token: admin)
            #expect((stopped["results"] as? [[String: Any]])?.count == 2)
            for id in ["a", "b"] { _ = try await BotRouteTests.waitFor(server, id) { $0.lifecycle == .stopped } }
        }
    }
}
