import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Yahoo's chart endpoint against the local fake: float prices to decimals, null bars left out, the
/// forming bar left out, its errors (404, 400, a plain-text 429) and the windows intraday history needs.
@Suite("Yahoo chart client")
struct YahooClientTests {
    static let day: Int64 = 86_400_000

    /// Daily candles ending before today.
    static func daily(_ count: Int) -> [Candle] {
        let today = Int64(Date().timeIntervalSince1970 * 1_000) / day * day
        return (0..<count).map { index in
            let open = FixedPoint("\(40_000 + index).25")!
            return Candle(
                timestamp: today - Int64(count - index) * day, open: open, high: open + FixedPoint("100.5")!,
                low: open - FixedPoint("99.75")!, close: open + .one, volume: FixedPoint("12345")!)
        }
    }

    @Test("bars become candles oldest first; a bar with null prices and the one still forming are left out")
    func chart() async throws {
        let fake = FakeYahoo()
        let candles = Self.daily(30)
        let today = candles.last!.timestamp + Self.day
        let forming = Candle(timestamp: today, open: .one, high: .one, low: .one, close: .one, volume: .one)
        fake.setBars("BTC-USD", interval: "1d", currency: "USD", candles + [forming], gaps: [3])
        try await fake.run { url in
            let client = YahooClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30))
            #expect(YahooClient.ticker("BTC/USD") == "BTC-USD" && YahooClient.ticker("6309.T") == "6309.T")
            let (got, currency) = try await client.chart(
                ticker: "BTC-USD", timeframe: .d1, from: candles[0].timestamp, to: today + Self.day)
            #expect(currency == "USD")
            #expect(got == candles.enumerated().filter { $0.offset != 3 }.map(\.element))
            let asked = try #require(fake.requests.last)
            #expect(asked.userAgent?.contains("Mozilla") == true)
            #expect(
                asked.query.contains("interval=1d") && asked.query.contains("period1=\(candles[0].timestamp / 1_000)"))
            // A window without bars is empty, not an error.
            let empty = try await client.chart(
                ticker: "BTC-USD", timeframe: .d1, from: candles[0].timestamp - 40 * Self.day,
                to: candles[0].timestamp - 35 * Self.day)
            #expect(empty.candles.isEmpty)
        }
    }

    @Test("an unknown ticker and an unsupported interval are fatal with Yahoo's words; a 429 pauses the host")
    func errors() async throws {
        let fake = FakeYahoo()
        fake.setBars("BTC-USD", interval: "1d", currency: "USD", Self.daily(5))
        try await fake.run { url in
            let client = YahooClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30))
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            await #expect(throws: ExecutionError.fatal("yahoo NOPE-USD: No data found, symbol may be delisted")) {
                _ = try await client.chart(ticker: "NOPE-USD", timeframe: .d1, from: now - 10 * Self.day, to: now)
            }
            let sent = fake.requests.count
            #expect(throws: ExecutionError.self) { _ = try YahooClient.interval(.h4) }
            await #expect(throws: ExecutionError.self) {
                _ = try await client.chart(ticker: "BTC-USD", timeframe: .h4, from: now - Self.day, to: now)
            }
            #expect(fake.requests.count == sent)
            fake.tooManyRequests()
            do {
                _ = try await client.chart(ticker: "BTC-USD", timeframe: .d1, from: now - 10 * Self.day, to: now)
                Issue.record("a 429 must fail")
            } catch {
                guard case .rateLimited(let wait, let why)? = error as? ExecutionError else {
                    Issue.record("expected rateLimited, got \(error)")
                    return
                }
                #expect(wait == 5_000 && why.contains("Too Many Requests"))
            }
            let paused = fake.requests.count
            let other = YahooClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30))
            await #expect(throws: ExecutionError.self) {
                _ = try await other.chart(ticker: "BTC-USD", timeframe: .d1, from: now - 10 * Self.day, to: now)
            }
            #expect(fake.requests.count == paused)
        }
    }

    @Test("a bot's symbol finds its ticker: the pair for crypto, the base alone for equities in the quote's currency")
    func equityTickers() async throws {
        let fake = FakeYahoo()
        let candles = Self.daily(10)
        fake.setBars("BTC-USD", interval: "1d", currency: "USD", candles)
        fake.setBars("AAPL", interval: "1d", currency: "USD", candles)
        fake.setBars("SAP", interval: "1d", currency: "EUR", candles)
        try await fake.run { url in
            let source = YahooMarketDataClient(client: YahooClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30)))
            let apple = try Symbol(base: "AAPL", quote: "USD")
            #expect(try await source.ticker(apple, .d1) == "AAPL")
            let got = try await source.candles(symbol: apple, timeframe: .d1, from: nil, to: nil, limit: 5)
            #expect(got == Array(candles.suffix(5)))
            // Found once: later reads go to AAPL directly.
            let asked = fake.requests.map(\.path)
            #expect(asked.filter { $0 == "/v8/finance/chart/AAPL-USD" }.count == 1, "\(asked)")
            #expect(try await source.ticker(try Symbol(base: "BTC", quote: "USD"), .d1) == "BTC-USD")
            // SAP is quoted in euros here: not taken for a USD symbol.
            let sap = try Symbol(base: "SAP", quote: "USD")
            await #expect {
                _ = try await source.ticker(sap, .d1)
            } throws: { error in
                guard case .fatal(let why)? = error as? ExecutionError else { return false }
                return why.contains("in EUR")
            }
            await #expect(throws: ExecutionError.self) {
                _ = try await source.ticker(try Symbol(base: "NOPE", quote: "USD"), .d1)
            }
        }
    }

    @Test("1-minute history is read 7 days at a time")
    func windows() async throws {
        let fake = FakeYahoo()
        let minute: Int64 = 60_000
        let end = Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute - 60 * minute
        let start = end - 10 * Self.day
        let candles = stride(from: start, to: end, by: Int64.Stride(360 * minute)).map { time in
            Candle(timestamp: time, open: .one, high: .one, low: .one, close: .one, volume: .one)
        }
        fake.setBars("ETH-USD", interval: "1m", currency: "USD", candles)
        try await fake.run { url in
            let client = YahooClient(baseURL: url, http: VenueHTTP(timeoutSeconds: 30))
            var got: [Candle] = []
            let currency = try await client.history(ticker: "ETH-USD", timeframe: .m1, from: start, to: end) {
                got += $0
            }
            #expect(currency == "USD" && got == candles)
            #expect(fake.requests.count == 2)
        }
    }
}
