import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// OKX's signing against the documented vectors, and the REST client against the local fake: the
/// envelope, instruments and swap contracts, newest-first candles, discovery, signed balances, clock
/// drift, demo trading and rate limits.
@Suite("OKX REST client")
struct OKXClientTests {
    static let btcSwap = try! Symbol(base: "BTC", quote: "USDT", kind: .perpetual)
    static let btc = try! Symbol(base: "BTC", quote: "USDT")

    static func venue() -> FakeOKX {
        let fake = FakeOKX()
        var swap = FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC", volume24h: "150000")
        swap.last = "64000.0"
        var eth = FakeOKX.Instrument(id: "ETH-USDT-SWAP", type: "SWAP", base: "ETH", volume24h: "900000")
        eth.last = "3000.0"
        eth.contractValue = "0.1"
        eth.lotSize = "1"
        eth.minSize = "1"
        let suspended = FakeOKX.Instrument(id: "LUNA-USDT-SWAP", type: "SWAP", base: "LUNA", state: "suspend")
        var spot = FakeOKX.Instrument(id: "BTC-USDT", type: "SPOT", base: "BTC", volume24h: "5000000")
        spot.last = "64000.0"
        fake.list([swap, eth, suspended, spot])
        return fake
    }

    static func client(_ url: String, _ fake: FakeOKX, passphrase: String? = nil, demo: Bool = false) -> OKXClient {
        OKXClient(
            baseURL: url, demo: demo,
            credentials: OKXCredentials(
                apiKey: fake.apiKey, secret: fake.secret, passphrase: passphrase ?? fake.passphrase),
            http: VenueHTTP(timeoutSeconds: 30))
    }

    @Test("signatures reproduce the reference vectors O1–O6")
    func vectors() {
        let secret = "22582BD0CFF14C41EDBF1AB98506286D"
        let time = "2020-12-08T09:08:57.715Z"
        #expect(OKXSigner.timestamp(milliseconds: 1_607_418_537_715) == time)
        #expect(OKXSigner.timestamp(milliseconds: 1_607_418_537_005) == "2020-12-08T09:08:57.005Z")
        #expect(OKXSigner.timestamp(milliseconds: 1_607_418_537_000) == "2020-12-08T09:08:57.000Z")
        let cases: [(String, String, String, String)] = [
            ("GET", "/api/v5/account/balance?ccy=BTC", "", "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="),
            ("GET", "/api/v5/account/balance", "", "AkD5YszBhggtIyjDlmTy/9PpNVntel+1Lff8wh0qpQw="),
            (
                "POST", "/api/v5/account/set-leverage", #"{"instId":"BTC-USDT","lever":"5","mgnMode":"isolated"}"#,
                "eCnnCgWLjlQ9XnpUkrcny3qNq3WW/81KNrDr/XR6Xv8="
            ),
            (
                "POST", "/api/v5/trade/order",
                #"{"instId":"BTC-USDT","tdMode":"cash","clOrdId":"b15","side":"buy","ordType":"limit","px":"2.15","sz":"2"}"#,
                "dI6rrL9rXW/HdaPKJ/6LC1OgvH4/PYju6R3CqixMTNQ="
            ),
            ("GET", "/api/v5/account/positions?instType=SWAP", "", "2To1co8bnLeUL96pQpWm6LD0VOl6aRBZxckSFPo+Dlg="),
        ]
        for (method, path, body, expected) in cases {
            #expect(
                OKXSigner.restSignature(timestamp: time, method: method, requestPath: path, body: body, secret: secret)
                    == expected, "\(method) \(path)")
        }
        #expect(
            OKXSigner.signature("1538054050GET/users/self/verify", secret: secret)
                == "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=")
    }

    @Test("instruments: a swap's lot and minimum are contracts × ctVal in base units; spot as listed")
    func instruments() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            let swap = try await client.instrument(Self.btcSwap)
            #expect(swap.id == "BTC-USDT-SWAP" && swap.contractValue == FixedPoint("0.01")!)
            #expect(swap.rules.stepSize == FixedPoint("0.0001")! && swap.rules.minQuantity == FixedPoint("0.0001")!)
            #expect(swap.rules.tickSize == FixedPoint("0.1")!)
            #expect(try swap.contracts(forBase: FixedPoint("0.25")!) == FixedPoint("25")!)
            let eth = try await client.instrument(try Symbol(base: "ETH", quote: "USDT", kind: .perpetual))
            #expect(eth.rules.stepSize == FixedPoint("0.1")! && eth.rules.minQuantity == FixedPoint("0.1")!)
            let spot = try await client.instrument(Self.btc)
            #expect(spot.id == "BTC-USDT" && spot.contractValue == .one)
            #expect(
                spot.rules.stepSize == FixedPoint("0.00000001")! && spot.rules.minQuantity == FixedPoint("0.00001")!)
            await #expect(throws: ExecutionError.fatal("okx does not list DOGE/USDT:SWAP (DOGE-USDT-SWAP)")) {
                _ = try await client.instrument(try Symbol(base: "DOGE", quote: "USDT", kind: .perpetual))
            }
            #expect(throws: ExecutionError.self) { _ = try OKXClient.bar(.h8) }
            #expect(try OKXClient.bar(.h1) == "1H" && OKXClient.bar(.d1) == "1Dutc" && OKXClient.bar(.m15) == "15m")
        }
    }

    @Test("candles come newest first from OKX and leave oldest first, confirmed only; history pages backwards")
    func candles() async throws {
        let fake = Self.venue()
        let hour: Int64 = 3_600_000
        let start: Int64 = 1_704_067_200_000
        let candles = (0..<250).map { index in
            let price = FixedPoint("\(60_000 + index)")!
            return Candle(
                timestamp: start + Int64(index) * hour, open: price, high: price + .one, low: price - .one,
                close: price, volume: FixedPoint("12.5")!)
        }
        let forming = Candle(
            timestamp: start + 250 * hour, open: .one, high: .one, low: .one, close: .one, volume: .one)
        fake.setCandles("BTC-USDT-SWAP", bar: "1H", candles, forming: forming)
        try await fake.run { url in
            let client = Self.client(url, fake)
            let latest = try await client.candles(symbol: Self.btcSwap, timeframe: .h1, openedBefore: nil, limit: 5)
            // Five rows, the newest still forming: four confirmed, oldest first.
            #expect(latest == Array(candles[246..<250]))
            var pages: [[Candle]] = []
            try await client.history(
                symbol: Self.btcSwap, timeframe: .h1, from: candles[10].timestamp, to: candles[240].timestamp
            ) { pages.append($0) }
            #expect(pages.count == 1 && pages[0] == Array(candles[10..<240]))
            let asked = fake.requests.filter { $0.path == "/api/v5/market/history-candles" }
            #expect(
                asked.contains { $0.query.contains("bar=1H") && $0.query.contains("after=\(candles[240].timestamp)") })
        }
    }

    @Test("discovery lists live USDT swaps with their 24-hour value in USDT; the suspended one is left out")
    func discovery() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let listed = try await OKXInstrumentDirectory(client: Self.client(url, fake)).listInstruments()
            let byID = Dictionary(uniqueKeysWithValues: listed.map { ($0.symbol, $0) })
            #expect(Set(byID.keys) == ["BTC-USDT-SWAP", "ETH-USDT-SWAP"])
            #expect(byID["BTC-USDT-SWAP"]?.kind == .swap && byID["BTC-USDT-SWAP"]?.base == "BTC")
            // 150,000 BTC × 64,000 USDT.
            #expect(byID["BTC-USDT-SWAP"]?.volume24h == 9_600_000_000)
            #expect(byID["ETH-USDT-SWAP"]?.volume24h == 2_700_000_000)
        }
    }

    @Test(
        "signed balances with the demo header; a clock 40 s off is measured again once; a bad passphrase is fatal, unechoed"
    )
    func balances() async throws {
        let fake = Self.venue()
        fake.setBalances(["USDT": ("4834.3170936", "158.573"), "BTC": ("0", "0")])
        try await fake.run { url in
            let client = Self.client(url, fake, demo: true)
            let balances = try await client.balances()
            #expect(balances.count == 1)
            #expect(
                balances["USDT"]?.free == FixedPoint("4834.3170936")!
                    && balances["USDT"]?.locked == FixedPoint("158.573")!)
            let signed = fake.requests.last { $0.path == "/api/v5/account/balance" }
            #expect(signed?.headers["ok-access-key"] == fake.apiKey && signed?.headers["x-simulated-trading"] == "1")
            #expect(signed?.headers["ok-access-timestamp"]?.hasSuffix("Z") == true)

            fake.setClockSkew(40_000)
            let before = fake.requests.filter { $0.path == "/api/v5/public/time" }.count
            _ = try await client.balances()
            #expect(fake.requests.filter { $0.path == "/api/v5/public/time" }.count == before + 1)

            let wrong = Self.client(url, fake, passphrase: "not-the-passphrase")
            do {
                _ = try await wrong.balances()
                Issue.record("a wrong passphrase must fail")
            } catch {
                guard case .fatal(let why)? = error as? ExecutionError else {
                    Issue.record("expected fatal, got \(error)")
                    return
                }
                #expect(why.contains("okx 50105") && !why.contains("not-the-passphrase"))
            }
        }
    }

    @Test("a 429 (50011) pauses every client of the host: nothing is sent until the pause ends")
    func rateLimit() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let client = Self.client(url, fake)
            fake.rateLimitNext()
            await #expect(throws: ExecutionError.self) { _ = try await client.tickers(type: "SWAP") }
            let sent = fake.requests.count
            let other = Self.client(url, fake)
            do {
                _ = try await other.tickers(type: "SWAP")
                Issue.record("a paused host must not be asked")
            } catch {
                guard case .rateLimited(let wait, _)? = error as? ExecutionError else {
                    Issue.record("expected rateLimited, got \(error)")
                    return
                }
                #expect(wait > 0 && wait <= 1_000)
            }
            #expect(fake.requests.count == sent)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await other.tickers(type: "SWAP").count == 3)
        }
    }
}
