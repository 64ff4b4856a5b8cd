import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

/// The Binance REST client against the local fake venue: paging, rules, signed reads, clock drift and
/// every fault class.
@Suite("Binance REST client")
struct BinanceClientTests {
    static let btc = try! Symbol(base: "BTC", quote: "USDT")

    static func venue() -> FakeBinance {
        let fake = FakeBinance()
        let btc = FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT", quoteVolume: "2500000000.50")
        var eth = FakeBinance.Instrument(id: "ETHBTC", base: "ETH", quote: "BTC")
        eth.tickSize = "0.00000100"
        eth.stepSize = "0.00010000"
        eth.minQty = "0.00010000"
        eth.minNotional = "0.00010000"
        eth.notionalFilter = "MIN_NOTIONAL"
        let halted = FakeBinance.Instrument(id: "LUNAUSDT", base: "LUNA", quote: "USDT", status: "BREAK")
        fake.list([btc, eth, halted])
        return fake
    }

    /// Hourly candles ending `count` hours before the last full hour, plus the hour still forming.
    static func hourly(_ count: Int) -> [Candle] {
        let hour: Int64 = 3_600_000
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let forming = now / hour * hour
        return (0...count).map { index in
            let start = forming - Int64(count - index) * hour
            let price = FixedPoint("\(100 + index % 7)")!
            return Candle(
                timestamp: start, open: price, high: price + .one, low: price - .one, close: price, volume: .one)
        }
    }

    static func client(
        _ url: String, _ fake: FakeBinance, secret: String? = nil, timeout: Int64 = 30,
        onBan: @escaping @Sendable (String) -> Void = { _ in }
    ) -> BinanceClient {
        BinanceClient(
            baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: secret ?? fake.secret),
            http: VenueHTTP(timeoutSeconds: timeout), onBan: onBan)
    }

    @Test("history pages through 2,500 klines 1,000 at a time and leaves out the one still forming")
    func history() async throws {
        let fake = Self.venue()
        let candles = Self.hourly(2_500)
        fake.setKlines("BTCUSDT", interval: "1h", candles)
        try await fake.run { url in
            let client = Self.client(url, fake)
            let pages = Mutex<[Int]>([])
            let got = Mutex<[Candle]>([])
            try await client.history(
                symbol: Self.btc, timeframe: .h1, from: candles[0].timestamp, to: candles.last!.timestamp + 3_600_000
            ) { page in
                pages.withLock { $0.append(page.count) }
                got.withLock { $0 += page }
            }
            #expect(pages.withLock { $0 } == [1_000, 1_000, 500])
            #expect(got.withLock { $0 } == Array(candles.dropLast()))
            let klines = fake.requests.filter { $0.path == "/api/v3/klines" }
            // Three full pages, then one that finds only the kline still forming: the end.
            #expect(klines.count == 4 && klines.allSatisfy { $0.query.contains("interval=1h") && $0.apiKey == nil })
            let window = try await client.klines(
                symbol: Self.btc, timeframe: .h1, from: candles[10].timestamp, to: candles[13].timestamp)
            #expect(window == Array(candles[10..<13]))
        }
    }

    @Test(
        "exchangeInfo becomes instrument rules (NOTIONAL and legacy MIN_NOTIONAL); unlisted and halted symbols are fatal"
    )
    func rules() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            let btc = try await client.instrumentRules(Self.btc)
            #expect(btc.tickSize == FixedPoint("0.01")! && btc.stepSize == FixedPoint("0.00001")!)
            #expect(btc.minQuantity == FixedPoint("0.00001")! && btc.maxQuantity == FixedPoint("9000")!)
            #expect(btc.minNotional == FixedPoint("5")!)
            let eth = try await client.instrumentRules(try Symbol(base: "ETH", quote: "BTC"))
            #expect(eth.minNotional == FixedPoint("0.0001")! && eth.tickSize == FixedPoint("0.000001")!)
            await #expect(throws: ExecutionError.fatal("binance does not list DOGE/USDT (DOGEUSDT)")) {
                _ = try await client.instrumentRules(try Symbol(base: "DOGE", quote: "USDT"))
            }
            await #expect(throws: ExecutionError.fatal("binance: LUNAUSDT is not trading (status BREAK)")) {
                _ = try await client.instrumentRules(try Symbol(base: "LUNA", quote: "USDT"))
            }
            // A filter change is seen at the next read.
            fake.update("BTCUSDT") { $0.tickSize = "0.10000000" }
            #expect(try await client.instrumentRules(Self.btc).tickSize == FixedPoint("0.1")!)
        }
    }

    @Test("the directory lists trading instruments with last price and 24-hour quote volume; a quote reads the ticker")
    func directoryAndQuote() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            let listed = try await BinanceInstrumentDirectory(client: client).listInstruments()
            #expect(listed.map(\.symbol).sorted() == ["BTCUSDT", "ETHBTC"])
            let btc = try #require(listed.first { $0.symbol == "BTCUSDT" })
            #expect(btc.base == "BTC" && btc.quote == "USDT" && btc.kind == .spot && btc.volume24h == 2_500_000_000.5)
            #expect(btc.lastPrice == FixedPoint("100.01")!)
            let quote = try await client.quote(Self.btc)
            #expect(
                quote.bid == FixedPoint("100")! && quote.ask == FixedPoint("100.02")!
                    && quote.last == FixedPoint("100.01")!)
        }
    }

    @Test("bookTicker: best bid and ask with sizes for one symbol, a list, or all; an unknown symbol is -1121")
    func bookTickers() async throws {
        let fake = Self.venue()
        fake.setPrices("ETHBTC", bid: "0.05210000", ask: "0.05211000", last: "0.05210500")
        try await fake.run { url in
            let client = Self.client(url, fake)
            let one = try await client.bookTickers([Self.btc])
            #expect(one.count == 1)
            #expect(
                one["BTCUSDT"]
                    == BookTicker(
                        bid: FixedPoint("100")!, bidSize: FixedPoint("1")!, ask: FixedPoint("100.02")!,
                        askSize: FixedPoint("2")!))
            let eth = try Symbol(base: "ETH", quote: "BTC")
            let two = try await client.bookTickers([Self.btc, eth])
            #expect(two.keys.sorted() == ["BTCUSDT", "ETHBTC"] && two["ETHBTC"]?.ask == FixedPoint("0.05211")!)
            #expect(try await client.bookTickers().count == 3)
            let queries = fake.requests.filter { $0.path == "/api/v3/ticker/bookTicker" }.map(\.query)
            #expect(queries.first == "symbol=BTCUSDT" && queries.count == 3)
            let unknown = try Symbol(base: "DOGE", quote: "USDT")
            await #expect(throws: ExecutionError.self) { _ = try await client.bookTickers([unknown, eth]) }
        }
    }

    @Test("balances are a signed read the fake verifies; a wrong secret is fatal and never named")
    func balances() async throws {
        let fake = Self.venue()
        fake.setBalances(["BTC": ("0.50000000", "0.10000000"), "USDT": ("1000.00000000", "0.00000000")])
        try await fake.run { url in
            let balances = try await Self.client(url, fake).balances()
            #expect(balances["BTC"] == PortfolioLedger.Balance(free: FixedPoint("0.5")!, locked: FixedPoint("0.1")!))
            #expect(balances["USDT"]?.total == FixedPoint("1000")!)
            let signed = try #require(fake.requests.last { $0.path == "/api/v3/account" })
            #expect(signed.apiKey == fake.apiKey && signed.query.contains("recvWindow=5000&timestamp="))
            #expect(signed.query.contains("&signature="))
            let wrong = "another-secret-that-is-wrong-0000"
            do {
                _ = try await Self.client(url, fake, secret: wrong).balances()
                Issue.record("a wrong secret was accepted")
            } catch let error as ExecutionError {
                #expect(error.description.contains("-1022") && error.description.hasPrefix("fatal"))
                #expect(!error.description.contains(wrong) && !error.description.contains(fake.apiKey))
            }
        }
    }

    @Test("a venue clock ahead of ours is measured first; a drift later gives one -1021, a resync and one retry")
    func clockDrift() async throws {
        let fake = Self.venue()
        fake.setBalances(["USDT": ("1.00000000", "0.00000000")])
        fake.setClockSkew(30_000)
        try await fake.run { url in
            // The widest window: a loaded test machine can pause a request for seconds, which only makes its
            // timestamp older; the drift below makes it 50 s early, which no window accepts.
            let client = BinanceClient(
                baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: fake.secret),
                recvWindow: 60_000, http: VenueHTTP(timeoutSeconds: 30))
            _ = try await client.balances()
            #expect(Array(fake.requests.map(\.path).prefix(2)) == ["/api/v3/time", "/api/v3/account"])
            // Taken as of the answer's arrival: within a few seconds even on a loaded machine.
            #expect(client.clockOffset > 20_000 && client.clockOffset < 40_000)
            let before = fake.requests.count
            fake.setClockSkew(-20_000)
            _ = try await client.balances()
            let paths = fake.requests.dropFirst(before).map(\.path)
            #expect(paths == ["/api/v3/account", "/api/v3/time", "/api/v3/account"])
            #expect(client.clockOffset < -10_000 && client.clockOffset > -30_000)
        }
    }

    @Test("a 429 pauses every client of the host until Retry-After, sending nothing meanwhile")
    func tooManyRequests() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            let other = Self.client(url, fake)
            fake.inject(.tooManyRequests(retryAfterSeconds: 30), path: "/api/v3/ticker/24hr")
            do {
                _ = try await client.quote(Self.btc)
                Issue.record("the 429 was not reported")
            } catch let error as ExecutionError {
                guard case .rateLimited(let wait, let why) = error else {
                    Issue.record("expected rateLimited, got \(error)")
                    return
                }
                #expect(wait == 30_000 && why.contains("-1003"))
            }
            let sent = fake.requests.count
            await #expect {
                _ = try await other.instrumentRules(Self.btc)
            } throws: { error in
                guard case .rateLimited(let wait, _) = error as? ExecutionError else { return false }
                return wait > 0 && wait <= 30_000
            }
            #expect(fake.requests.count == sent)
        }
    }

    @Test("a 418 silences the host until the ban ends and raises an alert")
    func banned() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let alerts = Mutex<[String]>([])
            let client = Self.client(url, fake) { alert in alerts.withLock { $0.append(alert) } }
            fake.inject(.banned(retryAfterSeconds: 120))
            await #expect {
                _ = try await client.quote(Self.btc)
            } throws: { error in
                guard case .rateLimited(let wait, let why) = error as? ExecutionError else { return false }
                return wait == 120_000 && why.contains("418")
            }
            #expect(alerts.withLock { $0 }.count == 1 && alerts.withLock { $0 }[0].contains("banned this IP for 120 s"))
            let sent = fake.requests.count
            await #expect(throws: ExecutionError.self) { _ = try await client.quote(Self.btc) }
            #expect(fake.requests.count == sent)
        }
    }

    @Test("5xx, malformed JSON and a timeout on a read are retryable, and the message names the endpoint")
    func readFailures() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            fake.inject(.serverError)
            await #expect {
                _ = try await client.quote(Self.btc)
            } throws: { error in
                guard case .retryable(let why) = error as? ExecutionError else { return false }
                return why.contains("HTTP 503") && why.contains("/api/v3/ticker/24hr")
            }
            fake.inject(.malformed)
            await #expect {
                _ = try await client.instrumentRules(Self.btc)
            } throws: { error in
                guard case .retryable(let why) = error as? ExecutionError else { return false }
                return why.contains("exchangeInfo") && why.contains("not JSON")
            }
            fake.inject(.slow(milliseconds: 4_000))
            let impatient = Self.client(url, fake, timeout: 1)
            await #expect {
                _ = try await impatient.quote(Self.btc)
            } throws: { error in
                guard case .retryable = error as? ExecutionError else { return false }
                return true
            }
            let recovered = try await client.quote(Self.btc)
            #expect(recovered.last == FixedPoint("100.01")!)
        }
    }
}
