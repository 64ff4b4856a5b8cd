import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Replaying recorded candles as a live market")
struct ReplayMarketDataClientTests {
    static let series = try! CandleSeries.load(from: Fixtures.sharedData("bittrex_ETHBTC_5m_2018-01.csv"))

    @Test("replays every candle of a real file in order at full speed, then ends")
    func fullSpeed() async throws {
        let replay = try ReplayMarketDataClient(series: Self.series)
        var received: [Candle] = []
        for try await candle in replay.candleStream(symbol: Self.series.symbol!, timeframe: .m5) {
            received.append(candle)
        }
        #expect(received == Self.series.candles)
        #expect(replay.isFinished)
    }

    @Test("history queries only see candles already replayed, like a live venue")
    func historyIsThePast() async throws {
        let replay = try ReplayMarketDataClient(series: Self.series, start: 100)
        let symbol = Self.series.symbol!
        #expect(
            try await replay.candles(symbol: symbol, timeframe: .m5, from: nil, to: nil, limit: 10)
                == Array(Self.series.candles[90..<100]))
        var iterator = replay.candleStream(symbol: symbol, timeframe: .m5).makeAsyncIterator()
        for _ in 0..<5 { _ = try await iterator.next() }
        let after = try await replay.candles(symbol: symbol, timeframe: .m5, from: nil, to: nil, limit: 10)
        // The replay may have moved on by the time the query runs, but never beyond what it emitted + 1.
        #expect(after.last!.timestamp >= Self.series.candles[104].timestamp)
        let from = Self.series.candles[50].timestamp
        #expect(
            try await replay.candles(symbol: symbol, timeframe: .m5, from: from, to: nil, limit: 3)
                == Array(Self.series.candles[50..<53]))
    }

    @Test("at a speed multiple it waits one candle length divided by the speed between candles")
    func pacedBySpeed() async throws {
        let sleeper = RecordingSleeper()
        let short = CandleSeries(
            symbol: Self.series.symbol, timeframe: .m5, candles: Array(Self.series.candles.prefix(4)))
        let replay = try ReplayMarketDataClient(series: short, speed: 60, sleeper: sleeper)
        var count = 0
        for try await _ in replay.candleStream(symbol: short.symbol!, timeframe: .m5) { count += 1 }
        #expect(count == 4)
        // 5 minutes / 60 = 5 seconds per candle.
        #expect(sleeper.requested == [5_000, 5_000, 5_000, 5_000])
    }

    @Test("quotes sit around the last replayed close at the configured spread")
    func quotes() async throws {
        let replay = try ReplayMarketDataClient(series: Self.series, start: 10, spreadFraction: 0.001)
        let quote = try await replay.quote(symbol: Self.series.symbol!)
        let close = Self.series.candles[9].close
        #expect(quote.last == close)
        #expect(quote.bid < close && quote.ask > close)
        #expect(quote.ask - close == close - quote.bid)
        #expect(quote.timestamp == Self.series.candles[9].timestamp + 300_000)
    }

    @Test("asking for another market or a bad setup is refused with a clear message")
    func refusals() async throws {
        let replay = try ReplayMarketDataClient(series: Self.series)
        await #expect(throws: ExecutionError.self) {
            _ = try await replay.candles(
                symbol: try Symbol(parsing: "BTC/USDT"), timeframe: .m5, from: nil, to: nil, limit: 1)
        }
        #expect(throws: ReplayError.invalidSpeed(-1)) { _ = try ReplayMarketDataClient(series: Self.series, speed: -1) }
        #expect(throws: ReplayError.invalidStart(9_999, count: 5_760)) {
            _ = try ReplayMarketDataClient(series: Self.series, start: 9_999)
        }
    }

    @Test("the market data service warms a bot up from the replay and then streams it in order")
    func throughTheService() async throws {
        let replay = try ReplayMarketDataClient(series: Self.series, start: 50)
        let service = MarketDataService(clients: [replay], clock: TestClock(), sleeper: RecordingSleeper())
        let key = CandleFeedKey(venue: "replay", symbol: Self.series.symbol!, timeframe: .m5)
        var events = try await service.subscribe(to: key, lookback: 50).makeAsyncIterator()
        #expect(await events.next() == .history(Array(Self.series.candles[0..<50])))
        var live: [Candle] = []
        while live.count < 20, let event = await events.next() {
            if case .candle(let candle) = event { live.append(candle) }
            if case .backfill(let candles) = event { live += candles }
        }
        #expect(Array(live.prefix(20)) == Array(Self.series.candles[50..<70]))
    }
}
