import Foundation
import PetrelCore
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport
import Testing

/// `petrel runbot` as a process: the real binary, its SQLite file and logs, stopped with SIGTERM.
@Suite("petrel runbot (process)", .serialized)
struct RunbotProcessTests {
    /// A portfolio bot that trades soon on the simulated market: a volatility window of 2, every risk
    /// and confidence accepted, no commission, a check and a fresh quote every second.
    static let fastConfig = """
        {
            "bot_type": "portfolio",
            "broker": {"type": "paper", "initial_balance": 10000, "commission": 0},
            "risk_tolerance": 1, "min_confidence": 0, "trade_size_percentage": 0.5,
            "check_interval_seconds": 1, "cache_ttl_seconds": 1, "volatility_window": 2,
            "trading_pairs": [{"pair_symbol": "BTC-USD", "priority": 100}, {"pair_symbol": "ETH-USD", "priority": 90}]
        }
        """

    static func workspace() throws -> URL {
        let directory = try Fixtures.temporaryDirectory("petrel-runbot")
        try fastConfig.write(to: directory.appendingPathComponent("fast.json"), atomically: true, encoding: .utf8)
        return directory
    }

    /// Waits until `file` (relative to `directory`) holds a line containing `text` after its first `skip`
    /// such lines, or the deadline passes; a process that exits early ends the wait.
    static func waitForLine(
        _ text: String, in file: String, of directory: URL, after skip: Int = 0, process: Process,
        deadline: Duration = .seconds(120)
    ) async throws -> Bool {
        let url = directory.appendingPathComponent(file)
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end && process.isRunning {
            let lines = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n") ?? []
            if lines.filter({ $0.contains(text) }).count > skip { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func stop(_ process: Process) async -> Int32 {
        if process.isRunning { process.terminate() }
        await PetrelProcess.waitForExit(process)
        return process.terminationStatus
    }

    /// Runs `body` on the data directory's database, then closes it.
    static func withDatabase<Result>(
        _ directory: URL, _ body: (PetrelDatabase) async throws -> Result
    ) async throws -> Result {
        let database = try await PetrelDatabase.open(path: directory.appendingPathComponent("petrel.sqlite").path)
        do {
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// The stored paper account's free balances, or `nil` when none is stored.
    static func balances(_ database: PetrelDatabase) async throws -> [String: Money]? {
        guard try await database.paperAccounts.load(account: "portfolio") != nil else { return nil }
        let paper = try await PaperExchange.open(
            configuration: PaperExchangeConfiguration(rules: []), balances: [:], store: database.paperAccounts,
            account: "portfolio", clock: TestClock())
        return try await paper.balances().mapValues(\.free)
    }

    @Test("--add-pair alone stores the pairs, says so and exits 0; a second call changes nothing")
    func addPairAlone() async throws {
        let directory = try Self.workspace()
        let first = try await PetrelProcess.execute(
            ["runbot", "--add-pair", "BTC-USD", "--add-pair", "ETH-USD", "--data-dir", "data"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("added BTC/USD (priority 100, enabled)"))
        #expect(first.stdout.contains("added ETH/USD (priority 100, enabled)"))
        let expected = [
            TradingPairSetting(symbol: TestQuotes.symbol("BTC/USD"), priority: 100),
            TradingPairSetting(symbol: TestQuotes.symbol("ETH/USD"), priority: 100),
        ]
        let data = directory.appendingPathComponent("data")
        try await Self.withDatabase(data) { database throws in
            #expect(try await database.tradingPairs.pairs(bot: "portfolio") == expected)
            #expect(try await database.portfolioSettings.load(bot: "portfolio") == nil)
            #expect(try await database.paperAccounts.load(account: "portfolio") == nil)
        }
        let second = try await PetrelProcess.execute(
            ["runbot", "--add-pair", "BTC-USD", "--data-dir", "data"], in: directory)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("BTC/USD is already enabled (priority 100)"))
        try await Self.withDatabase(data) { database throws in
            #expect(try await database.tradingPairs.pairs(bot: "portfolio") == expected)
        }
    }

    @Test("--risk-level 2 exits 1 naming the flag, the value and the range, and writes nothing")
    func invalidRiskLevel() async throws {
        let directory = try Self.workspace()
        let fresh = try await PetrelProcess.execute(
            ["runbot", "--risk-level", "2", "--data-dir", "data"], in: directory)
        #expect(fresh.status == 1)
        #expect(fresh.stderr.contains("--risk-level '2' is out of range: expected a number from 0 to 1"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))

        let added = try await PetrelProcess.execute(
            ["runbot", "--add-pair", "BTC-USD", "--data-dir", "data"], in: directory)
        #expect(added.status == 0, "\(added.stderr)")
        let again = try await PetrelProcess.execute(
            ["runbot", "--risk-level", "2", "--add-pair", "ETH-USD", "--data-dir", "data"], in: directory)
        #expect(again.status == 1)
        #expect(again.stderr.contains("--risk-level '2'"))
        try await Self.withDatabase(directory.appendingPathComponent("data")) { database throws in
            #expect(
                try await database.tradingPairs.pairs(bot: "portfolio") == [
                    TradingPairSetting(symbol: TestQuotes.symbol("BTC/USD"), priority: 100)
                ])
            #expect(try await database.portfolioSettings.load(bot: "portfolio") == nil)
        }
    }

    @Test("a run trades, stops on SIGTERM with exit 0, and a restart continues from the stored balances")
    func runStopAndRestart() async throws {
        let directory = try Self.workspace()
        let data = directory.appendingPathComponent("data")
        let run = try PetrelProcess.start(
            ["runbot", "--config", "fast.json", "--quiet", "--data-dir", "data"], in: directory)
        let traded = try await Self.waitForLine(
            "\"event\":\"trade_executed\"", in: "data/logs/json/trades.json", of: directory, process: run)
        await #expect(Self.stop(run) == 0)
        try #require(traded, "the bot must execute a trade on the simulated market")

        let (balances, orderCount) = try await Self.withDatabase(data) { database throws in
            let history = try await database.tradeHistory(bot: "portfolio").recent(limit: 100)
            #expect(history.contains { $0.status == .executed })
            #expect(!(try await database.priceSnapshots.recent(symbol: TestQuotes.symbol("BTC/USD"), limit: 5)).isEmpty)
            #expect(!(try await database.priceSnapshots.recent(symbol: TestQuotes.symbol("ETH/USD"), limit: 5)).isEmpty)
            let orders = try await database.orderStore(bot: "portfolio").recentOrders(limit: 1_000)
            #expect(!orders.isEmpty)
            let balances = try #require(try await Self.balances(database))
            // A trade spent part of the 10,000 USD on BTC or ETH.
            #expect(balances["USD", default: .zero] < 10_000)
            #expect(balances["BTC", default: .zero].isPositive || balances["ETH", default: .zero].isPositive)
            #expect(try await database.portfolioSettings.load(bot: "portfolio")?.volatilityWindow == 2)
            return (balances, orders.count)
        }

        // No --config: the stored settings and pairs; the paper account is the stored one.
        let log = directory.appendingPathComponent("data/logs/live/portfolio.log")
        let decisionsBefore = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("decision: ") }.count
        let restart = try PetrelProcess.start(
            ["runbot", "--interval", "1", "--quiet", "--data-dir", "data"], in: directory)
        let held = balances.keys.sorted().map { "\(balances[$0] ?? .zero) \($0)" }.joined(separator: ", ")
        let resumed = try await Self.waitForLine(
            "paper account portfolio: \(held)", in: "data/logs/live/portfolio.log", of: directory, process: restart)
        let cycled = try await Self.waitForLine(
            "decision: ", in: "data/logs/live/portfolio.log", of: directory, after: decisionsBefore, process: restart)
        await #expect(Self.stop(restart) == 0)
        #expect(resumed, "the restart must start from the stored balances \(held)")
        #expect(cycled)
        try await Self.withDatabase(data) { database throws in
            let orders = try await database.orderStore(bot: "portfolio").recentOrders(limit: 1_000)
            #expect(orders.count >= orderCount)
            #expect(Set(orders.map(\.clientOrderID)).count == orders.count)
            #expect(orders.allSatisfy { $0.status == .filled })
        }

        // `petrel bot status` lists the portfolio bot and shows seed 000's get_status.
        let list = try await PetrelProcess.execute(["bot", "status", "--data-dir", "data"], in: directory)
        #expect(list.stdout.contains("portfolio  stopped  active  paper"), "\(list.stdout)")
        let text = try await PetrelProcess.execute(["bot", "status", "portfolio", "--data-dir", "data"], in: directory)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("portfolio bot: inactive"))
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("trade ") && $0.hasSuffix(" EXECUTED") })
        let json = try await PetrelProcess.execute(
            ["bot", "status", "portfolio", "--json", "--data-dir", "data"], in: directory)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["lifecycle"] as? String == "stopped")
        #expect(object?["is_active"] as? Bool == false)
        #expect(object?["check_interval"] as? Int == 1)
        #expect((object?["recent_trades"] as? [[String: Any]])?.first?["from_pair"] != nil)
    }

    @Test("--dry-run records PENDING decisions and sends no order; the paper account is not touched")
    func dryRun() async throws {
        let directory = try Self.workspace()
        let run = try PetrelProcess.start(
            ["runbot", "--config", "fast.json", "--dry-run", "--quiet", "--data-dir", "data"], in: directory)
        let decided = try await Self.waitForLine(
            "\"event\":\"dry_run\"", in: "data/logs/json/trades.json", of: directory, process: run)
        await #expect(Self.stop(run) == 0)
        try #require(decided, "the dry run must decide a trade on the simulated market")
        try await Self.withDatabase(directory.appendingPathComponent("data")) { database throws in
            let history = try await database.tradeHistory(bot: "portfolio").recent(limit: 100)
            #expect(!history.isEmpty)
            #expect(history.allSatisfy { $0.status == .pending && $0.reasoning.hasPrefix("[dry run] ") })
            #expect(try await database.orderStore(bot: "portfolio").recentOrders(limit: 10).isEmpty)
            #expect(try await database.paperAccounts.load(account: "portfolio") == nil)
        }
    }

    @Test("petrel bot run refuses the reserved id 'portfolio' with a message naming runbot")
    func botRunRefusesPortfolio() async throws {
        let directory = try BotRunProcessTests.workspace()
        let outcome = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--id", "portfolio", "--data-dir", "data"], in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("bot id 'portfolio' is reserved"))
        #expect(outcome.stderr.contains("petrel runbot"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/petrel.sqlite").path))
    }

    @Test("settings changed in the database (the server's update_config) reach a running runbot within seconds")
    func settingsFromDatabase() async throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data")
        let run = try PetrelProcess.start(
            ["runbot", "--config", "fast.json", "--quiet", "--data-dir", "data"], in: directory)
        let started = try await Self.waitForLine(
            "\"risk_tolerance\"", in: "data/bots/portfolio/status.json", of: directory, process: run)
        try #require(started)
        try await Self.withDatabase(data) { database in
            var record = try #require(try await database.portfolioSettings.load(bot: "portfolio"))
            record.riskTolerance = 0.42
            record.cacheTTLSeconds = 9
            record.updatedAt += 1_000
            try await database.portfolioSettings.save(record)
        }
        let applied = try await Self.waitForLine(
            "\"risk_tolerance\" : 0.42", in: "data/bots/portfolio/status.json", of: directory, process: run,
            deadline: .seconds(30))
        let log = try String(
            contentsOf: directory.appendingPathComponent("data/logs/live/portfolio.log"), encoding: .utf8)
        await #expect(Self.stop(run) == 0)
        #expect(applied)
        #expect(log.contains("settings changed in the database: risk tolerance 0.42"))
    }

    /// A portfolio bot converting on the fake Uphold at `url`, its token in `UPHOLD_TEST_TOKEN`.
    static func upholdConfig(_ url: String) -> String {
        """
        {
            "bot_type": "portfolio",
            "broker": {"type": "uphold", "initial_balance": 1000, "commission": 0, "token": "${UPHOLD_TEST_TOKEN}",
                       "base_url": "\(url)"},
            "risk_tolerance": 1, "min_confidence": 0, "trade_size_percentage": 0.5,
            "check_interval_seconds": 1, "cache_ttl_seconds": 1, "volatility_window": 2,
            "trading_pairs": [{"pair_symbol": "BTC-USD", "priority": 100}]
        }
        """
    }

    @Test("with an uphold broker, runbot converts between the fake Uphold's cards and records the trade")
    func upholdConversion() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-runbot-uphold")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = FakeUphold()
        fake.setRate(base: "BTC", quote: "USD", "64000")
        // A steady rise: the bot's momentum says buy BTC.
        fake.setDrift(base: "BTC", quote: "USD", "100")
        // No spread: Uphold quotes bid equal to ask, which is a valid (locked) quote.
        let usd = fake.addCard(currency: "USD", balance: "1000.00")
        let btc = fake.addCard(currency: "BTC", balance: "0")
        try await fake.run { url in
            try Self.upholdConfig(url).write(
                to: directory.appendingPathComponent("uphold.json"), atomically: true, encoding: .utf8)
            let arguments = ["runbot", "--config", "uphold.json", "--quiet", "--data-dir", "data"]
            let unset = try await PetrelProcess.execute(arguments, in: directory)
            #expect(unset.status == 1)
            #expect(unset.stderr.contains("broker.token: environment variable UPHOLD_TEST_TOKEN is not set"))

            let run = try PetrelProcess.start(
                arguments, in: directory, environment: ["UPHOLD_TEST_TOKEN": fake.token],
                stdout: directory.appendingPathComponent("out.txt"), stderr: directory.appendingPathComponent("err.txt")
            )
            let traded = try await Self.waitForLine(
                "\"event\":\"trade_executed\"", in: "data/logs/json/trades.json", of: directory, process: run)
            await #expect(Self.stop(run) == 0)
            let live = directory.appendingPathComponent("data/logs/live/portfolio.log")
            let seen = (try? String(contentsOf: live, encoding: .utf8))?.suffix(3_000) ?? "no log"
            try #require(traded, "the bot must convert on the fake Uphold; its log ends with: \(seen)")

            let committed = fake.transactions.filter { $0.status == "completed" }
            #expect(!committed.isEmpty)
            #expect(committed.allSatisfy { $0.reference?.hasPrefix("portfolio") == true })
            #expect(try #require(fake.balance(card: btc)).isPositive)
            #expect(try #require(fake.balance(card: usd)) < 1_000)
            try await Self.withDatabase(directory.appendingPathComponent("data")) { database throws in
                let history = try await database.tradeHistory(bot: "portfolio").recent(limit: 100)
                #expect(history.contains { $0.status == .executed && $0.toPair == "BTC" })
                let orders = try await database.orderStore(bot: "portfolio").recentOrders(limit: 100)
                #expect(
                    orders.contains {
                        $0.status == .filled && committed.map(\.reference).contains($0.clientOrderID.rawValue)
                    })
                // No paper account: the money is at Uphold.
                #expect(try await database.paperAccounts.load(account: "portfolio") == nil)
            }
            let log = try String(
                contentsOf: directory.appendingPathComponent("data/logs/live/portfolio.log"), encoding: .utf8)
            #expect(log.contains("LIVE: real conversions between your cards on Uphold"))
            let output =
                try String(contentsOf: directory.appendingPathComponent("out.txt"), encoding: .utf8)
                + String(contentsOf: directory.appendingPathComponent("err.txt"), encoding: .utf8)
            #expect(!(log + output).contains(fake.token))
        }
    }
}
