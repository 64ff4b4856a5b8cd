import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Seed 000's trading pairs, bot config and trade history over REST.
@Suite("Portfolio bot routes")
struct PortfolioRouteTests {
    static func row(_ status: TradeStatus, _ from: String, _ to: String, at time: Int64) -> TradeHistoryRecord {
        TradeHistoryRecord(
            fromPair: from, toPair: to, decision: .buy, status: status, confidence: 0.8, risk: 0.2, volatility: 0.01,
            amount: 1, expectedReturn: 0.02, reasoning: "r", createdAt: time)
    }

    @Test("an administrator adds, changes and removes pairs; others may only read; bad input names the field")
    func tradingPairs() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            let added = try await client.call(
                .post, "/api/v1/trading-pairs", token: admin, json: #"{"pair_symbol":"BTC-USD","priority":100}"#)
            #expect(added.status == .created)
            #expect(added["pair_symbol"] as? String == "BTC-USD" && added["is_enabled"] as? Bool == true)
            _ = try await client.call(
                .post, "/api/v1/trading-pairs", token: admin, json: #"{"pair_symbol":"ETH-USD","priority":90}"#)
            let again = try await client.call(
                .post, "/api/v1/trading-pairs", token: admin, json: #"{"pair_symbol":"BTC/USD"}"#)
            #expect(again.status == .conflict)
            let changed = try await client.call(
                .put, "/api/v1/trading-pairs/ETH-USD", token: admin, json: #"{"priority":120,"is_enabled":false}"#)
            #expect(changed["priority"] as? Int == 120 && changed["is_enabled"] as? Bool == false)
            let stored = try await server.services.database.tradingPairs.pairs(bot: "portfolio")
            #expect(stored.map(\.priority) == [120, 100] && stored.first?.isEnabled == false)
            _ = try await server.user("vera", role: .viewer)
            let viewer = try await client.login("vera", "user-password-1")
            let list = try await client.call(.get, "/api/v1/trading-pairs", token: viewer)
            #expect(
                (list["items"] as? [[String: Any]])?.compactMap { $0["pair_symbol"] as? String } == [
                    "ETH-USD", "BTC-USD",
                ])
            #expect(try await client.call(.delete, "/api/v1/trading-pairs/BTC-USD", token: viewer).status == .forbidden)
            let badPriority = try await client.call(
                .put, "/api/v1/trading-pairs/BTC-USD", token: admin, json: #"{"priority":5000}"#)
            #expect(badPriority.errorField == "priority")
            let swap = try await client.call(
                .post, "/api/v1/trading-pairs", token: admin, json: #"{"pair_symbol":"BTC-USDT-SWAP"}"#)
            #expect(swap.errorField == "pair_symbol")
            #expect(try await client.call(.delete, "/api/v1/trading-pairs/BTC-USD", token: admin).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/trading-pairs/BTC-USD", token: admin).status == .notFound)
        }
    }

    @Test("bot-config reads seed 000's settings and changes them with the same checks as update_config")
    func botConfig() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            let initial = try await client.call(.get, "/api/v1/bot-config", token: admin)
            #expect(initial["risk_tolerance"] as? Double == 0.5 && initial["check_interval"] as? Int == 5)
            let changed = try await client.call(
                .put, "/api/v1/bot-config", token: admin, json: #"{"risk_tolerance":0.3,"trade_size_percentage":0.2}"#)
            #expect(changed.status == .ok)
            #expect(changed["risk_tolerance"] as? Double == 0.3 && changed["trade_size_percentage"] as? String == "0.2")
            #expect(try await server.services.database.portfolioSettings.load(bot: "portfolio")?.riskTolerance == 0.3)
            let bad = try await client.call(.put, "/api/v1/bot-config", token: admin, json: #"{"cache_ttl":100}"#)
            #expect(bad.status == .badRequest && bad.errorField == "cache_ttl")
            _ = try await server.user("trina", role: .trader)
            let trader = try await client.login("trina", "user-password-1")
            #expect(
                try await client.call(.put, "/api/v1/bot-config", token: trader, json: #"{"cache_ttl":4}"#).status
                    == .forbidden)
        }
    }

    @Test("trade history filters by status, pair and time, pages newest first, and checks its parameters")
    func tradeHistory() async throws {
        try await TestServer.withServer { server, client in
            let history = server.services.database.tradeHistory(bot: "portfolio")
            _ = try await history.append(Self.row(.executed, "USD", "BTC", at: 1_000))
            _ = try await history.append(Self.row(.failed, "BTC", "USD", at: 2_000))
            _ = try await history.append(Self.row(.executed, "USD", "ETH", at: 3_000))
            _ = try await history.append(Self.row(.pending, "ETH", "USD", at: 4_000))
            let admin = try await client.adminToken()
            let all = try await client.call(.get, "/api/v1/trade-history?page_size=3", token: admin)
            #expect(all["total"] as? Int == 4 && all["pages"] as? Int == 2)
            #expect(
                (all["items"] as? [[String: Any]])?.compactMap { $0["to_pair"] as? String } == ["USD", "ETH", "USD"])
            let second = try await client.call(.get, "/api/v1/trade-history?page_size=3&page=2", token: admin)
            #expect((second["items"] as? [[String: Any]])?.count == 1)
            let executed = try await client.call(.get, "/api/v1/trade-history?status=EXECUTED", token: admin)
            #expect(executed["total"] as? Int == 2)
            let btc = try await client.call(.get, "/api/v1/trade-history?pair=BTC-USD", token: admin)
            #expect(btc["total"] as? Int == 2)
            let eth = try await client.call(.get, "/api/v1/trade-history?pair=ETH&from=3000&to=4000", token: admin)
            #expect(eth["total"] as? Int == 1)
            let item = try #require((eth["items"] as? [[String: Any]])?.first)
            #expect(item["bot"] as? String == "portfolio" && item["status"] as? String == "EXECUTED")
            #expect(
                try await client.call(.get, "/api/v1/trade-history?status=DONE", token: admin).errorField == "status")
            #expect(try await client.call(.get, "/api/v1/trade-history?page=0", token: admin).errorField == "page")
            #expect(
                try await client.call(.get, "/api/v1/trade-history?from=yesterday", token: admin).errorField == "from")
        }
    }
}
