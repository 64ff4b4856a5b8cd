import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Candles built from trades and quotes, for venues that stream only those.
@Suite("Candle aggregator: candles from trades and quotes")
struct CandleAggregatorTests {
    static let symbol = try! Symbol(parsing: "BTC/USDT")
    static let t0 = TestCandles.newYear2024

    /// A trade `seconds` after 2024-01-01 00:00 UTC.
    static func trade(_ price: String, _ quantity: String, at seconds: Int64) -> TradeTick {
        TradeTick(symbol: symbol, price: decimal(price), quantity: decimal(quantity), timestamp: t0 + seconds * 1_000)
    }

    static func minute(_ index: Int64) -> Int64 { t0 + index * 60_000 }

    @Test("trades of one minute become one exact OHLCV candle, closed by the first trade of a later minute")
    func ohlcv() {
        var aggregator = CandleAggregator(timeframe: .m1)
        var closed: [Candle] = []
        for trade in [
            Self.trade("100", "0.5", at: 0), Self.trade("101.5", "0.25", at: 10), Self.trade("99.75", "1", at: 30),
            Self.trade("100.25", "0.125", at: 59),
        ] {
            closed += aggregator.add(trade)
        }
        #expect(closed.isEmpty)
        closed += aggregator.add(Self.trade("100.5", "2", at: 61))
        #expect(
            closed == [
                Candle(
                    timestamp: Self.minute(0), open: decimal("100"), high: decimal("101.5"), low: decimal("99.75"),
                    close: decimal("100.25"), volume: decimal("1.875"))
            ])
        #expect(aggregator.forming?.open == decimal("100.5"))
        #expect(aggregator.nextCloseAt == Self.minute(2))
    }

    @Test("minutes without a trade become flat candles at the last close with no volume")
    func quietMinutes() {
        var aggregator = CandleAggregator(timeframe: .m1)
        _ = aggregator.add(Self.trade("100", "1", at: 0))
        let closed = aggregator.add(Self.trade("103", "1", at: 3 * 60 + 5))
        #expect(closed.map(\.timestamp) == [Self.minute(0), Self.minute(1), Self.minute(2)])
        #expect(closed.dropFirst().allSatisfy { $0.open == 100 && $0.high == 100 && $0.close == 100 })
        #expect(closed.dropFirst().allSatisfy { $0.volume == .zero })
    }

    @Test("the minute the feed joined in the middle of is not emitted: trades before the subscription are missing")
    func partialFirstBucket() {
        var joinedLate = CandleAggregator(timeframe: .m1)
        _ = joinedLate.add(Self.trade("100", "1", at: 20))
        #expect(joinedLate.formingIsPartial)
        #expect(joinedLate.add(Self.trade("101", "1", at: 60)).isEmpty)
        #expect(joinedLate.add(Self.trade("102", "1", at: 120)).map(\.timestamp) == [Self.minute(1)])

        var joinedOnTime = CandleAggregator(timeframe: .m1)
        _ = joinedOnTime.add(Self.trade("100", "1", at: 0))
        #expect(joinedOnTime.add(Self.trade("101", "1", at: 60)).map(\.timestamp) == [Self.minute(0)])
    }

    @Test("late trades, non-positive prices and negative sizes are counted and ignored")
    func ignoredTicks() {
        var aggregator = CandleAggregator(timeframe: .m1)
        _ = aggregator.add(Self.trade("100", "1", at: 0))
        _ = aggregator.add(Self.trade("101", "1", at: 61))
        #expect(aggregator.add(Self.trade("50", "1", at: 30)).isEmpty)
        #expect(aggregator.add(Self.trade("0", "1", at: 62)).isEmpty)
        #expect(aggregator.add(Self.trade("-3", "1", at: 62)).isEmpty)
        #expect(aggregator.add(Self.trade("101", "-1", at: 62)).isEmpty)
        #expect(aggregator.ignoredTicks == 4)
        #expect(aggregator.forming?.low == decimal("101"))
    }

    @Test("quotes count at their last price, else the mid; crossed books are ignored; no volume")
    func quotes() {
        var aggregator = CandleAggregator(timeframe: .m1)
        func quote(_ bid: String, _ ask: String, last: String, at seconds: Int64) -> Quote {
            Quote(
                symbol: Self.symbol, bid: decimal(bid), ask: decimal(ask), last: decimal(last),
                timestamp: Self.t0 + seconds * 1_000)
        }
        _ = aggregator.add(quote("99", "101", last: "100", at: 0))
        _ = aggregator.add(quote("104", "106", last: "0", at: 10))
        _ = aggregator.add(quote("110", "100", last: "0", at: 20))
        let closed = aggregator.add(quote("99", "100", last: "99.5", at: 60))
        #expect(
            closed == [
                Candle(
                    timestamp: Self.minute(0), open: decimal("100"), high: decimal("105"), low: decimal("100"),
                    close: decimal("105"), volume: .zero)
            ])
        #expect(aggregator.ignoredTicks == 1)
    }

    @Test("a timer closes the forming candle once its minute has passed, then quiet minutes as they pass")
    func closeByTime() {
        var aggregator = CandleAggregator(timeframe: .m1)
        _ = aggregator.add(Self.trade("100", "1", at: 0))
        #expect(aggregator.close(upTo: Self.minute(1) - 1).isEmpty)
        #expect(aggregator.close(upTo: Self.minute(1)).map(\.timestamp) == [Self.minute(0)])
        #expect(aggregator.forming == nil)
        #expect(aggregator.nextCloseAt == Self.minute(2))
        #expect(aggregator.close(upTo: Self.minute(3) + 10).map(\.timestamp) == [Self.minute(1), Self.minute(2)])
        // A trade in minute 3 opens it at its own price, not the last close.
        #expect(aggregator.add(Self.trade("104", "1", at: 3 * 60 + 30)).isEmpty)
        #expect(aggregator.forming?.open == decimal("104"))
        // A trade for a minute already emitted by the timer is late.
        #expect(aggregator.add(Self.trade("99", "1", at: 2 * 60 + 59)).isEmpty)
        #expect(aggregator.ignoredTicks == 1)
    }
}
