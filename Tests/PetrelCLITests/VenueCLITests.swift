import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

/// `petrel data download`, `petrel symbols discover` and `petrel account balances` on the real binary
/// against the local fake Binance.
@Suite("Venue commands")
struct VenueCLITests {
    /// Runs the binary off the concurrency pool (the fake answers on it meanwhile).
    static func petrel(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:])
        async throws -> PetrelProcess.Outcome
    {
        try await PetrelProcess.execute(arguments, in: directory, environment: environment)
    }

    static func venue() -> FakeBinance {
        let fake = FakeBinance()
        fake.list([
            .init(id: "BTCUSDT", base: "BTC", quote: "USDT", quoteVolume: "900000000.00"),
            .init(id: "ETHUSDT", base: "ETH", quote: "USDT", quoteVolume: "400000000.00"),
            .init(id: "ETHBTC", base: "ETH", quote: "BTC", quoteVolume: "5000.00"),
            .init(id: "LUNAUSDT", base: "LUNA", quote: "USDT", status: "BREAK"),
        ])
        return fake
    }

    /// `count` hourly candles from 2024-01-01 00:00 UTC.
    static func hourly(_ count: Int) -> [Candle] {
        (0..<count).map { index in
            let price = FixedPoint("\(40_000 + index)")!
            return Candle(
                timestamp: 1_704_067_200_000 + Int64(index) * 3_600_000, open: price, high: price + .one,
                low: price - .one, close: price, volume: FixedPoint("1.5")!)
        }
    }

    @Test(
        "download writes the closed candles of the window to a .pcandles file, and a second run resumes after its last one"
    )
    func download() async throws {
        let fake = Self.venue()
        let candles = Self.hourly(2_400)
        fake.setKlines("BTCUSDT", interval: "1h", Array(candles.prefix(1_500)))
        let directory = try Fixtures.temporaryDirectory("petrel-download")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("btc.pcandles")
        let arguments = { @Sendable (url: String) in
            [
                "data", "download", "--venue", "binance", "--base-url", url, "--symbol", "BTC/USDT", "--timeframe",
                "1h",
                "--from", "2024-01-01", "--to", "2024-04-10", "--out", file.path,
            ]
        }
        try await fake.run { url in
            let first = try await Self.petrel(arguments(url))
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("wrote 1500 candles of BTC/USDT 1h"))
            let stored = try CandleSeries.load(from: file)
            #expect(stored.candles == Array(candles.prefix(1_500)) && stored.symbol?.description == "BTC/USDT")

            // More history appears at the venue: the next run asks only for what comes after the file.
            fake.setKlines("BTCUSDT", interval: "1h", candles)
            let before = fake.requests.count
            let second = try await Self.petrel(arguments(url))
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("resuming after 2024-03-03"))
            let asked = fake.requests.dropFirst(before).filter { $0.path == "/api/v3/klines" }
            #expect(asked.first?.query.contains("startTime=\(candles[1_499].timestamp + 1)") == true)
            let end = CivilDate.parseTimestamp("2024-04-10")!
            #expect(try CandleSeries.load(from: file).candles == candles.filter { $0.timestamp < end })
        }
    }

    @Test("discover lists trading instruments by 24-hour volume; filters and JSON; a bad venue or URL is refused")
    func discover() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let all = try await Self.petrel(["symbols", "discover", "--venue", "binance", "--base-url", url])
            #expect(all.status == 0, "\(all.stderr)")
            let lines = all.stdout.split(separator: "\n").map {
                String($0.prefix(8)).trimmingCharacters(in: .whitespaces)
            }
            #expect(lines == ["BTCUSDT", "ETHUSDT", "ETHBTC"])
            let json = try await Self.petrel([
                "symbols", "discover", "--venue", "binance", "--base-url", url, "--quote", "usdt", "--min-volume",
                "500000000",
                "--json",
            ])
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 1 && items[0]["symbol"] as? String == "BTCUSDT")
            #expect(items[0]["volume24h"] as? Double == 900_000_000 || items[0]["volume_24h"] as? Double == 900_000_000)
        }
        let venue = try await Self.petrel(["symbols", "discover", "--venue", "kraken"])
        #expect(venue.status != 0 && venue.stderr.contains("--venue 'kraken' is not supported; allowed: binance"))
        let base = try await Self.petrel(["symbols", "discover", "--venue", "binance", "--base-url", "ftp://x"])
        #expect(base.status != 0 && base.stderr.contains("--base-url 'ftp://x' must be an http or https URL"))
    }

    @Test("balances are read with the key from the environment; a missing variable or a wrong key says so")
    func balances() async throws {
        let fake = Self.venue()
        fake.setBalances(["BTC": ("0.25000000", "0.00000000"), "USDT": ("1500.50000000", "100.00000000")])
        try await fake.run { url in
            let arguments = [
                "account", "balances", "--venue", "binance", "--base-url", url, "--api-key-env", "BN_KEY",
                "--api-secret-env", "BN_SECRET",
            ]
            let ok = try await Self.petrel(arguments, environment: ["BN_KEY": fake.apiKey, "BN_SECRET": fake.secret])
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("BTC      free 0.25  locked 0  total 0.25"))
            #expect(ok.stdout.contains("USDT     free 1500.5  locked 100  total 1600.5"))
            let unset = try await Self.petrel(arguments, environment: ["BN_KEY": fake.apiKey])
            #expect(
                unset.status != 0
                    && unset.stderr.contains("--api-secret-env: environment variable BN_SECRET is not set"))
            let wrong = try await Self.petrel(
                arguments, environment: ["BN_KEY": "wrong-key-123456", "BN_SECRET": fake.secret])
            #expect(wrong.status != 0 && wrong.stderr.contains("-2015"))
            #expect(!wrong.stderr.contains("wrong-key-123456") && !wrong.stderr.contains(fake.secret))
        }
    }

    @Test("feed test prints the REST round trip, recent candles and each stream update with its latency")
    func feedTest() async throws {
        let fake = Self.venue()
        let minute: Int64 = 60_000
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute
        let candles = (1...4).map { index in
            Candle(
                timestamp: now - Int64(5 - index) * minute, open: FixedPoint("100")!, high: FixedPoint("101")!,
                low: FixedPoint("99")!, close: FixedPoint("\(100 + index)")!, volume: FixedPoint("2")!)
        }
        fake.setKlines("BTCUSDT", interval: "1m", Array(candles.prefix(3)))
        try await fake.run { url in
            let ws = url.replacingOccurrences(of: "http://", with: "ws://")
            async let run = Self.petrel([
                "feed", "test", "binance", "BTCUSDT", "1m", "--base-url", url, "--ws-url", ws, "--count", "2",
                "--history", "2",
            ])
            #expect(await fake.waitForStreamConnections(1, seconds: 60))
            fake.pushKline("BTCUSDT", interval: "1m", candles[3], closed: false)
            fake.pushKline("BTCUSDT", interval: "1m", candles[3], closed: true)
            let outcome = try await run
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("binance REST \(url): round trip ") == true)
            #expect(lines.filter { $0.hasPrefix("history ") }.count == 2)
            #expect(lines.contains { $0.hasPrefix("history ") && $0.contains("C 103") })
            #expect(lines.contains { $0.hasPrefix("stream \(ws)/stream?streams=btcusdt@kline_1m") })
            #expect(lines.contains { $0.hasPrefix("forming ") && $0.contains("C 104") && $0.contains("latency") })
            #expect(lines.contains { $0.hasPrefix("closed ") && $0.contains("C 104") })
            #expect(lines.last?.hasPrefix("2 updates (1 closed); latency min ") == true)
        }
        // A silent stream fails after --timeout; a bad venue or URL is refused before anything is sent.
        let quiet = Self.venue()
        try await quiet.run { url in
            let outcome = try await Self.petrel([
                "feed", "test", "binance", "BTCUSDT", "1m", "--base-url", url, "--ws-url",
                url.replacingOccurrences(of: "http://", with: "ws://"), "--timeout", "1", "--history", "0",
            ])
            #expect(outcome.status != 0)
            #expect(
                outcome.stderr.contains("the stream failed after 0 updates") && outcome.stderr.contains("no message"))
        }
        let venue = try await Self.petrel(["feed", "test", "kraken", "BTCUSDT", "1m"])
        #expect(venue.status != 0 && venue.stderr.contains("venue 'kraken' is not supported; allowed: binance"))
        let ws = try await Self.petrel(["feed", "test", "binance", "BTCUSDT", "1m", "--ws-url", "http://x"])
        #expect(ws.status != 0 && ws.stderr.contains("--ws-url 'http://x' must be a ws or wss URL"))
    }

    @Test(
        "OKX: discover lists live USDT swaps by 24-hour value; download pages backwards into a file; balances need a passphrase"
    )
    func okx() async throws {
        let fake = FakeOKX()
        var btc = FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC", volume24h: "150000")
        btc.last = "64000.0"
        var eth = FakeOKX.Instrument(id: "ETH-USDT-SWAP", type: "SWAP", base: "ETH", volume24h: "900000")
        eth.last = "3000.0"
        fake.list([btc, eth, FakeOKX.Instrument(id: "LUNA-USDT-SWAP", type: "SWAP", base: "LUNA", state: "suspend")])
        let candles = Self.hourly(450)
        fake.setCandles("BTC-USDT-SWAP", bar: "1H", candles)
        fake.setBalances(["USDT": ("1200.5", "0")])
        let directory = try Fixtures.temporaryDirectory("petrel-okx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("btc-swap.pcandles")
        try await fake.run { url in
            let listed = try await Self.petrel(["symbols", "discover", "--venue", "okx", "--base-url", url])
            #expect(listed.status == 0, "\(listed.stderr)")
            let lines = listed.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2 && lines[0].hasPrefix("BTC-USDT-SWAP") && lines[1].hasPrefix("ETH-USDT-SWAP"))
            #expect(lines[0].contains("24h volume 9600000000 USDT"))

            let download = try await Self.petrel([
                "data", "download", "--venue", "okx", "--base-url", url, "--symbol", "BTC/USDT:SWAP", "--timeframe",
                "1h",
                "--from", "2024-01-02", "--to", "2024-01-10", "--out", file.path,
            ])
            #expect(download.status == 0, "\(download.stderr)")
            let start = CivilDate.parseTimestamp("2024-01-02")!
            let end = CivilDate.parseTimestamp("2024-01-10")!
            #expect(
                try CandleSeries.load(from: file).candles
                    == candles.filter { $0.timestamp >= start && $0.timestamp < end })

            let balances = try await Self.petrel(
                [
                    "account", "balances", "--venue", "okx", "--base-url", url, "--demo", "--api-key-env", "OK_KEY",
                    "--api-secret-env", "OK_SECRET", "--api-passphrase-env", "OK_PASS",
                ],
                environment: ["OK_KEY": fake.apiKey, "OK_SECRET": fake.secret, "OK_PASS": fake.passphrase])
            #expect(balances.status == 0, "\(balances.stderr)")
            #expect(balances.stdout.contains("USDT") && balances.stdout.contains("free 1200.5"))
            #expect(fake.requests.last?.headers["x-simulated-trading"] == "1")
            let noPassphrase = try await Self.petrel([
                "account", "balances", "--venue", "okx", "--base-url", url, "--api-key-env", "K", "--api-secret-env",
                "S",
            ])
            #expect(noPassphrase.status != 0 && noPassphrase.stderr.contains("--api-passphrase-env"))
        }
        let demo = try await Self.petrel(["symbols", "discover", "--venue", "binance", "--demo"])
        #expect(demo.status != 0 && demo.stderr.contains("--demo is only for --venue okx"))
    }

    @Test("Yahoo: download writes the daily bars of a window, null bars left out; discovery and accounts are refused")
    func yahoo() async throws {
        let fake = FakeYahoo()
        let day: Int64 = 86_400_000
        let candles = (0..<40).map { index in
            let price = FixedPoint("\(30_000 + index).5")!
            return Candle(
                timestamp: 1_704_067_200_000 + Int64(index) * day, open: price, high: price + .one, low: price - .one,
                close: price, volume: FixedPoint("42")!)
        }
        fake.setBars("BTC-USD", interval: "1d", currency: "USD", candles, gaps: [7])
        let directory = try Fixtures.temporaryDirectory("petrel-yahoo")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("btc-usd.pcandles")
        try await fake.run { url in
            let download = try await Self.petrel([
                "data", "download", "--venue", "yahoo", "--base-url", url, "--symbol", "BTC/USD", "--timeframe", "1d",
                "--from", "2024-01-01", "--to", "2024-02-01", "--out", file.path,
            ])
            #expect(download.status == 0, "\(download.stderr)")
            let end = CivilDate.parseTimestamp("2024-02-01")!
            let expected = candles.enumerated().filter { $0.offset != 7 && $0.element.timestamp < end }.map(\.element)
            #expect(try CandleSeries.load(from: file).candles == expected)
        }
        let discover = try await Self.petrel(["symbols", "discover", "--venue", "yahoo"])
        #expect(discover.status != 0 && discover.stderr.contains("no instrument list"))
        let balances = try await Self.petrel([
            "account", "balances", "--venue", "yahoo", "--api-key-env", "K", "--api-secret-env", "S",
        ])
        #expect(balances.status != 0 && balances.stderr.contains("--venue yahoo has no accounts"))
    }

    @Test("Uphold: balances list the cards with the token from the environment, which never appears in the output")
    func upholdBalances() async throws {
        let fake = FakeUphold()
        fake.addCard(currency: "USD", balance: "1000.50")
        fake.addCard(currency: "BTC", balance: "0.25")
        try await fake.run { url in
            let arguments = ["account", "balances", "--venue", "uphold", "--base-url", url, "--token-env", "UPHOLD_T"]
            let read = try await Self.petrel(arguments, environment: ["UPHOLD_T": fake.token])
            #expect(read.status == 0, "\(read.stderr)")
            let lines = read.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("BTC      free 0.25  locked 0  total 0.25  card BTC card (card-") == true)
            #expect(lines.last?.hasPrefix("USD      free 1000.5  locked 0  total 1000.5  card USD card (card-") == true)
            #expect(fake.requests.contains("GET /v0/me/cards"))
            #expect(!(read.stdout + read.stderr).contains(fake.token))

            let wrong = try await Self.petrel(arguments, environment: ["UPHOLD_T": "wrong-token-0123456789abcdef"])
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("HTTP 401") && !wrong.stderr.contains("wrong-token-0123456789abcdef"))
            let unset = try await Self.petrel(arguments)
            #expect(unset.status == 1)
            #expect(unset.stderr.contains("--token-env: environment variable UPHOLD_T is not set or empty"))
            let noToken = try await Self.petrel(["account", "balances", "--venue", "uphold", "--base-url", url])
            #expect(noToken.status != 0 && noToken.stderr.contains("--venue uphold needs --token-env"))
            let keys = try await Self.petrel([
                "account", "balances", "--venue", "binance", "--base-url", url, "--token-env", "UPHOLD_T",
            ])
            #expect(keys.status != 0 && keys.stderr.contains("--token-env is only for --venue uphold"))
        }
    }
}
