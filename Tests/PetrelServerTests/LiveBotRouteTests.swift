import Foundation
import HTTPTypes
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import PetrelTestSupport
import Testing

/// A server bot on Binance's live market (the fake venue): created and started through the API, it trades
/// on streamed candles, and its chart route shows the candles it processed.
@Suite("Live-market bots on the server")
struct LiveBotRouteTests {
    static func candle(_ time: Int64, _ price: Int) -> Candle {
        let value = FixedPoint("\(price)")!
        return Candle(timestamp: time, open: value, high: value, low: value, close: value, volume: .one)
    }

    @Test("a paper bot with data_source binance runs on streamed candles; /candles charts what it processed")
    func chartsLiveCandles() async throws {
        let fake = FakeBinance()
        fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        let minute: Int64 = 60_000
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute
        fake.setKlines("BTCUSDT", interval: "1m", (0..<30).map { Self.candle(now - Int64(60 - $0) * minute, 100 + $0) })
        try await fake.run { url in
            try await TestServer.withServer { server, client in
                let token = try await client.adminToken()
                let ws = url.replacingOccurrences(of: "http://", with: "ws://")
                let config = """
                    {"broker": {"type": "binance_paper", "initial_balance": 10000.0, "commission": 0.001},
                     "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
                     "data": {"data_source": "binance", "symbol": "BTCUSDT", "interval": "1m", "lookback_bars": 20,
                              "retry_interval": 1, "base_url": "\(url)", "ws_url": "\(ws)"},
                     "strategy": {"type": "ma_crossover", "params": {"fast_period": 2, "slow_period": 4, "ma_type": "sma"}}}
                    """
                let created = try await client.call(
                    .post, "/api/v1/bots", token: token, json: BotRouteTests.createBody("live1", config: config))
                #expect(created.status == .created, "\(created)")
                #expect(try await client.call(.post, "/api/v1/bots/live1/start", token: token).status == .ok)
                _ = try await BotRouteTests.waitFor(server, "live1") { $0.lifecycle == .running }
                #expect(await fake.waitForStreamConnections(1, seconds: 60))
                let live = (0..<3).map { Self.candle(now - Int64(30 - $0) * minute, 200 + $0) }
                for item in live { fake.pushKline("BTCUSDT", interval: "1m", item, closed: true) }
                var charted: [Int64] = []
                for _ in 0..<600 {
                    let reply = try await client.call(.get, "/api/v1/bots/live1/candles", token: token)
                    charted =
                        (reply["items"] as? [[String: Any]])?.compactMap { ($0["timestamp"] as? NSNumber)?.int64Value }
                        ?? []
                    if charted.count == 3 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(charted == live.map(\.timestamp))
                #expect(try await client.call(.post, "/api/v1/bots/live1/stop", token: token).status == .ok)
            }
        }
    }

    /// The error message of a reply.
    static func message(_ reply: JSONReply) -> String {
        (reply["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    /// A live binance config on the fake's market, trading from the stored account `account`.
    static func liveConfig(_ url: String, account: String = "main", broker extra: String = "") -> String {
        let ws = url.replacingOccurrences(of: "http://", with: "ws://")
        return """
            {"broker": {"type": "binance", "initial_balance": 10000.0, "account": "\(account)"\(extra)},
             "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
             "data": {"data_source": "binance", "symbol": "BTCUSDT", "interval": "1m", "lookback_bars": 20,
                      "retry_interval": 1, "base_url": "\(url)", "ws_url": "\(ws)"},
             "strategy": {"type": "ma_crossover", "params": {"fast_period": 2, "slow_period": 4, "ma_type": "sma"}}}
            """
    }

    @Test(
        "a live binance bot on the server trades from its owner's stored account: one order, signed with its key, sent to the account's venue and not to the config's URL"
    )
    func liveFromStoredAccount() async throws {
        // Two venues: the config's market data (its base_url) and the one the server trades at (--binance-url).
        let market = FakeBinance()
        let venue = FakeBinance()
        for fake in [market, venue] {
            fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
            fake.setBalances(["USDT": (free: "10000.00000000", locked: "0.00000000")])
            fake.setPrices("BTCUSDT", bid: "29800.00", ask: "29800.50", last: "29800.20")
        }
        let minute: Int64 = 60_000
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute
        // Thirty falling minutes: the fast average below the slow one.
        market.setKlines(
            "BTCUSDT", interval: "1m", (0..<30).map { Self.candle(now - Int64(60 - $0) * minute, 30_000 - 10 * $0) })
        try await market.run { url in
            try await venue.run { venueURL in
                try await TestServer.withServer(binanceURL: venueURL) { server, client in
                    let token = try await client.adminToken()
                    let account =
                        #"{"name":"main","venue":"binance","api_key":"\#(venue.apiKey)","api_secret":"\#(venue.secret)"}"#
                    let stored = try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: account)
                    #expect(stored.status == .created, "\(stored)")
                    let created = try await client.call(
                        .post, "/api/v1/bots", token: token,
                        json: BotRouteTests.createBody("real1", config: Self.liveConfig(url)))
                    #expect(created.status == .created, "\(created)")
                    let started = try await client.call(.post, "/api/v1/bots/real1/start", token: token)
                    #expect(started.status == .ok, "\(started)")
                    _ = try await BotRouteTests.waitFor(server, "real1") { $0.lifecycle == .running }
                    #expect(await market.waitForStreamConnections(1, seconds: 60))
                    market.pushKline("BTCUSDT", interval: "1m", Self.candle(now - 30 * minute, 29_750), closed: true)
                    let deadline = ContinuousClock.now + .seconds(60)
                    while venue.orderCount == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(venue.orderCount == 1 && venue.orders(clientID: "real1x1") == 1)
                    let posts = venue.requests.filter { $0.method == "POST" && $0.path == "/api/v3/order" }
                    #expect(posts.count == 1 && posts.allSatisfy { $0.apiKey == venue.apiKey })
                    // The config's URL got market data only: no order, no key.
                    #expect(market.orderCount == 0 && market.requests.allSatisfy { $0.apiKey == nil })
                    #expect(try await client.call(.post, "/api/v1/bots/real1/stop", token: token).status == .ok)
                    _ = try await BotRouteTests.waitFor(server, "real1") { !$0.lifecycle.isActive }
                    // The account is deleted: the next start opens it again and finds nothing; no old key is used.
                    let accountID = try #require((stored["id"] as? NSNumber)?.int64Value)
                    let deleted = try await client.call(
                        .delete, "/api/v1/exchange-accounts/\(accountID)", token: token)
                    #expect(deleted.status == .noContent)
                    let restart = try await client.call(.post, "/api/v1/bots/real1/start", token: token)
                    #expect(
                        restart.status == .badRequest
                            && Self.message(restart).contains("no exchange account named 'main'"),
                        "\(restart)")
                }
            }
        }
    }

    @Test(
        "the server refuses a live broker with ${ENV} keys, with a base_url, or naming an account its owner lacks or of another venue"
    )
    func liveRefusals() async throws {
        try await TestServer.withServer(binanceURL: "http://127.0.0.1:9") { server, client in
            let token = try await client.adminToken()
            let okx =
                #"{"name":"okx-main","venue":"okx","api_key":"okx-key-0123456789","api_secret":"okx-secret-abcdefgh","passphrase":"pass-phrase-1"}"#
            #expect(
                try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: okx).status == .created)
            let url = "http://127.0.0.1:9"
            let withKeys = Self.liveConfig(url).replacingOccurrences(
                of: #""account": "main""#, with: #""api_key": "${K}", "api_secret": "${S}""#)
            let keys = try await client.call(
                .post, "/api/v1/bots", token: token, json: BotRouteTests.createBody("k1", config: withKeys))
            #expect(keys.status == .badRequest && keys.errorField == "$.broker.account", "\(keys)")
            let redirected = try await client.call(
                .post, "/api/v1/bots", token: token,
                json: BotRouteTests.createBody(
                    "k2", config: Self.liveConfig(url, broker: #", "base_url": "https://example.com""#)))
            #expect(redirected.status == .badRequest && redirected.errorField == "$.broker.base_url", "\(redirected)")
            // Stored, but its account is missing or for another venue: the start says so and nothing runs.
            for (id, name, words) in [
                ("k3", "nobody", "no exchange account named 'nobody'"), ("k4", "okx-main", "is for okx"),
            ] {
                let created = try await client.call(
                    .post, "/api/v1/bots", token: token,
                    json: BotRouteTests.createBody(id, config: Self.liveConfig(url, account: name)))
                #expect(created.status == .created, "\(created)")
                let start = try await client.call(.post, "/api/v1/bots/\(id)/start", token: token)
                #expect(start.status == .badRequest && start.errorField == "$.broker.account", "\(start)")
                #expect(Self.message(start).contains(words), "\(start)")
                #expect(await server.services.fleet.supervisor.runner(for: id) == nil)
            }
            // Another trader cannot trade from the admin's account.
            _ = try await server.user("trina", role: .trader)
            let trina = try await client.login("trina", "user-password-1")
            let admins =
                #"{"name":"main","venue":"binance","api_key":"AKIAKEY1234567890WXYZ","api_secret":"s3cr3t-value-abcdefgh"}"#
            #expect(
                try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: admins).status == .created
            )
            #expect(
                try await client.call(
                    .post, "/api/v1/bots", token: trina,
                    json: BotRouteTests.createBody("t1", config: Self.liveConfig(url))
                ).status == .created)
            let borrowed = try await client.call(.post, "/api/v1/bots/t1/start", token: trina)
            #expect(
                borrowed.status == .badRequest && Self.message(borrowed).contains("no exchange account named 'main'"),
                "\(borrowed)")
        }
    }
}
