import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import PetrelTestSupport
import Testing

/// Seed 004's symbol management and seed 003's coin search, over the simulated venue's directory.
@Suite("Symbol routes")
struct SymbolRouteTests {
    @Test("with --binance-url, discovery and coin search list Binance's trading symbols (a local fake)")
    func binanceDiscovery() async throws {
        let fake = FakeBinance()
        fake.list([
            .init(id: "BTCUSDT", base: "BTC", quote: "USDT", quoteVolume: "900000000.00"),
            .init(id: "ETHUSDT", base: "ETH", quote: "USDT", quoteVolume: "400000000.00"),
            .init(id: "LUNAUSDT", base: "LUNA", quote: "USDT", status: "BREAK"),
        ])
        try await fake.run { url in
            try await TestServer.withServer(binanceURL: url) { _, client in
                let token = try await client.adminToken()
                let found = try await client.call(.get, "/api/v1/symbols/discover?venue=binance", token: token)
                #expect(found["venue"] as? String == "binance" && found["simulated"] as? Bool == false)
                let symbols = (found["symbols"] as? [[String: Any]])?.compactMap { $0["symbol"] as? String }
                #expect(symbols == ["BTCUSDT", "ETHUSDT"])
                let coins = try await client.call(.get, "/api/search-coins?q=eth", token: token)
                #expect(coins["venue"] as? String == "binance")
                #expect((coins["coins"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["ETHUSDT"])
                let simulated = try await client.call(.get, "/api/v1/symbols/discover?venue=simulated", token: token)
                #expect(simulated["simulated"] as? Bool == true)
            }
        }
    }

    @Test("with --okx-url, discovery lists OKX's live USDT swaps by 24-hour value (seed 004's discover)")
    func okxDiscovery() async throws {
        let fake = FakeOKX()
        var btc = FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC", volume24h: "150000")
        btc.last = "64000.0"
        var doge = FakeOKX.Instrument(id: "DOGE-USDT-SWAP", type: "SWAP", base: "DOGE", volume24h: "90000000")
        doge.last = "0.1"
        fake.list([btc, doge, FakeOKX.Instrument(id: "LUNA-USDT-SWAP", type: "SWAP", base: "LUNA", state: "suspend")])
        try await fake.run { url in
            try await TestServer.withServer(okxURL: url) { _, client in
                let token = try await client.adminToken()
                let found = try await client.call(.get, "/api/v1/symbols/discover?venue=okx", token: token)
                #expect(found["venue"] as? String == "okx" && found["simulated"] as? Bool == false)
                let symbols = try #require(found["symbols"] as? [[String: Any]])
                #expect(symbols.compactMap { $0["symbol"] as? String } == ["BTC-USDT-SWAP", "DOGE-USDT-SWAP"])
                #expect(symbols.allSatisfy { $0["kind"] as? String == "swap" })
                let liquid = try await client.call(
                    .get, "/api/v1/symbols/discover?venue=okx&min_volume=100000000", token: token)
                #expect(
                    (liquid["symbols"] as? [[String: Any]])?.compactMap { $0["symbol"] as? String } == ["BTC-USDT-SWAP"]
                )
            }
        }
    }

    @Test("discover lists the venue's instruments, filtered and marked when tracked")
    func discover() async throws {
        try await TestServer.withServer { _, client in
            let token = try await client.adminToken()
            let all = try await client.call(.get, "/api/v1/symbols/discover", token: token)
            #expect(all["venue"] as? String == "simulated" && all["simulated"] as? Bool == true)
            let listed = try #require(all["symbols"] as? [[String: Any]])
            #expect(listed.contains { $0["symbol"] as? String == "DOGE-USDT-SWAP" && $0["kind"] as? String == "swap" })
            let volumes = listed.compactMap { $0["volume_24h"] as? Double }
            #expect(volumes.count == listed.count && volumes == volumes.sorted(by: >))
            let swaps = try await client.call(.get, "/api/v1/symbols/discover?kind=swap", token: token)
            #expect((swaps["symbols"] as? [[String: Any]])?.allSatisfy { $0["kind"] as? String == "swap" } == true)
            let median = volumes.sorted()[volumes.count / 2]
            let liquid = try await client.call(.get, "/api/v1/symbols/discover?min_volume=\(median)", token: token)
            #expect(
                (liquid["symbols"] as? [[String: Any]])?.allSatisfy { ($0["volume_24h"] as? Double ?? 0) >= median }
                    == true)
            _ = try await client.call(
                .post, "/api/v1/symbols/", token: token, json: #"{"venue":"simulated","symbol":"ETH/USDT"}"#)
            let again = try await client.call(.get, "/api/v1/symbols/discover?kind=spot", token: token)
            let eth = (again["symbols"] as? [[String: Any]])?.first { $0["symbol"] as? String == "ETH/USDT" }
            #expect(eth?["tracked"] as? Bool == true)
            for (query, field) in [
                ("venue=nowhere", "venue"), ("kind=future", "kind"), ("min_volume=-1", "min_volume"),
            ] {
                let bad = try await client.call(.get, "/api/v1/symbols/discover?\(query)", token: token)
                #expect(bad.status == .badRequest && bad.errorField == field, "\(query)")
            }
        }
    }

    @Test("create, update, enable, disable, batch and delete, with checks and roles")
    func crud() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await server.user("tina", role: .trader)
            let tina = try await client.login("tina", "user-password-1")
            let created = try await client.call(
                .post, "/api/v1/symbols/", token: admin,
                json:
                    #"{"venue":"simulated","symbol":"SOL-USDT-SWAP","kind":"swap","risk_multiplier":1.5,"notes":"L1"}"#)
            #expect(created.status == .created)
            #expect(created["base"] as? String == "SOL" && created["kind"] as? String == "swap")
            #expect(created["risk_multiplier"] as? Double == 1.5 && created["enabled"] as? Bool == true)
            let id = try #require(created["id"] as? Int)
            let duplicate = try await client.call(
                .post, "/api/v1/symbols/", token: admin, json: #"{"venue":"simulated","symbol":"SOL-USDT-SWAP"}"#)
            #expect(duplicate.status == .conflict)
            let cases: [(String, String)] = [
                (#"{"venue":"simulated","symbol":"NOPE/USDT"}"#, "symbol"),
                (#"{"venue":"mars","symbol":"BTC/USDT"}"#, "venue"),
                (#"{"venue":"simulated"}"#, "symbol"),
                (#"{"venue":"simulated","symbol":"BTC/USDT","risk_multiplier":9}"#, "risk_multiplier"),
                (#"{"venue":"simulated","symbol":"BTC/USDT","enabled":"yes"}"#, "enabled"),
                (#"{"venue":"simulated","symbol":"BTC/USDT","colour":1}"#, "colour"),
                (#"{"venue":"simulated","symbol":"BTC/USDT","kind":"swap"}"#, "kind"),
            ]
            for (body, field) in cases {
                let reply = try await client.call(.post, "/api/v1/symbols/", token: admin, json: body)
                #expect(reply.status == .badRequest && reply.errorField == field, "\(body)")
            }
            let forbidden = try await client.call(
                .post, "/api/v1/symbols/", token: tina, json: #"{"venue":"simulated","symbol":"BTC/USDT"}"#)
            #expect(forbidden.status == .forbidden)
            let tinaList = try await client.call(.get, "/api/v1/symbols/", token: tina)
            #expect((tinaList["symbols"] as? [Any])?.count == 1)

            let updated = try await client.call(
                .put, "/api/v1/symbols/\(id)", token: admin, json: #"{"risk_multiplier":0.5,"notes":"half"}"#)
            let symbol = try #require(updated["symbol"] as? [String: Any])
            #expect(symbol["risk_multiplier"] as? Double == 0.5 && symbol["notes"] as? String == "half")
            let badUpdate = try await client.call(
                .put, "/api/v1/symbols/\(id)", token: admin, json: #"{"risk_multiplier":0}"#)
            #expect(badUpdate.status == .badRequest && badUpdate.errorField == "risk_multiplier")
            let disabled = try await client.call(.post, "/api/v1/symbols/\(id)/disable", token: admin)
            #expect((disabled["symbol"] as? [String: Any])?["enabled"] as? Bool == false)
            let filtered = try await client.call(.get, "/api/v1/symbols/?enabled=false", token: admin)
            #expect((filtered["symbols"] as? [Any])?.count == 1)
            let enabled = try await client.call(.post, "/api/v1/symbols/\(id)/enable", token: admin)
            #expect((enabled["symbol"] as? [String: Any])?["enabled"] as? Bool == true)

            let second = try await client.call(
                .post, "/api/v1/symbols/", token: admin, json: #"{"venue":"simulated","symbol":"ADA/USDT"}"#)
            let secondID = try #require(second["id"] as? Int)
            let batch = try await client.call(
                .post, "/api/v1/symbols/batch", token: admin,
                json: #"{"ids":[\#(id),\#(secondID)],"action":"disable"}"#)
            #expect(batch["updated"] as? Int == 2)
            #expect((batch["symbols"] as? [[String: Any]])?.allSatisfy { $0["enabled"] as? Bool == false } == true)
            let missing = try await client.call(
                .post, "/api/v1/symbols/batch", token: admin, json: #"{"ids":[\#(id),999],"action":"enable"}"#)
            #expect(missing.status == .notFound)
            let unchanged = try #require(try await server.services.database.symbols.symbol(id: Int64(id)))
            #expect(!unchanged.isEnabled)
            let badAction = try await client.call(
                .post, "/api/v1/symbols/batch", token: admin, json: #"{"ids":[\#(id)],"action":"toggle"}"#)
            #expect(badAction.status == .badRequest && badAction.errorField == "action")
            let badIDs = try await client.call(
                .post, "/api/v1/symbols/batch", token: admin, json: #"{"ids":[],"action":"enable"}"#)
            #expect(badIDs.status == .badRequest && badIDs.errorField == "ids")
            let tinaBatch = try await client.call(
                .post, "/api/v1/symbols/batch", token: tina, json: #"{"ids":[\#(id)],"action":"enable"}"#)
            #expect(tinaBatch.status == .forbidden)

            let deleted = try await client.call(.delete, "/api/v1/symbols/\(id)", token: admin)
            #expect(deleted.status == .noContent)
            let gone = try await client.call(.get, "/api/v1/symbols/\(id)", token: admin)
            #expect(gone.status == .notFound)
            let notNumber = try await client.call(.get, "/api/v1/symbols/abc/performance", token: admin)
            #expect(notNumber.status == .notFound)
        }
    }

    @Test("a disabled symbol stops bots on its pair from starting and pauses the running ones")
    func disableGatesBots() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody("b1"))
            let created = try await client.call(
                .post, "/api/v1/symbols/", token: admin, json: #"{"venue":"simulated","symbol":"BTC/USDT"}"#)
            let id = try #require(created["id"] as? Int)
            _ = try await client.call(.post, "/api/v1/bots/b1/start", token: admin)
            _ = try await BotRouteTests.waitFor(server, "b1") { $0.lifecycle == .running }
            let disabled = try await client.call(.post, "/api/v1/symbols/\(id)/disable", token: admin)
            #expect(disabled["paused_bots"] as? [String] == ["b1"])
            _ = try await BotRouteTests.waitFor(server, "b1") { $0.lifecycle == .paused }
            _ = try await client.call(.post, "/api/v1/bots/b1/stop", token: admin)
            _ = try await BotRouteTests.waitFor(server, "b1") { $0.lifecycle == .stopped }
            let refused = try await client.call(.post, "/api/v1/bots/b1/start", token: admin)
            #expect(refused.status == .conflict)
            #expect(refused.errorMessage?.contains("disabled") == true)
            _ = try await client.call(.post, "/api/v1/symbols/\(id)/enable", token: admin)
            let started = try await client.call(.post, "/api/v1/bots/b1/start", token: admin)
            #expect(started.status == .ok)
            // Stopped before the server closes: a bot still starting would query a closed database.
            // (It comes back paused: its entries were paused when the symbol was disabled.)
            _ = try await BotRouteTests.waitFor(server, "b1") { [.running, .paused].contains($0.lifecycle) }
            _ = try await client.call(.post, "/api/v1/bots/b1/stop", token: admin)
        }
    }

    @Test("a fresh bot takes its symbol's risk multiplier into its position sizes and keeps it")
    func riskMultiplier() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await client.call(
                .post, "/api/v1/symbols/", token: admin,
                json: #"{"venue":"simulated","symbol":"BTC/USDT","risk_multiplier":0.5}"#)
            _ = try await client.call(
                .post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody("half", config: ServerConfigs.fast))
            _ = try await client.call(.post, "/api/v1/bots/half/start", token: admin)
            let record = try await BotRouteTests.waitFor(server, "half") { $0.sizingMultiplier == 0.5 }
            #expect(record.sizingMultiplier == 0.5)
            let deadline = ContinuousClock.now + .seconds(60)
            var entry: Order?
            while ContinuousClock.now < deadline, entry == nil {
                let orders = try await server.services.database.orderStore(bot: "half").recentOrders(limit: 50)
                entry = orders.last { $0.side == .buy && $0.filledQuantity.isPositive }
                if entry == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let order = try #require(entry)
            let price = try #require(order.averageFillPrice)
            let notional = order.filledQuantity.doubleValue * price.doubleValue
            // position_size 0.5 of 10,000 scaled by 0.5: about 2,500, not 5,000.
            #expect(notional > 2_000 && notional < 2_600, "\(notional)")
            _ = try await client.call(.post, "/api/v1/bots/half/stop", token: admin)
            _ = try await client.call(
                .put, "/api/v1/symbols/1", token: admin, json: #"{"risk_multiplier":2}"#)
            _ = try await client.call(.post, "/api/v1/bots/half/start", token: admin)
            let kept = try await BotRouteTests.waitFor(server, "half") { $0.lifecycle == .running }
            #expect(kept.sizingMultiplier == 0.5)
            _ = try await client.call(.post, "/api/v1/bots/half/stop", token: admin)
        }
    }

    @Test("per-symbol performance and seed 003's coin search")
    func performanceAndSearch() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            try await AnalyticsRouteTests.tradedBot(server, client, token: admin, trades: 1)
            let created = try await client.call(
                .post, "/api/v1/symbols/", token: admin, json: #"{"venue":"simulated","symbol":"BTC/USDT"}"#)
            let id = try #require(created["id"] as? Int)
            let performance = try await client.call(.get, "/api/v1/symbols/\(id)/performance", token: admin)
            let status = try #require(await server.services.fleet.status(id: "fast"))
            #expect(performance["bots"] as? [String] == ["fast"])
            #expect(performance["trades"] as? Int == status.closedTrades)
            let net = try #require(performance["net_pnl"] as? Double)
            #expect(abs(net - status.realizedPnL.doubleValue) < 1e-6)

            let search = try await client.call(.get, "/api/search-coins?q=eth", token: admin)
            #expect(search["venue"] as? String == "simulated" && search["simulated"] as? Bool == true)
            let coins = try #require(search["coins"] as? [[String: Any]])
            #expect(!coins.isEmpty && coins.allSatisfy { $0["base"] as? String == "ETH" })
            #expect(coins.allSatisfy { $0["price"] is Double && $0["volume_24h"] is Double })
            let compact = try await client.call(.get, "/api/search-coins?q=btcusdt", token: admin)
            #expect((compact["coins"] as? [[String: Any]])?.contains { $0["symbol"] as? String == "BTC/USDT" } == true)
            for query in ["", "q=", "q=\(String(repeating: "X", count: 21))"] {
                let bad = try await client.call(.get, "/api/search-coins?\(query)", token: admin)
                #expect(bad.status == .badRequest && bad.errorField == "q", "\(query)")
            }
            let venue = try await client.call(.get, "/api/search-coins?q=btc&venue=mars", token: admin)
            #expect(venue.status == .badRequest && venue.errorField == "venue")
            let anonymous = try await client.call(.get, "/api/search-coins?q=btc")
            #expect(anonymous.status == .unauthorized)
        }
    }
}
