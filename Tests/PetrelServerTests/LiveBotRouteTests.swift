import Foundation
import HTTPTypes
import PetrelCore
import PetrelRuntime
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
}
