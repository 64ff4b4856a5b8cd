import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport
import Testing

/// `petrel bot run` as a process: the real binary over a replayed market, killed and restarted.
@Suite("petrel bot run (process)", .serialized)
struct BotRunProcessTests {
    /// A directory with 600 hourly BTC/USDT candles and a paper bot that crosses moving averages
    /// with a stop-loss, so it enters, exits and has protective orders resting.
    static func workspace() throws -> URL {
        let directory = try Fixtures.temporaryDirectory("petrel-bot-run")
        let source = try String(
            contentsOf: Fixtures.sharedData("binance_BTCUSDT_1h_2017-08_2026-07.csv"), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: true).prefix(601)
        try (lines.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("market.csv"), atomically: true, encoding: .utf8)
        let config = """
            {
                "broker": {"type": "paper", "initial_balance": 10000.0, "commission": 0.001},
                "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
                "data": {"data_source": "replay", "symbol": "BTCUSDT", "interval": "1h", "lookback_bars": 50,
                         "retry_interval": 1, "file": "market.csv", "speed": "max"},
                "strategy": {"type": "ma_crossover", "params": {"fast_period": 5, "slow_period": 15, "ma_type": "sma"}},
                "risk_management": {"stop_loss_pct": 2.0, "take_profit_pct": 4.0},
                "logging": {"level": "INFO", "save_trades": true, "save_equity_curve": true}
            }
            """
        try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
        return directory
    }

    /// Orders, fills and the paper account of bot `bot1` in a data directory.
    struct Books: Equatable, CustomStringConvertible {
        var orders: [String]
        var fills: [String]
        var account: String

        var description: String { "\(orders.count) orders, \(fills.count) fills; orders \(orders)" }
    }

    static func books(_ dataDirectory: URL) async throws -> Books {
        let database = try await PetrelDatabase.open(path: dataDirectory.appendingPathComponent("petrel.sqlite").path)
        let store = database.orderStore(bot: "bot1")
        let orders = try await store.recentOrders(limit: 100_000).reversed().map {
            "\($0.clientOrderID) \($0.side.rawValue) \($0.type.rawValue) \($0.quantity) \($0.status.rawValue) "
                + "filled \($0.filledQuantity) fees \($0.fees) venue \($0.venueOrderID ?? "-")"
        }
        let fills = try await store.recentFills(limit: 100_000).reversed().map {
            "\($0.tradeID) \($0.clientOrderID) \($0.price) x \($0.quantity) fee \($0.fee) at \($0.timestamp)"
        }
        let saved = try await database.paperAccounts.load(account: "bot1") ?? []
        await database.shutdown()
        // The account's balances (its JSON has sorted keys, so equal states are equal text).
        let object = try JSONSerialization.jsonObject(with: Data(saved)) as? [String: Any]
        let ledger =
            try object?["ledger"].map {
                String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
            } ?? "none"
        return Books(orders: Array(orders), fills: Array(fills), account: ledger)
    }

    @Test("SIGKILL at random moments, 50 times in a row: orders, fills and balances equal an uninterrupted run")
    func sigkillFiftyTimes() async throws {
        let directory = try Self.workspace()
        let reference = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "reference"], in: directory)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try await Self.books(directory.appendingPathComponent("reference"))
        #expect(expected.fills.count >= 6, "the scenario must trade: \(expected)")

        var random = SplitMix64(seed: 0xC0FFEE)
        var kills = 0
        for _ in 0..<50 {
            let process = try PetrelProcess.start(
                ["bot", "run", "bot1.json", "--quiet", "--data-dir", "crashed"], in: directory)
            let delay = 30 + Int(random.next() % 400)
            try await Task.sleep(for: .milliseconds(delay))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            await PetrelProcess.waitForExit(process)
        }
        #expect(kills >= 25, "most runs must be killed mid-way, not finish first")
        let last = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "crashed"], in: directory)
        #expect(last.status == 0, "\(last.stderr)")
        let actual = try await Self.books(directory.appendingPathComponent("crashed"))
        #expect(actual.orders == expected.orders)
        #expect(actual.fills == expected.fills)
        #expect(actual.account == expected.account)
    }

    @Test("SIGTERM stops taking positions, writes the state and exits 0; the next run continues")
    func sigtermStopsCleanly() async throws {
        let directory = try Self.workspace()
        let process = try PetrelProcess.start(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
        try await Task.sleep(for: .milliseconds(300))
        if process.isRunning { process.terminate() }
        await PetrelProcess.waitForExit(process)
        #expect(process.terminationStatus == 0)
        let status = try await PetrelProcess.execute(["bot", "status", "bot1", "--data-dir", "data"], in: directory)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("bot bot1:"))
        let finish = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
        #expect(finish.status == 0, "\(finish.stderr)")
        let status2 = try await PetrelProcess.execute(["bot", "status", "bot1", "--data-dir", "data"], in: directory)
        #expect(status2.stdout.contains("stopped"))
        #expect(status2.stdout.contains("data feed: replay BTC/USDT 1h"))
        // Seed 002's log files.
        let logs = directory.appendingPathComponent("data/logs")
        for file in ["live/bot1.log", "json/orders.json", "json/trades.json", "equity/bot1.csv", "errors.log"] {
            #expect(FileManager.default.fileExists(atPath: logs.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("seed 003's sizing: the first entry spends trade_amount, every later one all the cash")
    func compoundingSizing() async throws {
        let directory = try Self.workspace()
        let config = try String(contentsOf: directory.appendingPathComponent("bot1.json"), encoding: .utf8)
            .replacingOccurrences(
                of: "\"position_size\": 0.5,",
                with: "\"position_size\": 0.5, \"sizing\": \"compounding\", \"trade_amount\": 500,")
        try config.write(to: directory.appendingPathComponent("bot1.json"), atomically: true, encoding: .utf8)
        let run = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let database = try await PetrelDatabase.open(
            path: directory.appendingPathComponent("data/petrel.sqlite").path)
        let orders = try await database.orderStore(bot: "bot1").recentOrders(limit: 1_000).reversed()
        let fills = try await database.orderStore(bot: "bot1").recentFills(limit: 1_000)
        await database.shutdown()
        let entries = orders.filter { !$0.reduceOnly && $0.side == .buy && $0.status == .filled }
        try #require(entries.count >= 2, "the scenario must enter twice")
        func notional(_ order: Order) -> Double {
            fills.filter { $0.clientOrderID == order.clientOrderID }
                .reduce(0) { $0 + $1.price.doubleValue * $1.quantity.doubleValue }
        }
        let first = notional(entries[0])
        // 500 at the decision's price (the candle's close); the fill comes at the next quotes.
        #expect(abs(first - 500) < 10, "first entry \(first)")
        // The second entry reinvests everything: about the starting 10,000 less fees and the first trade's result.
        #expect(notional(entries[1]) > 9_000, "second entry \(notional(entries[1]))")
    }

    @Test("a corrupt or invalid config: a clear error, exit 1, nothing started")
    func invalidConfig() async throws {
        let directory = try Self.workspace()
        try "{ \"broker\": ".write(
            to: directory.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        let broken = try await PetrelProcess.execute(
            ["bot", "run", "broken.json", "--data-dir", "data"], in: directory)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.json"))
        let invalid = try String(contentsOf: directory.appendingPathComponent("bot1.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"stop_loss_pct\": 2.0", with: "\"stop_loss_pct\": -2.0")
        try invalid.write(to: directory.appendingPathComponent("invalid.json"), atomically: true, encoding: .utf8)
        let outcome = try await PetrelProcess.execute(
            ["bot", "run", "invalid.json", "--data-dir", "data"], in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("risk_management.stop_loss_pct"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/petrel.sqlite").path))
    }

    @Test("a live broker needs its key variables; an ibkr bot on bars IBKR does not have is refused, naming them")
    func liveBrokerRefused() async throws {
        let directory = try Self.workspace()
        let live = try String(contentsOf: directory.appendingPathComponent("bot1.json"), encoding: .utf8)
            .replacingOccurrences(
                of: "\"type\": \"paper\"",
                with: "\"type\": \"binance\", \"api_key\": \"${K}\", \"api_secret\": \"${S}\""
            )
            .replacingOccurrences(of: "\"data_source\": \"replay\"", with: "\"data_source\": \"binance\"")
            .replacingOccurrences(of: "\"file\": \"market.csv\", \"speed\": \"max\"", with: "\"retry_interval\": 5")
            .replacingOccurrences(of: "\"retry_interval\": 1,", with: "")
        try live.write(to: directory.appendingPathComponent("live.json"), atomically: true, encoding: .utf8)
        let outcome = try await PetrelProcess.execute(["bot", "run", "live.json", "--data-dir", "data"], in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("environment variable K is not set"), "\(outcome.stderr)")
        let okx =
            live
            .replacingOccurrences(of: "\"type\": \"binance\"", with: "\"type\": \"okx\"")
            .replacingOccurrences(
                of: "\"api_secret\": \"${S}\"", with: "\"api_secret\": \"${S}\", \"passphrase\": \"${P}\""
            )
            .replacingOccurrences(of: "\"data_source\": \"binance\"", with: "\"data_source\": \"okx\"")
        try okx.write(to: directory.appendingPathComponent("okx.json"), atomically: true, encoding: .utf8)
        let okxOutcome = try await PetrelProcess.execute(
            ["bot", "run", "okx.json", "--data-dir", "data"], in: directory)
        #expect(okxOutcome.status == 1)
        #expect(okxOutcome.stderr.contains("environment variable K is not set"), "\(okxOutcome.stderr)")
        // A bot id whose '_'s would make OKX client order ids longer than 32 characters is refused at start.
        // (Started, not executed: were the check missing, the bot would run on and the test must not hang.)
        let errors = directory.appendingPathComponent("underscored.err")
        let underscored = try PetrelProcess.start(
            ["bot", "run", "okx.json", "--data-dir", "data", "--id", "a_b_c_d_e_f_g_h_i_j"], in: directory,
            environment: ["K": "key-0123456789", "S": "secret-0123456789", "P": "pass-phrase"],
            stdout: directory.appendingPathComponent("underscored.out"), stderr: errors)
        let deadline = ContinuousClock.now + .seconds(60)
        while underscored.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let stillRunning = underscored.isRunning
        if stillRunning { underscored.terminate() }
        await PetrelProcess.waitForExit(underscored)
        let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(!stillRunning && underscored.terminationStatus == 1)
        #expect(said.contains("makes OKX client order ids longer than"), "\(said)")
        let ibkr =
            live
            .replacingOccurrences(
                of: "\"type\": \"binance\", \"api_key\": \"${K}\", \"api_secret\": \"${S}\"", with: "\"type\": \"ibkr\""
            )
            .replacingOccurrences(of: "\"data_source\": \"binance\"", with: "\"data_source\": \"ibkr\"")
            .replacingOccurrences(of: "BTCUSDT", with: "AAPL/USD")
            .replacingOccurrences(of: "\"interval\": \"1h\"", with: "\"interval\": \"12h\"")
        try ibkr.write(to: directory.appendingPathComponent("ibkr.json"), atomically: true, encoding: .utf8)
        // Refused before the gateway (none runs here) is asked anything.
        let refused = try await PetrelProcess.execute(["bot", "run", "ibkr.json", "--data-dir", "data"], in: directory)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("ibkr has no 12h bars"), "\(refused.stderr)")
        #expect(refused.stderr.contains("not restarted"), "\(refused.stderr)")
    }
}
