import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// IBKR's gateway as a bot's market data against the fake: history bars as exact decimals without the bar
/// still forming, newly closed bars streamed once, and quotes from snapshots after their pre-flight.
@Suite("IBKR market data")
struct IBKRMarketDataTests {
    static let aapl = try! Symbol(base: "AAPL", quote: "USD")
    static let minute: Int64 = 60_000

    /// A sleeper that waits 50 ms whatever is asked, so polls come quickly.
    struct ShortSleeper: Sleeper {
        func sleep(milliseconds: Int64) async { try? await Task.sleep(for: .milliseconds(50)) }
    }

    static func source(_ url: String) -> IBKRMarketDataClient {
        IBKRMarketDataClient(
            client: IBKRClient(
                baseURL: url + "/v1/api", http: VenueHTTP(timeoutSeconds: 30),
                snapshotBackoff: Backoff(initial: 20, maximum: 100, jitter: 0)),
            quoteInterval: 50, sleeper: ShortSleeper())
    }

    /// A bar whose prices are `price` plus fractions that a `Double` cannot hold exactly.
    static func bar(_ time: Int64, _ price: String) -> Candle {
        let value = FixedPoint(price)!
        return Candle(
            timestamp: time, open: value, high: value + FixedPoint("0.12345678")!, low: value - FixedPoint("0.01")!,
            close: value + FixedPoint("0.00000001")!, volume: FixedPoint("1234.5")!)
    }

    static var currentMinute: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute }

    @Test("history comes oldest first with exact decimals, the bar still forming dropped, asked as 1min bars")
    func history() async throws {
        let fake = FakeIBKR()
        let now = Self.currentMinute
        // Ten closed minutes; the fake adds the current minute's bar, still forming, at the last price.
        let closed = (1...10).reversed().map { Self.bar(now - Int64($0) * Self.minute, "190.\(10 + $0)") }
        fake.setBars(conid: 265_598, closed)
        try await fake.run { url in
            let source = Self.source(url)
            let raw = try await source.client.history(conid: 265_598, period: "1h", bar: "1min")
            #expect(raw.last?.timestamp ?? 0 >= now && raw.last?.close == FixedPoint("190.00")!, "the forming bar")
            let latest = try await source.candles(symbol: Self.aapl, timeframe: .m1, from: nil, to: nil, limit: 5)
            #expect(latest == Array(closed.suffix(5)))
            #expect(
                latest.last?.high == FixedPoint("190.23345678")! && latest.last?.close == FixedPoint("190.11000001")!)
            #expect(latest.allSatisfy { $0.volume == FixedPoint("1234.5")! })
            let ranged = try await source.candles(
                symbol: Self.aapl, timeframe: .m1, from: now - 8 * Self.minute, to: now - 5 * Self.minute, limit: 100)
            #expect(ranged.map(\.timestamp) == [8, 7, 6].map { now - $0 * Self.minute })
            let asked = fake.requests.filter { $0.path == "/iserver/marketdata/history" }
            #expect(asked.dropFirst().first?.query == "conid=265598&period=6min&bar=1min", "\(asked.map(\.query))")
            let hourly = try await source.candles(symbol: Self.aapl, timeframe: .h1, from: nil, to: nil, limit: 3)
            // Bars opened in the last hour are still forming as hourly bars.
            #expect(hourly.isEmpty)
            #expect(fake.requests.last?.query.hasSuffix("&bar=1h") == true)
        }
    }

    @Test("a timeframe IBKR has no bars of is refused before asking; an unknown stock is fatal, naming it")
    func refusals() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let source = Self.source(url)
            let sixHours = await executionFailure {
                _ = try await source.candles(symbol: Self.aapl, timeframe: .h6, from: nil, to: nil, limit: 5)
            }
            guard case .fatal(let why)? = sixHours else {
                Issue.record("6h bars must be refused, got \(String(describing: sixHours))")
                return
            }
            #expect(why.contains("no 6h bars"))
            #expect(!fake.requests.contains { $0.path == "/iserver/marketdata/history" })
            let unknown = await executionFailure {
                _ = try await source.candles(
                    symbol: try Symbol(base: "NOPE", quote: "USD"), timeframe: .m1, from: nil, to: nil, limit: 5)
            }
            guard case .fatal(let missing)? = unknown else {
                Issue.record("an unknown stock must be fatal, got \(String(describing: unknown))")
                return
            }
            #expect(missing.contains("no stock contract for symbol 'NOPE'"))
        }
    }

    @Test("the candle stream repeats the recent closed bars once, then yields each newly closed bar once")
    func stream() async throws {
        let fake = FakeIBKR()
        let now = Self.currentMinute
        let history = (10...12).reversed().map { Self.bar(now - Int64($0) * Self.minute, "180.00") }
        fake.setBars(conid: 265_598, history)
        try await fake.run { url in
            var bars = Self.source(url).candleStream(symbol: Self.aapl, timeframe: .m1).makeAsyncIterator()
            var seen: [Candle] = []
            for _ in history { if let bar = try await bars.next() { seen.append(bar) } }
            #expect(seen == history)
            let first = Self.bar(now - 9 * Self.minute, "181.25")
            fake.appendBar(conid: 265_598, first)
            #expect(try await bars.next() == first)
            // Polls in between see the same bars again; only the next new one comes.
            try await Task.sleep(for: .milliseconds(300))
            let second = Self.bar(now - 8 * Self.minute, "182.50")
            fake.appendBar(conid: 265_598, second)
            #expect(try await bars.next() == second)
            let polls = fake.requests.filter { $0.path == "/iserver/marketdata/history" }.count
            #expect(polls >= 3)
        }
    }

    @Test("a quote comes from the snapshot after its pre-flight: bid 84, ask 86, last 31; a halted stock has none")
    func quotes() async throws {
        let fake = FakeIBKR()
        fake.setPrices(conid: 265_598, bid: "189.97", ask: "190.03", last: "190.01")
        try await fake.run { url in
            let source = Self.source(url)
            let quote = try await source.quote(symbol: Self.aapl)
            #expect(quote.bid == FixedPoint("189.97")! && quote.ask == FixedPoint("190.03")!)
            #expect(quote.last == FixedPoint("190.01")! && quote.symbol == Self.aapl)
            let snapshots = fake.requests.filter { $0.path == "/iserver/marketdata/snapshot" }
            #expect(snapshots.count == 2, "the first only subscribes")
            var quotes = source.quoteStream(symbol: Self.aapl).makeAsyncIterator()
            #expect(try await quotes.next()?.ask == FixedPoint("190.03")!)
            fake.setPrices(conid: 265_598, bid: "190.50", ask: "190.60", last: "190.55")
            #expect(try await quotes.next()?.bid == FixedPoint("190.50")!)
            fake.setPrices(conid: 265_598, bid: "190.50", ask: "190.60", last: "190.55", lastMark: "H")
            let halted = await executionFailure { _ = try await source.quote(symbol: Self.aapl) }
            guard case .retryable(let why)? = halted else {
                Issue.record("a halted stock must have no quote, got \(String(describing: halted))")
                return
            }
            #expect(why.contains("halted"))
            // The stream skips the halt and goes on with the next trading prices.
            fake.setPrices(conid: 265_598, bid: "191.00", ask: "191.10", last: "191.05")
            #expect(try await quotes.next()?.last == FixedPoint("191.05")!)
        }
    }

    @Test("periods use the coarsest unit IBKR allows, rounded up; bars are IBKR's spellings")
    func spellings() {
        #expect(IBKRClient.period(milliseconds: 21 * Self.minute) == "21min")
        #expect(IBKRClient.period(milliseconds: 63 * Self.minute) == "2h")
        #expect(IBKRClient.period(milliseconds: 1_001 * Self.minute) == "1d")
        #expect(IBKRClient.period(milliseconds: 3_000 * 3_600_000) == "125d")
        #expect(IBKRClient.period(milliseconds: 30_000 * 3_600_000) == "179w")
        #expect(
            Timeframe.allCases.compactMap(IBKRClient.bar) == [
                "1min", "3min", "5min", "15min", "30min", "1h", "2h", "4h", "8h", "1d", "1w", "1m",
            ])
    }
}
