import Foundation
import PetrelCore
import PetrelPersistence
import PetrelTestSupport
import Testing

/// `petrel bot run` on OKX (the fake): live spot and swap bots whose orders meet a 5xx or an answer lost
/// after OKX accepted them, checked by their end state: one venue order, the fill in the bot's store, the
/// position at the venue.
@Suite("petrel bot run on OKX (process)", .serialized)
struct OKXBotProcessTests {
    static let minute: Int64 = 60_000

    /// A fake OKX listing BTC-USDT and BTC-USDT-SWAP at 29,800.00/29,800.50 with 10,000 USDT, and thirty
    /// falling minutes of both ending 31 minutes before `now` (the fast average below the slow one).
    static func venue(now: Int64) -> FakeOKX {
        let fake = FakeOKX()
        var spot = FakeOKX.Instrument(id: "BTC-USDT", type: "SPOT", base: "BTC")
        var swap = FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC")
        for index in [0, 1] {
            var instrument = index == 0 ? spot : swap
            instrument.last = "29800.2"
            instrument.bid = "29800.0"
            instrument.ask = "29800.5"
            if index == 0 { spot = instrument } else { swap = instrument }
        }
        fake.list([spot, swap])
        fake.setBalances(["USDT": ("10000", "0")])
        let history = (0..<30).map { BinanceBotProcessTests.candle(now - Int64(60 - $0) * minute, 30_000 - 10 * $0) }
        fake.setCandles("BTC-USDT", bar: "1m", history)
        fake.setCandles("BTC-USDT-SWAP", bar: "1m", history)
        return fake
    }

    /// Writes a live `okx` bot config on `symbol` pointed at the fake and starts `petrel bot run` on it.
    static func start(_ url: String, _ fake: FakeOKX, symbol: String, broker extra: String = "", in directory: URL)
        throws -> Process
    {
        let config = """
            {
                "broker": {"type": "okx", "initial_balance": 10000.0, "api_key": "${OK_KEY}",
                           "api_secret": "${OK_SECRET}", "passphrase": "${OK_PASS}", "base_url": "\(url)"\(extra)},
                "trading": {"symbol": "\(symbol)", "position_size": 0.5, "max_positions": 1},
                "data": {"data_source": "okx", "symbol": "\(symbol)", "interval": "1m", "lookback_bars": 20,
                         "retry_interval": 1, "base_url": "\(url)"},
                "strategy": {"type": "ma_crossover", "params": {"fast_period": 2, "slow_period": 4, "ma_type": "sma"}}
            }
            """
        try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
        return try PetrelProcess.start(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory,
            environment: ["OK_KEY": fake.apiKey, "OK_SECRET": fake.secret, "OK_PASS": fake.passphrase],
            stdout: directory.appendingPathComponent("out.txt"), stderr: directory.appendingPathComponent("err.txt"))
    }

    /// Runs a live bot until its first fill is logged: warm-up, then a rising bar (the averages cross).
    static func runUntilFill(
        _ fake: FakeOKX, id: String, symbol: String, broker: String = "", now: Int64, in directory: URL
    ) async throws {
        let log = directory.appendingPathComponent("data/logs/live/bot1.log")
        try await fake.run { url in
            let process = try Self.start(url, fake, symbol: symbol, broker: broker, in: directory)
            defer { if process.isRunning { process.terminate() } }
            let warmed = await BinanceBotProcessTests.waitFor("warmed up on 20 candles", in: log, seconds: 60)
            #expect(warmed, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            fake.appendCandle(id, bar: "1m", BinanceBotProcessTests.candle(now - 30 * Self.minute, 29_750))
            let filled = await BinanceBotProcessTests.waitFor(" fill ", in: log, seconds: 90)
            #expect(filled, "no fill in \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
            process.terminate()
            await PetrelProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("REAL orders on okx"))
        #expect(!text.contains(fake.secret) && !text.contains(fake.passphrase) && !text.contains(fake.apiKey))
    }

    static func storedFills(_ directory: URL) async throws -> [Fill] {
        let database = try await PetrelDatabase.open(path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let fills = try await database.orderStore(bot: "bot1").recentFills(limit: 10)
        await database.shutdown()
        return fills
    }

    @Test("a live spot bot's first order meets a 503: the bot asks, finds none, sends it again: one order, filled")
    func spotThroughServerError() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.venue(now: now)
        let directory = try Fixtures.temporaryDirectory("petrel-okx-spot")
        defer { try? FileManager.default.removeItem(at: directory) }
        fake.inject(.serverError, path: "/api/v5/trade/order")
        try await Self.runUntilFill(fake, id: "BTC-USDT", symbol: "BTC-USDT", now: now, in: directory)
        let posts = fake.requests.filter { $0.method == "POST" && $0.path == "/api/v5/trade/order" }
        #expect(posts.count == 2, "the 503 and the one order")
        #expect(fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        #expect(fake.order(clientID: "bot1x1")?.state == "filled" && fake.order(clientID: "bot1x1")?.tdMode == "cash")
        let fills = try await Self.storedFills(directory)
        #expect(fills.count == 1 && fills.first?.side == .buy && fills.first?.price == FixedPoint("29800.5")!)
        #expect(fills.first?.quantity == FixedPoint(fake.order(clientID: "bot1x1")?.size ?? "0"))
        #expect(fake.balance("BTC").available.isPositive)
    }

    @Test(
        "a live swap bot with leverage 3: its order is accepted but the answer is lost; one order, the position in contracts"
    )
    func swapThroughLostAnswer() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000) / Self.minute * Self.minute
        let fake = Self.venue(now: now)
        let directory = try Fixtures.temporaryDirectory("petrel-okx-swap")
        defer { try? FileManager.default.removeItem(at: directory) }
        // OKX takes the order, and answers after the bot stopped waiting (10 s).
        fake.inject(.slowAfterAccepting(milliseconds: 12_000), path: "/api/v5/trade/order")
        try await Self.runUntilFill(
            fake, id: "BTC-USDT-SWAP", symbol: "BTC-USDT-SWAP", broker: #", "leverage": 3"#, now: now, in: directory)
        #expect(fake.leverage("BTC-USDT-SWAP") == "3")
        #expect(fake.orderCount == 1 && fake.orders(clientID: "bot1x1") == 1)
        let order = try #require(fake.order(clientID: "bot1x1"))
        #expect(order.state == "filled" && order.tdMode == "cross")
        // Half of 10,000 USDT at about 29,750 is 0.168 BTC: 16.8 contracts of 0.01 BTC (lot 0.01 contracts).
        #expect(fake.position("BTC-USDT-SWAP") == FixedPoint(order.size)!)
        #expect(FixedPoint(order.size)! == FixedPoint("16.8")!)
        let fills = try await Self.storedFills(directory)
        #expect(fills.count == 1 && fills.first?.quantity == FixedPoint("0.168")!)
    }
}
