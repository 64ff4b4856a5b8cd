import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: price cache (seed 000's MarketDataCache)")
struct PriceCacheTests {
    static let btc = TestQuotes.symbol("BTC/USD")
    static let start = TestCandles.newYear2024

    @Test("a quote is fresh until cache_ttl_seconds have passed on the injected clock")
    func ttlExpiry() throws {
        let clock = TestClock(Self.start)
        var cache = try PriceCache(ttlSeconds: 3, historyCapacity: 11)
        let quote = TestQuotes.quote("BTC/USD", bid: "45000", ask: "45100", at: Self.start)
        #expect(cache.update(quote, now: clock.now()) == .stored)
        #expect(cache.freshQuote(for: Self.btc, now: clock.now()) == quote)
        clock.advance(by: 2_999)
        #expect(cache.isFresh(Self.btc, now: clock.now()))
        clock.advance(by: 1)  // age 3000 ms = TTL: expired
        #expect(cache.freshQuote(for: Self.btc, now: clock.now()) == nil)
        #expect(cache.lastQuote(for: Self.btc) == quote)
        // A new quote restarts the TTL from the moment it was stored.
        let next = TestQuotes.quote("BTC/USD", bid: "45010", ask: "45110", at: Self.start + 3_000)
        #expect(cache.update(next, now: clock.now()) == .stored)
        clock.advance(by: 2_999)
        #expect(cache.freshQuote(for: Self.btc, now: clock.now()) == next)
        #expect(cache.freshQuote(for: TestQuotes.symbol("ETH/USD"), now: clock.now()) == nil)
    }

    @Test("the same quote again neither refreshes the TTL nor enters the history")
    func duplicateQuote() throws {
        var cache = try PriceCache(ttlSeconds: 1, historyCapacity: 5)
        let quote = TestQuotes.quote("BTC/USD", mid: "100", at: Self.start)
        cache.update(quote, now: Self.start)
        #expect(cache.update(quote, now: Self.start + 900) == .duplicate)
        #expect(cache.prices(for: Self.btc) == [decimal("100")])
        #expect(!cache.isFresh(Self.btc, now: Self.start + 1_000))
    }

    @Test("older, crossed and non-positive quotes are ignored")
    func ignoredQuotes() throws {
        var cache = try PriceCache(ttlSeconds: 5, historyCapacity: 5)
        cache.update(TestQuotes.quote("BTC/USD", mid: "100", at: Self.start), now: Self.start)
        let older = TestQuotes.quote("BTC/USD", mid: "90", at: Self.start - 1)
        #expect(cache.update(older, now: Self.start + 10) == .outOfOrder)
        let crossed = TestQuotes.quote("BTC/USD", bid: "101", ask: "100", at: Self.start + 1)
        #expect(cache.update(crossed, now: Self.start + 10) == .invalid)
        let zero = TestQuotes.quote("BTC/USD", bid: "0", ask: "100", at: Self.start + 1)
        #expect(cache.update(zero, now: Self.start + 10) == .invalid)
        #expect(cache.prices(for: Self.btc) == [decimal("100")])
    }

    @Test("the history keeps the last volatility_window + 1 mids, oldest first")
    func boundedHistory() throws {
        var cache = try PriceCache(ttlSeconds: 5, historyCapacity: 3)
        for (step, mid) in ["1", "2", "3", "4", "5"].enumerated() {
            cache.update(TestQuotes.quote("BTC/USD", mid: mid, at: Self.start + Int64(step)), now: Self.start)
        }
        #expect(cache.prices(for: Self.btc) == ["3", "4", "5"].map(decimal))
        // mid of bid 99.99999999 and ask 100.00000002 rounds down at the 8th digit: 100.00000000
        cache.update(TestQuotes.quote("BTC/USD", bid: "99.99999999", ask: "100.00000002", at: Self.start + 9), now: 0)
        #expect(cache.prices(for: Self.btc) == ["4", "5", "100"].map(decimal))
    }

    @Test("reconfiguring keeps the newest prices and applies the new TTL")
    func reconfigure() throws {
        var cache = try PriceCache(ttlSeconds: 5, historyCapacity: 4)
        for (step, mid) in ["1", "2", "3", "4"].enumerated() {
            cache.update(TestQuotes.quote("BTC/USD", mid: mid, at: Self.start + Int64(step)), now: Self.start)
        }
        try cache.reconfigure(ttlSeconds: 1, historyCapacity: 2)
        #expect(cache.prices(for: Self.btc) == ["3", "4"].map(decimal))
        #expect(!cache.isFresh(Self.btc, now: Self.start + 1_000))
        try cache.reconfigure(ttlSeconds: 1, historyCapacity: 3)
        cache.update(TestQuotes.quote("BTC/USD", mid: "5", at: Self.start + 10), now: Self.start)
        #expect(cache.prices(for: Self.btc) == ["3", "4", "5"].map(decimal))
        #expect(throws: PortfolioBotError.self) { try cache.reconfigure(ttlSeconds: 0, historyCapacity: 3) }
    }

    @Test("a TTL outside 1–60 seconds is rejected with the seed's field name", arguments: [0, -1, 61])
    func ttlValidation(seconds: Int) {
        #expect(
            throws: PortfolioBotError.outOfRange(
                field: "cache_ttl_seconds", value: "\(seconds)", allowed: "1 to 60 seconds")
        ) { try PriceCache(ttlSeconds: seconds, historyCapacity: 11) }
    }

    @Test("a price history ring returns prices in time order after wrapping")
    func ringOrder() {
        var history = PriceHistory(capacity: 3)
        #expect(history.latest == nil && history.prices.isEmpty)
        for value in 1...7 {
            history.append(FixedPoint(value))
            #expect(history.latest == FixedPoint(value))
            #expect(history.prices == (max(1, value - 2)...value).map { FixedPoint($0) })
        }
    }
}
