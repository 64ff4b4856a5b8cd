import Foundation
import PetrelCore
import PetrelPersistence
import PetrelTestSupport
import Testing

/// `petrel bot run` on live venues (the fakes): paper bots whose config's `data` section points `base_url`
/// and `ws_url` at Binance (streamed candles and book, a dropped stream) or Yahoo (a polled chart), live
/// Binance bots through a 429 and a halted symbol.
@Suite("petrel bot run on live venues (process)", .serialized)
struct BinanceBotProcessTests {
    static let minute: Int64 = 60_000

    /// A candle of `price` at `time`.
    static func candle(_ time: Int64, _ price: Int) -> Candle {
        let value = FixedPoint("\(price)")!
        return Candle(
            timestamp: time, open: value, high: value + .one, low: value - .one, close: value, volume: FixedPoint("3")!)
    }

    static func config(_ url: String, symbol: String = "BTCUSDT") -> String {
        let ws = url.replacingOccurrences(of: "http://", with: "ws://")
        return """
            {
                "broker": {"type": "binance_paper", "initial_balance": 10000.0, "commission": 0.001},
                "trading": {"symbol": "\(symbol)", "position_size": 0.5, "max_positions": 1},
                "data": {"data_source": "binance", "symbol": "\(symbol)", "interval": "1m", "lookback_bars": 20,
                         "retry_interval": 1, "base_url": "\(url)", "ws_url": "\(ws)"},
                "strategy": {"type": "ma_crossover", "params": {"fast_period": 2, "slow_period": 4, "ma_type": "sma"}},
                "logging": {"level": "DEBUG"}
            }
            """
    }

    /// Polls `file` until it contains `text` (at most `seconds`).
    static func waitFor(_ text: String, in file: URL, seconds: Double = 30) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while ContinuousClock.now < deadline {
            if let content = try? String(contentsOf: file, encoding: .utf8), content.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("a paper bot warms up from REST, buys on a streamed crossover at the streamed ask, and survives a drop")
    func tradesOnStreams() async throws {
        let fake = FakeBinance()
        fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        // Thirty falling minutes, the last one 31 minutes ago: the fast average is below the slow one.
        let history = (0..<30).map { Self.candle(now - Int64(60 - $0) * Self.minute, 30_000 - 10 * $0) }
        fake.setKlines("BTCUSDT", interval: "1m", history)
        let directory = try Fixtures.temporaryDirectory("petrel-binance-bot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            try Self.config(url).write(
                to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
            let process = try PetrelProcess.start(
                ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
            defer { if process.isRunning { process.terminate() } }
            // The kline stream and the book/trade stream for the paper exchange's quotes.
            #expect(await fake.waitForStreamConnections(2, seconds: 60))
            let opened = fake.streamConnectionsOpened
            #expect(opened.contains(["btcusdt@kline_1m"]))
            #expect(opened.contains(["btcusdt@bookTicker", "btcusdt@trade"]))
            let book = Task {
                while !Task.isCancelled {
                    fake.pushBook("BTCUSDT", bid: "29800.00", ask: "29800.50")
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { book.cancel() }
            // A sharp rise: the fast average crosses above the slow one. Each candle waits until the bot has
            // taken the one before (an entry refused before the first quote arrives is retried on the next).
            try await Task.sleep(for: .milliseconds(300))
            for (index, price) in [29_750, 29_900, 30_100].enumerated() {
                let time = now - Int64(30 - index) * Self.minute
                fake.pushKline("BTCUSDT", interval: "1m", Self.candle(time, price), closed: true)
                #expect(await Self.waitFor("candle \(CivilDate.iso8601(milliseconds: time))", in: log))
            }
            let filled = await Self.waitFor(" fill ", in: log)
            #expect(filled, "no fill in \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            // A drop: the feed reconnects and back-fills the candle that closed meanwhile.
            fake.dropStreams()
            fake.pushKline("BTCUSDT", interval: "1m", Self.candle(now - 27 * Self.minute, 30_150), closed: true)
            #expect(await fake.waitForStreamConnections(4, seconds: 60))
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("live market: BTC/USDT 1m from binance"))
        let database = try await PetrelDatabase.open(
            path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let fills = try await database.orderStore(bot: "bot1").recentFills(limit: 10)
        let journalTime = try await database.journal.lastCandleTime(bot: "bot1")
        await database.shutdown()
        try #require(fills.count >= 1)
        #expect(fills.last?.side == .buy)
        // Filled at the streamed ask plus the paper exchange's slippage, not at a candle price.
        #expect(fills.last!.price >= FixedPoint("29800.50")! && fills.last!.price < FixedPoint("29816")!)
        // The candle that closed during the drop reached the bot through the back-fill.
        #expect(journalTime == now - 27 * Self.minute)
    }

    @Test("a symbol Binance does not list is refused at start, naming data.symbol")
    func unlistedSymbol() async throws {
        let fake = FakeBinance()
        fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        let directory = try Fixtures.temporaryDirectory("petrel-binance-unlisted")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await fake.run { url in
            try Self.config(url, symbol: "DOGEUSDT").write(
                to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
            let outcome = try await PetrelProcess.execute(
                ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("binance does not list DOGE/USDT"), "\(outcome.stderr)")
        }
    }

    /// What a live bot's run left: its log, its stored fills and the last candle in its journal.
    struct LiveOutcome {
        var log: String
        var fills: [Fill]
        var journalTime: Int64?
    }

    /// Runs a live binance bot (`startLive`) against `fake`: once its kline stream is open, `during` scripts
    /// the market (by default the rising candle that makes the averages cross, 30 minutes before `now`);
    /// then, with `untilFill`, waits for the bot's first fill; then stops it.
    static func runLive(
        _ fake: FakeBinance, now: Int64, name: String, untilFill: Bool = true,
        during: @Sendable (_ log: URL) async throws -> Void = { _ in }
    ) async throws -> LiveOutcome {
        let directory = try Fixtures.temporaryDirectory("petrel-binance-\(name)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let process = try Self.startLive(url, fake, in: directory)
            defer { if process.isRunning { process.terminate() } }
            #expect(await fake.waitForStreamConnections(1, seconds: 60))
            try await during(log)
            if untilFill {
                let filled = await Self.waitFor(" fill ", in: log, seconds: 60)
                #expect(filled, "no fill in \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            }
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
        }
        let database = try await PetrelDatabase.open(
            path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let fills = try await database.orderStore(bot: "bot1").recentFills(limit: 10)
        let journalTime = try await database.journal.lastCandleTime(bot: "bot1")
        await database.shutdown()
        return LiveOutcome(
            log: (try? String(contentsOf: log, encoding: .utf8)) ?? "", fills: fills, journalTime: journalTime)
    }

    /// The closed candle at 29,750, 30 minutes before `now`: after the falling history, the fast average
    /// crosses above the slow one.
    static func pushRise(_ fake: FakeBinance, now: Int64) {
        fake.pushKline("BTCUSDT", interval: "1m", Self.candle(now - 30 * Self.minute, 29_750), closed: true)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) / minute * minute }

    /// The order requests the fake received.
    static func orderPosts(_ fake: FakeBinance) -> [FakeBinance.Recorded] {
        fake.requests.filter { $0.method == "POST" && $0.path == "/api/v3/order" }
    }

    @Test("a live binance bot sends one real order through a 429, signed with its key, and records the fill")
    func liveOrderThroughRateLimit() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        // The first order request meets a 429: nothing may be sent until its Retry-After has passed.
        fake.inject(.tooManyRequests(retryAfterSeconds: 1), path: "/api/v3/order")
        let outcome = try await Self.runLive(fake, now: now, name: "live") { _ in
            // Only the kline stream: a live bot takes prices from the venue, not from a book stream.
            #expect(fake.streamConnectionsOpened == [["btcusdt@kline_1m"]])
            Self.pushRise(fake, now: now)
        }
        #expect(outcome.log.contains("REAL orders on binance"))
        #expect(!outcome.log.contains(fake.secret) && !outcome.log.contains(fake.apiKey))
        // One order at the venue, under the bot's first client id, filled; the 429 was not answered with a
        // burst (no 418) and every order request carried the bot's key.
        #expect(fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        // Updates came through the user-data subscription of the WebSocket API.
        #expect(fake.userStreamSubscriptions.made >= 1)
        let posts = Self.orderPosts(fake)
        #expect(posts.count == 2 && posts.allSatisfy { $0.apiKey == fake.apiKey })
        let fills = outcome.fills
        #expect(fills.count == 1 && fills.first?.side == .buy && fills.first?.price == FixedPoint("29800.50")!)
        #expect(fake.balance("BTC").map { FixedPoint($0.free)!.isPositive } == true)
    }

    @Test("a live binance bot's first order meets a 418: an alert, silence until the ban ends, then one order")
    func liveOrderThroughBan() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        fake.inject(.banned(retryAfterSeconds: 3), path: "/api/v3/order")
        let outcome = try await Self.runLive(fake, now: now, name: "ban") { _ in Self.pushRise(fake, now: now) }
        #expect(outcome.log.contains("binance banned this IP for 3 s"), "\(outcome.log)")
        // The ban is honoured: the order is sent again only once, and exactly one order exists.
        #expect(Self.orderPosts(fake).count == 2)
        #expect(fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        #expect(outcome.fills.count == 1 && outcome.fills.first?.side == .buy)
    }

    @Test("a live binance bot whose venue clock jumps 40 s ahead: -1021, one resync, one order, filled")
    func liveOrderThroughClockJump() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        let outcome = try await Self.runLive(fake, now: now, name: "clock") { log in
            #expect(await Self.waitFor("warmed up", in: log, seconds: 60))
            // The venue's clock moves 40 s ahead of the bot's measured offset, beyond the recvWindow.
            fake.setClockSkew(40_000)
            Self.pushRise(fake, now: now)
        }
        #expect(fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        // The clock was measured at start and again after the -1021.
        #expect(fake.requests.filter { $0.path == "/api/v3/time" }.count >= 2)
        #expect(outcome.fills.count == 1 && outcome.fills.first?.side == .buy)
    }

    @Test(
        "Binance changes LOT_SIZE under a running live bot: the entry meets -1013, the bot reads the rules again and the retried entry fits them"
    )
    func liveOrderThroughFilterChange() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        let outcome = try await Self.runLive(fake, now: now, name: "filter") { log in
            #expect(await Self.waitFor("warmed up", in: log, seconds: 60))
            // The step grows from 0.00001 to 0.01 BTC after the bot read its rules.
            fake.update("BTCUSDT") {
                $0.stepSize = "0.01000000"
                $0.minQty = "0.01000000"
            }
            Self.pushRise(fake, now: now)
            #expect(await Self.waitFor("the venue's rules changed", in: log, seconds: 60))
            fake.pushKline("BTCUSDT", interval: "1m", Self.candle(now - 29 * Self.minute, 29_760), closed: true)
        }
        #expect(outcome.log.contains("Filter failure: LOT_SIZE"), "\(outcome.log)")
        // One order at the venue, sized to the new step; the refused one never became an order.
        #expect(fake.orderCount == 1)
        #expect(
            outcome.fills.count == 1 && outcome.fills.first?.quantity.isMultiple(ofStep: FixedPoint("0.01")!) == true)
    }

    @Test("a live binance bot's order is taken but answered with garbage: unknown, found by its id; one order, filled")
    func liveOrderThroughMalformedAnswer() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        fake.inject(.malformedAfterAccepting, path: "/api/v3/order")
        let outcome = try await Self.runLive(fake, now: now, name: "garbled") { _ in Self.pushRise(fake, now: now) }
        #expect(
            outcome.log.contains("outcome unknown") && outcome.log.contains("could not be read"), "\(outcome.log)")
        // Found by its client id, never sent again: one POST, one order.
        #expect(Self.orderPosts(fake).count == 1 && fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        #expect(outcome.fills.count == 1 && outcome.fills.first?.side == .buy)
    }

    @Test("a kline stream that goes silent under a running bot is replaced; the candle it missed reaches the journal")
    func silentStream() async throws {
        let now = Self.now
        let fake = Self.liveVenue(now: now)
        let missed = Self.candle(now - 30 * Self.minute, 29_705)
        let outcome = try await Self.runLive(fake, now: now, name: "silent", untilFill: false) { log in
            #expect(await Self.waitFor("warmed up", in: log, seconds: 60))
            // Silence: the connection stays open but nothing arrives, not even the candle that closes now.
            fake.silenceStreams(true)
            fake.setKlines("BTCUSDT", interval: "1m", Self.liveHistory(now: now) + [missed])
            fake.pushKline("BTCUSDT", interval: "1m", missed, closed: true)
            // The watchdog counts 60 s of silence as a drop; the service reconnects and back-fills.
            fake.silenceStreams(false)
            #expect(await fake.waitForStreamConnections(2, seconds: 150))
            let time = CivilDate.iso8601(milliseconds: missed.timestamp)
            #expect(await Self.waitFor("candle \(time)", in: log, seconds: 60))
        }
        #expect(outcome.journalTime == missed.timestamp)
    }

    /// A fake Binance with BTCUSDT at 29,800.00/29,800.50, 10,000 USDT, and thirty falling minutes ending
    /// 31 minutes before `now` (the fast average below the slow one).
    static func liveVenue(now: Int64) -> FakeBinance {
        let fake = FakeBinance()
        fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        fake.setBalances(["USDT": (free: "10000.00000000", locked: "0.00000000")])
        fake.setPrices("BTCUSDT", bid: "29800.00", ask: "29800.50", last: "29800.20")
        fake.setKlines("BTCUSDT", interval: "1m", liveHistory(now: now))
        return fake
    }

    /// Thirty falling minutes ending 31 minutes before `now`.
    static func liveHistory(now: Int64) -> [Candle] {
        (0..<30).map { candle(now - Int64(60 - $0) * minute, 30_000 - 10 * $0) }
    }

    /// Writes a live `binance` bot config pointed at the fake and starts `petrel bot run` on it.
    static func startLive(_ url: String, _ fake: FakeBinance, in directory: URL) throws -> Process {
        let ws = url.replacingOccurrences(of: "http://", with: "ws://")
        let config = Self.config(url)
            .replacingOccurrences(
                of: #""type": "binance_paper""#,
                with:
                    #""type": "binance", "api_key": "${BN_KEY}", "api_secret": "${BN_SECRET}", "base_url": "\#(url)", "ws_url": "\#(ws)/ws-api/v3""#
            )
        try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
        return try PetrelProcess.start(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory,
            environment: ["BN_KEY": fake.apiKey, "BN_SECRET": fake.secret],
            stdout: directory.appendingPathComponent("out.txt"), stderr: directory.appendingPathComponent("err.txt"))
    }

    @Test(
        "a symbol halted under a running live bot: its entry is refused, nothing is placed; a restart waits for trading"
    )
    func haltedSymbol() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.liveVenue(now: now)
        let directory = try Fixtures.temporaryDirectory("petrel-binance-halt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let process = try Self.startLive(url, fake, in: directory)
            defer { if process.isRunning { process.terminate() } }
            #expect(await fake.waitForStreamConnections(1, seconds: 60))
            // Binance halts the symbol (a delisting starts this way); the bot's next entry meets it.
            fake.update("BTCUSDT") { $0.status = "BREAK" }
            fake.pushKline("BTCUSDT", interval: "1m", Self.candle(now - 30 * Self.minute, 29_750), closed: true)
            #expect(await Self.waitFor("entry rejected", in: log, seconds: 60))
            #expect(fake.orderCount == 0)
            #expect(process.isRunning)
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)

            // Started while halted: the start fails, is retried with back-off, and succeeds once it trades.
            let restarted = try Self.startLive(url, fake, in: directory)
            defer { if restarted.isRunning { restarted.terminate() } }
            #expect(await Self.waitFor("is not trading (status BREAK)", in: log, seconds: 60))
            #expect(restarted.isRunning)
            let opened = fake.streamConnectionsOpened.count
            fake.update("BTCUSDT") { $0.status = "TRADING" }
            #expect(await fake.waitForStreamConnections(opened + 1, seconds: 60))
            restarted.terminate()
            await PetrelProcess.waitForExit(restarted)
            #expect(restarted.terminationStatus == 0)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("Market is closed"), "\(text)")
        #expect(fake.orderCount == 0)
    }

    @Test("a paper bot on Yahoo's polled chart warms up, takes a new bar and fills at a price derived from it")
    func yahooBot() async throws {
        let fake = FakeYahoo()
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        // Thirty falling minutes up to three minutes ago.
        let bars = (0..<30).map { Self.candle(now - Int64(32 - $0) * Self.minute, 30_000 - 10 * $0) }
        fake.setBars("BTC-USD", interval: "1m", currency: "USD", bars)
        let directory = try Fixtures.temporaryDirectory("petrel-yahoo-bot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let config = Self.config(url, symbol: "BTCUSD")
                .replacingOccurrences(of: #""data_source": "binance""#, with: #""data_source": "yahoo""#)
            try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
            let process = try PetrelProcess.start(
                ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
            defer { if process.isRunning { process.terminate() } }
            #expect(await Self.waitFor("warmed up on 20 candles", in: log, seconds: 60))
            // A sharp rise two minutes ago: the next poll finds it and the averages cross.
            fake.setBars(
                "BTC-USD", interval: "1m", currency: "USD", bars + [Self.candle(now - 2 * Self.minute, 29_900)])
            let filled = await Self.waitFor(" fill ", in: log, seconds: 60)
            #expect(filled, "no fill in \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("live market: BTC/USD 1m from yahoo"))
        #expect(fake.requests.allSatisfy { $0.path == "/v8/finance/chart/BTC-USD" && $0.query.contains("interval=1m") })
    }
}
