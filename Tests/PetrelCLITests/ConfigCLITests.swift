import Foundation
import PetrelTestSupport
import Testing

@Suite("petrel config validate, end to end")
struct ConfigCLITests {
    static let strategyExample = Fixtures.repositoryRoot.appendingPathComponent("examples/0001.json").path
    static let portfolioExample = Fixtures.repositoryRoot.appendingPathComponent("examples/portfolio.json").path
    static let sentinel = "sk-LIVE-cli-7a6b5c4d"

    /// The broken file of these tests: one problem in nearly every section.
    static let broken = JSONEdit(ConfigFixtures.strategyExample)
        .setting("broker.type", #""binanse""#)
        .setting("broker.api_key", "\"\(sentinel)\"")
        .setting("trading.position_size", "3")
        .setting("data.interval", #""2h30""#)
        .setting("strategy.entry_logic.name", #""RSIBBEntryMixn""#)
        .setting("strategy.exit_logic.params.x_rsi_period", "1")
        .setting("notifications.telegram.notify_on", #"["trade_entyr"]"#)
        .setting("risk_managment", "{}")

    static let brokenProblems = [
        "$.broker.api_key: holds a literal secret (value not shown); secrets never live in the file: write a ${ENV_VAR} reference such as \"${BINANSE_API_KEY}\" or use a stored exchange account (broker.account)",
        "$.risk_managment: unknown key (did you mean 'risk_management'?); allowed keys: bot_type, description, version, broker, trading, data, strategy, notifications, risk_management, logging",
        "$.broker.type: 'binanse' is not allowed (did you mean 'binance'?); expected one of binance_paper, binance, okx, ibkr, mock, paper",
        "$.trading.position_size: 3 is out of range (expected a number from 0.0001 to 1)",
        "$.data.interval: '2h30' is not allowed (did you mean '2h'?); expected one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M",
        "$.strategy.entry_logic.name: 'RSIBBEntryMixn' is not an entry rule (did you mean 'RSIBBEntryMixin'?); expected one of RSIBBVolumeEntryMixin, RSIBBEntryMixin, RSIIchimokuEntryMixin, RSIVolumeSupertrendEntryMixin",
        "$.strategy.exit_logic.params.x_rsi_period: 1 is out of range (expected an integer from 2 to 200)",
        "$.notifications.telegram.notify_on[0]: 'trade_entyr' is not an event (did you mean 'trade_entry'?); expected one of trade_entry, trade_exit, error, status, daily_summary, summary_6h, high_loss, api_failure, risk_warning",
    ]

    /// The decoded `--json` report.
    struct Report: Decodable {
        struct Issue: Decodable {
            var path: String
            var message: String
        }
        var valid: Bool
        var file: String
        var issues: [Issue]
        var summary: [String: JSONAny]?
    }

    /// Any JSON value, to look into the summary without a schema.
    enum JSONAny: Decodable, Equatable {
        case string(String), number(Double), bool(Bool), array([JSONAny]), object([String: JSONAny]), null
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? c.decode(Double.self) {
                self = .number(n)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([JSONAny].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: JSONAny].self))
            }
        }
        subscript(_ key: String) -> JSONAny? { if case .object(let o) = self { return o[key] } else { return nil } }
        subscript(_ index: Int) -> JSONAny? {
            if case .array(let a) = self, index < a.count { return a[index] } else { return nil }
        }
    }

    func write(_ text: String, _ name: String = "bot.json") throws -> String {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func report(_ arguments: [String]) async throws -> (Int32, Report) {
        let outcome = try await PetrelProcess.execute(arguments)
        #expect(!outcome.stderr.contains("Fatal error"))
        return (outcome.status, try JSONDecoder().decode(Report.self, from: Data(outcome.stdout.utf8)))
    }

    @Test("seed 002's example is valid: exit 0 and a summary of what the bot will run, defaults included")
    func validSeedFile() async throws {
        let outcome = try await PetrelProcess.execute(["config", "validate", Self.strategyExample])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "\(Self.strategyExample): valid strategy bot")
        #expect(lines.contains("market:        BTC/USDT 1h from binance, warm-up 1000 bars, reconnect every 60 s"))
        #expect(lines.contains("broker:        binance_paper, initial balance 1000, commission 0.1%"))
        #expect(lines.contains("strategy:      custom(RSIBBVolumeEntryMixin+RSIBBExitMixin)"))
        #expect(lines.contains("e_rsi_period = 14"))
        #expect(lines.contains("e_vol_ma_period = 20 (default)"))
        #expect(lines.contains("x_bb_dev = 2 (default)"))
        #expect(lines.contains("position:      10% of equity each, at most 1 open, exposure up to 100%"))
        #expect(
            lines.contains(
                "risk:          stop-loss 5%, take-profit 10%, no trailing stop, at most 10 trades a day, daily loss limit 50, halt at 20% drawdown"
            ))
        #expect(lines.contains("notifications: telegram (trade_entry, trade_exit, error, status)"))
        #expect(lines.contains("secrets:       none"))
    }

    @Test("a broken file exits 1 and lists every problem, one PATH: message line each")
    func brokenFile() async throws {
        let file = try write(Self.broken.text)
        let outcome = try await PetrelProcess.execute(["config", "validate", file])
        #expect(outcome.status == 1)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines == ["\(file): \(Self.brokenProblems.count) problems"] + Self.brokenProblems)
        #expect(!outcome.stdout.contains(Self.sentinel))
        #expect(!outcome.stderr.contains(Self.sentinel))
    }

    @Test("--json reports validity, issues and the summary in a shape scripts can decode")
    func jsonOutput() async throws {
        let (status, valid) = try await report(["config", "validate", Self.strategyExample, "--json"])
        #expect(status == 0)
        #expect(valid.valid)
        #expect(valid.issues.isEmpty)
        let summary = try #require(valid.summary)
        #expect(summary["bot_type"] == .string("strategy"))
        #expect(summary["market"]?["symbol"] == .string("BTC/USDT"))
        #expect(summary["market"]?["timeframe"] == .string("1h"))
        #expect(summary["broker"]?["type"] == .string("binance_paper"))
        #expect(summary["strategy"]?["name"] == .string("custom(RSIBBVolumeEntryMixin+RSIBBExitMixin)"))
        #expect(summary["strategy"]?["parameters"]?[4]?["name"] == .string("e_vol_ma_period"))
        #expect(summary["strategy"]?["parameters"]?[4]?["is_default"] == .bool(true))
        #expect(summary["risk"]?["stop_loss_pct"] == .number(5))
        #expect(summary["notifications"]?[0]?["name"] == .string("telegram"))

        let file = try write(Self.broken.text)
        let (badStatus, invalid) = try await report(["config", "validate", file, "--json"])
        #expect(badStatus == 1)
        #expect(!invalid.valid)
        #expect(invalid.summary == nil)
        #expect(invalid.issues.map { "\($0.path): \($0.message)" } == Self.brokenProblems)
    }

    @Test("the portfolio example is valid and names its secrets by variable only")
    func portfolio() async throws {
        let outcome = try await PetrelProcess.execute(["config", "validate", Self.portfolioExample])
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("valid portfolio bot"))
        #expect(
            outcome.stdout.contains("BTC/USD (priority 100), ETH/USD (priority 90), XRP/USD (priority 50, disabled)"))
        #expect(outcome.stdout.contains("10% of the holding per trade"))
        #expect(outcome.stdout.contains("UPHOLD_TOKEN at $.broker.token"))
        let (_, json) = try await report(["config", "validate", Self.portfolioExample, "--json"])
        #expect(json.valid)
        #expect(json.summary?["pairs"]?[2]?["enabled"] == .bool(false))
        #expect(json.summary?["portfolio"]?["trade_size_percentage"] == .number(0.1))
        #expect(json.summary?["secrets"]?[0]?["name"] == .string("UPHOLD_TOKEN"))
    }

    @Test("backtest --config reports exactly the problems config validate reports")
    func sameMessagesAsBacktest() async throws {
        let file = try write(Self.broken.text)
        let data = Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv").path
        let backtest = try await PetrelProcess.execute(["backtest", "--config", file, "--data", data])
        #expect(backtest.status != 0)
        let reported = backtest.stderr.split(separator: "\n").filter { $0.hasPrefix("  $") }.map {
            String($0.dropFirst(2))
        }
        #expect(reported == Self.brokenProblems)
        #expect(!backtest.stderr.contains(Self.sentinel))
    }

    @Test("JSON syntax errors give line and column; unreadable files are named; nothing crashes")
    func badFiles() async throws {
        let syntax = try write("{\n  \"broker\": {\"type\": \"mock\",}\n}")
        let outcome = try await PetrelProcess.execute(["config", "validate", syntax])
        #expect(outcome.status == 1)
        #expect(
            outcome.stdout.contains(
                "$: not valid JSON: line 2, column 29: trailing comma before '}' (JSON allows none)"))

        let missing = try await PetrelProcess.execute(["config", "validate", "/nonexistent/bot.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read /nonexistent/bot.json"))
        let (status, json) = try await report(["config", "validate", "/nonexistent/bot.json", "--json"])
        #expect(status == 1)
        #expect(json.issues.first?.message.hasPrefix("cannot read /nonexistent/bot.json") == true)

        for garbage in [
            "\u{0}\u{1}\u{2}", "[[[[[[[[", "{\"a\":" + String(repeating: "[", count: 5_000), "null", "1e999",
        ] {
            let file = try write(garbage)
            let run = try await PetrelProcess.execute(["config", "validate", file, "--json"])
            #expect(run.status == 1)
            #expect(!run.stderr.contains("Fatal error"))
            #expect((try? JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8)))?.valid == false)
        }
    }
}
