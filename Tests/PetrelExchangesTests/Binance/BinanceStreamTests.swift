import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Binance's WebSocket market streams against the fake venue: what each stream delivers, and every way
/// a connection fails (drop, silence, refusal, the 24-hour cut, a shutdown notice), with the end state
/// the market-data service reaches after each.
@Suite("Binance market streams")
struct BinanceStreamTests {
    static let btc = try! Symbol(base: "BTC", quote: "USDT")
    static let minute: Int64 = 60_000

    /// One-minute candles starting `minutesAgo` minutes before the current minute, all closed.
    static func minutes(_ count: Int, minutesAgo: Int) -> [Candle] {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute
        return (0..<count).map { index in
            let price = FixedPoint("\(200 + index)")!
            return Candle(
                timestamp: now - Int64(minutesAgo - index) * minute, open: price, high: price + .one,
                low: price - .one, close: price, volume: FixedPoint("1.5")!)
        }
    }

    static func venue() -> FakeBinance {
        let fake = FakeBinance()
        fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        return fake
    }

    static func data(_ url: String, _ settings: BinanceStreams.Settings = .init()) -> BinanceMarketDataClient {
        BinanceMarketDataClient(
            client: BinanceClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30)),
            streams: BinanceStreams(baseURL: url.replacingOccurrences(of: "http://", with: "ws://"), settings: settings)
        )
    }

    @Test("the kline stream delivers closed klines only, over a combined-stream connection")
    func klines() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(Self.data(url).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await fake.waitForStreamConnections(1))
            let candles = Self.minutes(2, minutesAgo: 2)
            fake.pushKline("BTCUSDT", interval: "1m", candles[0], closed: false)
            fake.pushKline("BTCUSDT", interval: "1m", candles[0], closed: true)
            fake.pushKline("BTCUSDT", interval: "1m", candles[1], closed: false)
            fake.pushKline("BTCUSDT", interval: "1m", candles[1], closed: true)
            #expect(await probe.wait(for: 2) == candles)
            #expect(fake.streamConnectionsOpened == [["btcusdt@kline_1m"]])
            probe.cancel()
        }
    }

    @Test("quotes come from bookTicker, with the last trade's price from the same combined connection")
    func quotes() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(Self.data(url).quoteStream(symbol: Self.btc))
            #expect(await fake.waitForStreamConnections(1))
            #expect(fake.streamConnectionsOpened == [["btcusdt@bookTicker", "btcusdt@trade"]])
            fake.pushBook("BTCUSDT", bid: "100.00", ask: "100.10")
            _ = await probe.wait(for: 1)
            fake.pushTrade("BTCUSDT", price: "100.07", quantity: "0.25", time: 1_700_000_000_000)
            fake.pushBook("BTCUSDT", bid: "100.01", ask: "100.09", bidQty: "3", askQty: "4")
            let quotes = await probe.wait(for: 2)
            try #require(quotes.count == 2)
            // Before any trade the last price is the mid.
            #expect(quotes[0].bid == FixedPoint("100.00")! && quotes[0].ask == FixedPoint("100.10")!)
            #expect(quotes[0].last == FixedPoint("100.05")!)
            #expect(quotes[1].last == FixedPoint("100.07")!)
            #expect(quotes[1].bidSize == FixedPoint("3")! && quotes[1].askSize == FixedPoint("4")!)
            probe.cancel()
        }
    }

    @Test("trades arrive with price, quantity and trade time")
    func trades() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(Self.data(url).tradeStream(symbol: Self.btc))
            #expect(await fake.waitForStreamConnections(1))
            fake.pushTrade("BTCUSDT", price: "64000.01", quantity: "0.00120000", time: 1_700_000_000_123)
            #expect(
                await probe.wait(for: 1) == [
                    TradeTick(
                        symbol: Self.btc, price: FixedPoint("64000.01")!, quantity: FixedPoint("0.0012")!,
                        timestamp: 1_700_000_000_123)
                ])
            probe.cancel()
        }
    }

    @Test("malformed and unknown messages are skipped; the connection carries on")
    func malformed() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(Self.data(url).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await fake.waitForStreamConnections(1))
            fake.pushRaw("not json")
            fake.pushRaw(#"{"stream":"btcusdt@kline_1m","data":{"e":"kline","k":{"t":"soon","x":true}}}"#)
            fake.pushRaw(#"{"result":null,"id":1}"#)
            fake.pushRaw(#"{"stream":"ethusdt@kline_1m","data":{}}"#)
            let candle = Self.minutes(1, minutesAgo: 1)[0]
            fake.pushKline("BTCUSDT", interval: "1m", candle, closed: true)
            #expect(await probe.wait(for: 1) == [candle])
            #expect(!probe.ended && fake.streamConnectionsOpened.count == 1)
            probe.cancel()
        }
    }

    @Test("a dropped connection ends the stream; the market-data service back-fills the gap over REST and reconnects")
    func dropAndBackfill() async throws {
        let fake = Self.venue()
        let candles = Self.minutes(9, minutesAgo: 20)
        fake.setKlines("BTCUSDT", interval: "1m", Array(candles[0..<5]))
        try await fake.run { url in
            let service = MarketDataService(
                clients: [Self.data(url)], clock: LiveClock(),
                configuration: .init(retryIntervalMilliseconds: 50, jitterFraction: 0))
            let key = CandleFeedKey(venue: "binance", symbol: Self.btc, timeframe: .m1)
            let events = try await service.subscribe(to: key, lookback: 3)
            let probe = StreamProbe(
                AsyncThrowingStream { continuation in
                    let task = Task {
                        for await event in events { continuation.yield(event) }
                        continuation.finish()
                    }
                    continuation.onTermination = { _ in task.cancel() }
                })
            let first = await probe.wait(for: 1)
            #expect(first == [.history(Array(candles[2..<5]))], "\(first)")
            #expect(await fake.waitForStreamConnections(1))
            fake.pushKline("BTCUSDT", interval: "1m", candles[5], closed: true)
            #expect(await probe.wait(for: 2).last == .candle(candles[5]))
            // The drop: two candles close while no connection is open (REST has them).
            fake.dropStreams()
            fake.pushKline("BTCUSDT", interval: "1m", candles[6], closed: true)
            fake.pushKline("BTCUSDT", interval: "1m", candles[7], closed: true)
            #expect(await fake.waitForStreamConnections(2))
            _ = await probe.wait(for: 5)
            fake.pushKline("BTCUSDT", interval: "1m", candles[8], closed: true)
            let seen = await probe.wait(for: 6)
            try #require(seen.count == 6)
            guard case .disconnected(let reason, _) = seen[2] else {
                Issue.record("expected a disconnection, got \(seen[2])")
                return
            }
            #expect(reason.contains("closed"))
            #expect(Array(seen[3...]) == [.backfill(Array(candles[6..<8])), .reconnected, .candle(candles[8])])
            probe.cancel()
        }
    }

    @Test("a connection silent past the limit is closed and the stream ends as silent")
    func silence() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(
                Self.data(url, .init(silenceMilliseconds: 400)).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await fake.waitForStreamConnections(1))
            fake.silenceStreams(true)
            let error = await probe.waitForEnd()
            #expect(error as? BinanceStreamError == .silent(milliseconds: 400))
            // The client hung up the silent connection itself.
            var open = fake.openStreamConnections
            for _ in 0..<200 where open > 0 {
                try await Task.sleep(for: .milliseconds(10))
                open = fake.openStreamConnections
            }
            #expect(open == 0)
        }
    }

    @Test("the server's pings are answered with pongs, so it keeps the connection")
    func pingPong() async throws {
        let fake = Self.venue()
        try await fake.run(streamPingMilliseconds: 2_000) { url in
            let probe = StreamProbe(Self.data(url).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await fake.waitForStreamConnections(1))
            // Three ping rounds: a client that did not answer would have been cut after the second.
            try await Task.sleep(for: .milliseconds(5_000))
            let candle = Self.minutes(1, minutesAgo: 1)[0]
            fake.pushKline("BTCUSDT", interval: "1m", candle, closed: true)
            #expect(await probe.wait(for: 1) == [candle])
            #expect(!probe.ended && fake.streamConnectionsOpened.count == 1 && fake.openStreamConnections == 1)
            probe.cancel()
        }
    }

    @Test("a connection is replaced before Binance's 24-hour cut, and on a shutdown notice, without ending the stream")
    func rotation() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let probe = StreamProbe(
                Self.data(url, .init(maxConnectionAgeMilliseconds: 300)).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await fake.waitForStreamConnections(3))
            let candles = Self.minutes(2, minutesAgo: 2)
            fake.pushKline("BTCUSDT", interval: "1m", candles[0], closed: true)
            #expect(await probe.wait(for: 1) == [candles[0]])
            #expect(!probe.ended)
        }
        let shutdown = Self.venue()
        try await shutdown.run { url in
            let probe = StreamProbe(Self.data(url).candleStream(symbol: Self.btc, timeframe: .m1))
            #expect(await shutdown.waitForStreamConnections(1))
            shutdown.announceShutdown()
            #expect(await shutdown.waitForStreamConnections(2))
            let candle = Self.minutes(1, minutesAgo: 1)[0]
            shutdown.pushKline("BTCUSDT", interval: "1m", candle, closed: true)
            #expect(await probe.wait(for: 1) == [candle])
            #expect(!probe.ended)
            probe.cancel()
        }
    }

    @Test("a connection that cannot be made ends the stream with the reason")
    func refused() async throws {
        // Refused at once, or (on a starved machine) cut by the handshake deadline: either way it names the URL.
        let streams = BinanceStreams(baseURL: "ws://127.0.0.1:1", settings: .init(connectTimeoutMilliseconds: 2_000))
        let probe = StreamProbe(streams.events([BinanceStream(Self.btc, .trade)]))
        let error = await probe.waitForEnd(seconds: 60)
        guard case .cannotConnect(let why)? = error as? BinanceStreamError else {
            Issue.record("expected cannotConnect, got \(String(describing: error))")
            return
        }
        #expect(why.contains("127.0.0.1:1"))
        let none = StreamProbe(streams.events([]))
        #expect("\(await none.waitForEnd() ?? ExecutionError.fatal(""))".contains("1 to 1024 streams"))
    }

    @Test("candles(): the latest closed ones without a start, the first ones from a start, paged")
    func history() async throws {
        let fake = Self.venue()
        let candles = Self.minutes(2_400, minutesAgo: 2_400)
        fake.setKlines("BTCUSDT", interval: "1m", candles)
        try await fake.run { url in
            let data = Self.data(url)
            let latest = try await data.candles(symbol: Self.btc, timeframe: .m1, from: nil, to: nil, limit: 1_500)
            #expect(latest == Array(candles.suffix(1_500)))
            let first = try await data.candles(
                symbol: Self.btc, timeframe: .m1, from: candles[10].timestamp, to: nil, limit: 1_200)
            #expect(first == Array(candles[10..<1_210]))
        }
    }
}
