import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// What every venue adapter promises, run against each adapter with its fake venue: discovery lists only
/// what trades, rules come for listed symbols and an unlisted one is fatal, history is closed candles
/// oldest first, signed reads survive a drifting clock, and a rate limit silences the whole host. Yahoo, a
/// read-only chart source, takes the history contract (it has no instruments, rules or signed reads).
@Suite("Venue adapter contract")
struct VenueContractTests {
    /// One adapter and its fake, seen through the operations every venue has.
    struct Adapter: Sendable {
        var venue: String
        /// A symbol the fake lists, and one it does not.
        var listed: Symbol
        var unlisted: Symbol
        /// Discovery (`nil`: the venue lists nothing, as Yahoo's chart source).
        var directory: (any InstrumentDirectory)?
        var rules: @Sendable (Symbol) async throws(ExecutionError) -> InstrumentRules
        var history: @Sendable (Symbol, Int64, Int64) async throws -> [Candle]
        var balances: @Sendable () async throws(ExecutionError) -> [String: PortfolioLedger.Balance]
        /// A second client of the same host (what another bot would use).
        var otherClientRead: @Sendable () async throws(ExecutionError) -> Void
        /// Fake controls.
        var skewClock: @Sendable (Int64) -> Void
        var rateLimitNext: @Sendable () -> Void
        var requestCount: @Sendable () -> Int
        var timeRequests: @Sendable () -> Int
    }

    enum Venue: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case binance, okx, yahoo

        var testDescription: String { rawValue }

        /// The venues with instruments, rules and signed reads (Yahoo is a read-only chart source).
        static let exchanges: [Venue] = [.binance, .okx]

        static let hour: Int64 = 3_600_000

        /// 300 hourly candles ending before the current hour, and the one forming.
        static func candles() -> (closed: [Candle], forming: Candle) {
            let now = Int64(Date().timeIntervalSince1970 * 1_000) / hour * hour
            let closed = (0..<300).map { index in
                let price = FixedPoint("\(1_000 + index)")!
                return Candle(
                    timestamp: now - Int64(300 - index) * hour, open: price, high: price + .one, low: price - .one,
                    close: price, volume: FixedPoint("4.25")!)
            }
            let forming = Candle(timestamp: now, open: .one, high: .one, low: .one, close: .one, volume: .one)
            return (closed, forming)
        }

        /// Runs `body` with the adapter pointed at a fresh fake holding `candles`, two listed instruments
        /// (one trading, one not) and a USDT balance.
        func run(_ body: @Sendable (Adapter) async throws -> Void) async throws {
            let (closed, forming) = Self.candles()
            switch self {
            case .binance:
                let fake = FakeBinance()
                fake.list([
                    .init(id: "BTCUSDT", base: "BTC", quote: "USDT", quoteVolume: "5000000.00"),
                    .init(id: "LUNAUSDT", base: "LUNA", quote: "USDT", status: "BREAK"),
                ])
                fake.setKlines("BTCUSDT", interval: "1h", closed + [forming])
                fake.setBalances(["USDT": ("250.5", "0")])
                try await fake.run { url in
                    func client() -> BinanceClient {
                        BinanceClient(
                            baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: fake.secret),
                            http: VenueHTTP(timeoutSeconds: 30))
                    }
                    let main = client()
                    let other = client()
                    try await body(
                        Adapter(
                            venue: "binance", listed: try Symbol(base: "BTC", quote: "USDT"),
                            unlisted: try Symbol(base: "DOGE", quote: "USDT"),
                            directory: BinanceInstrumentDirectory(client: main),
                            rules: { symbol throws(ExecutionError) in try await main.instrumentRules(symbol) },
                            history: { symbol, from, to in
                                var all: [Candle] = []
                                try await main.history(symbol: symbol, timeframe: .h1, from: from, to: to) { all += $0 }
                                return all
                            },
                            balances: { () throws(ExecutionError) in try await main.balances() },
                            otherClientRead: { () throws(ExecutionError) in _ = try await other.tickers() },
                            skewClock: { fake.setClockSkew($0) },
                            rateLimitNext: { fake.inject(.tooManyRequests(retryAfterSeconds: 1)) },
                            requestCount: { fake.requests.count },
                            timeRequests: { fake.requests.filter { $0.path == "/api/v3/time" }.count }))
                }
            case .yahoo:
                let fake = FakeYahoo()
                fake.setBars("BTC-USD", interval: "1h", currency: "USD", closed + [forming])
                try await fake.run { url in
                    // Yahoo takes an hourly bar as final a minute after it ends (`YahooClient.grace`); its clock
                    // is set exactly that far ahead, so the last closed bar is final and the forming one is
                    // not, whatever the minute of the hour.
                    let client = YahooClient(
                        baseURL: url, http: VenueHTTP(timeoutSeconds: 30),
                        now: { Int64(Date().timeIntervalSince1970 * 1_000) + 60_000 })
                    let none: @Sendable () async throws(ExecutionError) -> Void = { () throws(ExecutionError) in
                        throw .fatal("yahoo has no signed reads")
                    }
                    try await body(
                        Adapter(
                            venue: "yahoo", listed: try Symbol(base: "BTC", quote: "USD"),
                            unlisted: try Symbol(base: "DOGE", quote: "USD"), directory: nil,
                            rules: { _ throws(ExecutionError) in throw .fatal("yahoo has no instrument rules") },
                            history: { symbol, from, to in
                                var all: [Candle] = []
                                _ = try await client.history(
                                    ticker: symbol.venueSpelling(.dashed), timeframe: .h1, from: from, to: to
                                ) { all += $0 }
                                return all
                            },
                            balances: { () throws(ExecutionError) in throw .fatal("yahoo has no balances") },
                            otherClientRead: none, skewClock: { _ in }, rateLimitNext: {},
                            requestCount: { fake.requests.count }, timeRequests: { 0 }))
                }
            case .okx:
                let fake = FakeOKX()
                fake.list([
                    FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC", volume24h: "5000"),
                    FakeOKX.Instrument(id: "LUNA-USDT-SWAP", type: "SWAP", base: "LUNA", state: "suspend"),
                ])
                fake.setCandles("BTC-USDT-SWAP", bar: "1H", closed, forming: forming)
                fake.setBalances(["USDT": ("250.5", "0")])
                try await fake.run { url in
                    func client() -> OKXClient {
                        OKXClient(
                            baseURL: url,
                            credentials: OKXCredentials(
                                apiKey: fake.apiKey, secret: fake.secret, passphrase: fake.passphrase),
                            http: VenueHTTP(timeoutSeconds: 30))
                    }
                    let main = client()
                    let other = client()
                    try await body(
                        Adapter(
                            venue: "okx", listed: try Symbol(base: "BTC", quote: "USDT", kind: .perpetual),
                            unlisted: try Symbol(base: "DOGE", quote: "USDT", kind: .perpetual),
                            directory: OKXInstrumentDirectory(client: main),
                            rules: { symbol throws(ExecutionError) in try await main.instrument(symbol).rules },
                            history: { symbol, from, to in
                                var all: [Candle] = []
                                try await main.history(symbol: symbol, timeframe: .h1, from: from, to: to) { all += $0 }
                                return all
                            },
                            balances: { () throws(ExecutionError) in try await main.balances() },
                            otherClientRead: { () throws(ExecutionError) in _ = try await other.tickers(type: "SWAP") },
                            skewClock: { fake.setClockSkew($0) },
                            rateLimitNext: { fake.rateLimitNext() },
                            requestCount: { fake.requests.count },
                            timeRequests: { fake.requests.filter { $0.path == "/api/v5/public/time" }.count }))
                }
            }
        }
    }

    @Test("discovery lists only trading instruments, with price and 24-hour value", arguments: Venue.exchanges)
    func discovery(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let listed = try await #require(adapter.directory).listInstruments()
            #expect(listed.count == 1, "\(listed)")
            #expect(
                listed.first?.base == "BTC" && listed.first?.quote == "USDT" && listed.first?.venue == adapter.venue)
            #expect(listed.first?.lastPrice?.isPositive == true && (listed.first?.volume24h ?? 0) > 0)
        }
    }

    @Test("a listed symbol has rules; an unlisted one is a fatal error naming it", arguments: Venue.exchanges)
    func rules(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let rules = try await adapter.rules(adapter.listed)
            #expect(rules.symbol == adapter.listed && rules.tickSize.isPositive && rules.stepSize.isPositive)
            do {
                _ = try await adapter.rules(adapter.unlisted)
                Issue.record("an unlisted symbol must fail")
            } catch {
                guard case .fatal(let why)? = error as? ExecutionError else {
                    Issue.record("expected fatal, got \(error)")
                    return
                }
                #expect(why.contains("does not list \(adapter.unlisted)"))
            }
        }
    }

    @Test(
        "history is every closed candle of the window, oldest first, the forming one left out",
        arguments: Venue.allCases)
    func history(_ venue: Venue) async throws {
        let (closed, forming) = Venue.candles()
        try await venue.run { adapter in
            let window = try await adapter.history(adapter.listed, closed[20].timestamp, forming.timestamp + Venue.hour)
            #expect(window == Array(closed[20...]))
            let inner = try await adapter.history(adapter.listed, closed[5].timestamp, closed[250].timestamp)
            #expect(inner == Array(closed[5..<250]))
        }
    }

    @Test(
        "signed balances; a venue clock 40 s ahead is measured again and the read succeeds", arguments: Venue.exchanges)
    func signedRead(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let first = try await adapter.balances()
            #expect(first["USDT"]?.free == FixedPoint("250.5")!)
            adapter.skewClock(40_000)
            let measured = adapter.timeRequests()
            let second = try await adapter.balances()
            #expect(second["USDT"]?.free == FixedPoint("250.5")!)
            #expect(adapter.timeRequests() == measured + 1)
        }
    }

    @Test("a rate limit silences every client of the host until it ends", arguments: Venue.exchanges)
    func rateLimit(_ venue: Venue) async throws {
        try await venue.run { adapter in
            adapter.rateLimitNext()
            let directory = try #require(adapter.directory)
            await #expect(throws: ExecutionError.self) { _ = try await directory.listInstruments() }
            let sent = adapter.requestCount()
            do {
                try await adapter.otherClientRead()
                Issue.record("another client of the host must wait too")
            } catch {
                guard case .rateLimited? = error as? ExecutionError else {
                    Issue.record("expected rateLimited, got \(error)")
                    return
                }
            }
            #expect(adapter.requestCount() == sent)
            try await Task.sleep(for: .milliseconds(1_100))
            try await adapter.otherClientRead()
        }
    }
}
