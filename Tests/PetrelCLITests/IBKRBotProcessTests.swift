import Foundation
import PetrelCore
import PetrelPersistence
import PetrelTestSupport
import Testing

/// `petrel bot run` on IBKR (the fake gateway): a live stock bot warms up from the gateway's history,
/// trades on a newly closed bar, confirms the order's warning, and keeps to one order when the order's
/// answer is lost; checked by its end state: one gateway order, filled, the fill in the bot's store.
@Suite("petrel bot run on IBKR (process)", .serialized)
struct IBKRBotProcessTests {
    static let minute: Int64 = 60_000
    static let conid: Int64 = 265_598

    static func bar(_ time: Int64, _ price: Int) -> Candle {
        let value = FixedPoint("\(price)")!
        return Candle(
            timestamp: time, open: value, high: value + .one, low: value - .one, close: value,
            volume: FixedPoint("900")!)
    }

    /// A fake gateway with AAPL at 174.98/175.02 and thirty falling minutes (200 down to 171) ending 31
    /// minutes before `now`: the fast average is below the slow one.
    static func gateway(now: Int64) -> FakeIBKR {
        let fake = FakeIBKR()
        fake.setPrices(conid: conid, bid: "174.98", ask: "175.02", last: "175.00")
        fake.setBars(conid: conid, (0..<30).map { Self.bar(now - Int64(60 - $0) * minute, 200 - $0) })
        return fake
    }

    /// Writes a live `ibkr` bot config on `symbol` pointed at the fake (broker and data).
    static func writeConfig(_ url: String, symbol: String = "AAPL/USD", paper: Bool = false, in directory: URL) throws {
        let gateway = url + "/v1/api"
        let broker =
            paper
            ? #"{"type": "paper", "initial_balance": 10000.0, "commission": 0.001}"#
            : #"{"type": "ibkr", "initial_balance": 10000.0, "base_url": "\#(gateway)"}"#
        let config = """
            {
                "broker": \(broker),
                "trading": {"symbol": "\(symbol)", "position_size": 0.5, "max_positions": 1},
                "data": {"data_source": "ibkr", "symbol": "\(symbol)", "interval": "1m", "lookback_bars": 20,
                         "retry_interval": 1, "base_url": "\(gateway)"},
                "strategy": {"type": "ma_crossover", "params": {"fast_period": 2, "slow_period": 4, "ma_type": "sma"}}
            }
            """
        try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
    }

    /// Starts `petrel bot run` on a live `ibkr` bot pointed at the fake.
    static func start(_ url: String, paper: Bool = false, in directory: URL) throws -> Process {
        try writeConfig(url, paper: paper, in: directory)
        return try PetrelProcess.start(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory, environment: [:],
            stdout: directory.appendingPathComponent("out.txt"), stderr: directory.appendingPathComponent("err.txt"))
    }

    /// Runs the bot until its first fill is logged: warm-up, then a rising bar (the averages cross).
    static func runUntilFill(_ fake: FakeIBKR, now: Int64, paper: Bool = false, in directory: URL) async throws {
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let process = try Self.start(url, paper: paper, in: directory)
            defer { if process.isRunning { process.terminate() } }
            let warmed = await BinanceBotProcessTests.waitFor("warmed up on 20 candles", in: log, seconds: 60)
            #expect(warmed, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            if paper {
                // The paper exchange fills at the snapshot: wait until a priced snapshot reached the bot (the
                // poll asked again after it) before the bar that makes the entry, or a loaded machine
                // could see the entry before the first quote.
                let deadline = ContinuousClock.now + .seconds(60)
                while fake.requests.filter({ $0.path.contains("marketdata/snapshot") }).count < 3,
                    ContinuousClock.now < deadline
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            fake.appendBar(conid: conid, Self.bar(now - 30 * Self.minute, 175))
            let filled = await BinanceBotProcessTests.waitFor(" fill ", in: log, seconds: 90)
            #expect(filled, "no fill in \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains(paper ? "orders on the paper exchange" : "REAL orders on ibkr"))
        #expect(text.contains("live market: AAPL/USD 1m from ibkr ("))
    }

    static func storedFills(_ directory: URL) async throws -> [Fill] {
        let database = try await PetrelDatabase.open(path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let fills = try await database.orderStore(bot: "bot1").recentFills(limit: 10)
        await database.shutdown()
        return fills
    }

    /// The order posts (`POST /iserver/account/{id}/orders`) the gateway received.
    static func orderPosts(_ fake: FakeIBKR) -> [FakeIBKR.Recorded] {
        fake.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/orders") }
    }

    @Test("a live bot warms up from the history, buys on a newly closed bar, confirms the warning: one order, filled")
    func tradesWithConfirmation() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.gateway(now: now)
        fake.requireConfirmations(1)
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-live")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runUntilFill(fake, now: now, in: directory)
        #expect(Self.orderPosts(fake).count == 1)
        #expect(fake.requests.filter { $0.method == "POST" && $0.path.hasPrefix("/iserver/reply/") }.count == 1)
        #expect(fake.orderCount == 1 && fake.orders(clientOrderID: "bot1x1") == 1)
        #expect(fake.status(clientOrderID: "bot1x1") == "Filled")
        let fills = try await Self.storedFills(directory)
        #expect(fills.count == 1 && fills.first?.side == .buy && fills.first?.price == FixedPoint("175.02")!)
        let shares = fake.position(conid: Self.conid)
        #expect(shares.isPositive && fills.first?.quantity == shares)
        #expect(shares.rawValue % FixedPoint.scale == 0, "whole shares")
    }

    @Test("a paper bot on IBKR's market fills at the polled snapshot ask (plus slippage); the gateway gets no order")
    func paperOnSnapshots() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.gateway(now: now)
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-paper")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runUntilFill(fake, now: now, paper: true, in: directory)
        #expect(fake.orderCount == 0 && Self.orderPosts(fake).isEmpty)
        let fills = try await Self.storedFills(directory)
        try #require(fills.count == 1)
        // The bar closed at 175.00: a fill at or above the ask 175.02 came from the snapshot, not the bar.
        #expect(
            fills[0].side == .buy && fills[0].price >= FixedPoint("175.02")! && fills[0].price < FixedPoint("175.2")!)
    }

    @Test("the gateway takes the order but its answer is lost: the bot finds it by cOID; one order, filled")
    func lostAnswer() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.gateway(now: now)
        // The gateway places the order, and answers after the bot stopped waiting (10 s).
        fake.inject(.stallAfterActing(milliseconds: 12_000), method: "POST", path: "/orders")
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-lost")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runUntilFill(fake, now: now, in: directory)
        #expect(Self.orderPosts(fake).count == 1, "found by its cOID, not sent again")
        #expect(fake.orderCount == 1 && fake.orders(clientOrderID: "bot1x1") == 1)
        #expect(fake.status(clientOrderID: "bot1x1") == "Filled")
        let fills = try await Self.storedFills(directory)
        #expect(fills.count == 1 && fills.first?.quantity == fake.position(conid: Self.conid))
    }

    @Test("the order's first post meets a 503: the bot finds no order, sends it again: one order, filled")
    func serverError() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.gateway(now: now)
        fake.inject(.serverError, method: "POST", path: "/orders")
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-503")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runUntilFill(fake, now: now, in: directory)
        #expect(Self.orderPosts(fake).count == 2, "the 503 and the one order")
        #expect(fake.orderCount == 1 && fake.orders(clientOrderID: "bot1x1") == 1)
        let fills = try await Self.storedFills(directory)
        #expect(fills.count == 1 && fills.first?.price == FixedPoint("175.02")!)
    }

    @Test("a stock the gateway cannot find stops the start for good, naming it; nothing is ordered")
    func unknownSymbol() async throws {
        let fake = FakeIBKR()
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-unknown")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await fake.run { url in
            try Self.writeConfig(url, symbol: "ZZZQ/USD", in: directory)
            let outcome = try await PetrelProcess.execute(
                ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("no stock contract for symbol 'ZZZQ'"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("not restarted"), "\(outcome.stderr)")
        }
        #expect(fake.orderCount == 0)
    }

    @Test("a gateway nobody is logged in to: the start fails saying where to log in, and is retried")
    func loggedOut() async throws {
        let fake = FakeIBKR()
        fake.setSession(.brokerageDown)
        let directory = try Fixtures.temporaryDirectory("petrel-ibkr-logged-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let process = try Self.start(url, in: directory)
            defer { if process.isRunning { process.terminate() } }
            let told = await BinanceBotProcessTests.waitFor("log in at \(url) in a browser", in: log, seconds: 60)
            #expect(told, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            #expect(process.isRunning, "a person may still log in: the start is retried")
            process.terminate()
            await PetrelProcess.waitForExit(process)
        }
        #expect(fake.orderCount == 0)
    }
}
