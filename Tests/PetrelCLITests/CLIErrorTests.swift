import Foundation
import PetrelTestSupport
import Testing

@Suite("petrel rejects bad input with one clear message and a non-zero exit")
struct CLIErrorTests {
    let btc = Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv").path

    func failure(_ arguments: [String], in dir: URL? = nil) async throws -> String {
        let outcome = try await PetrelProcess.execute(arguments, in: dir)
        #expect(outcome.status != 0)
        #expect(!outcome.stderr.contains("Fatal error"))
        return outcome.stderr
    }

    @Test("an unknown strategy names the available ones and suggests the closest")
    func unknownStrategy() async throws {
        let message = try await failure(["backtest", "--strategy", "rsi_bbb", "--data", btc])
        #expect(message.contains("unknown strategy 'rsi_bbb'"))
        #expect(message.contains("did you mean 'rsi_bb'"))
    }

    @Test("a parameter out of range names the parameter and its allowed range")
    func parameterOutOfRange() async throws {
        let message = try await failure(["backtest", "--strategy", "rsi_bb", "--param", "rsi_period=1", "--data", btc])
        #expect(message.contains("rsi_period"))
        #expect(message.contains("an integer from 2 to 200"))
    }

    @Test("a malformed CSV row is reported with file and line")
    func malformedRow() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("bad_BTCUSDT_1m.csv")
        try "timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,1.5,10\n1704067260000,1,abc,0.5,1.5,10\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let message = try await failure(["backtest", "--strategy", "rsi_bb", "--data", file.path])
        #expect(message.contains("bad_BTCUSDT_1m.csv:3"))
        #expect(message.contains("high"))
    }

    @Test("unsorted data is refused with the offending line")
    func unsorted() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("x_BTCUSDT_1m.csv")
        try "timestamp,open,high,low,close,volume\n1704067260000,1,2,0.5,1.5,10\n1704067200000,1,2,0.5,1.5,10\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let message = try await failure(["backtest", "--strategy", "rsi_bb", "--data", file.path])
        #expect(message.contains("x_BTCUSDT_1m.csv:3"))
    }

    @Test("empty and unreadable files are reported by name")
    func emptyAndMissing() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let empty = dir.appendingPathComponent("empty_BTCUSDT_1m.csv")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        #expect(
            try await failure(["backtest", "--strategy", "rsi_bb", "--data", empty.path]).contains(
                "empty_BTCUSDT_1m.csv"))
        #expect(
            try await failure(["backtest", "--strategy", "rsi_bb", "--data", "/nonexistent/file.csv"]).contains(
                "/nonexistent/file.csv"))
    }

    @Test("a broken bot config lists every problem with its JSON path")
    func brokenConfig() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try """
        {"broker": {"type": "binanse", "initial_balance": -5},
         "trading": {"symbol": "BTCUSDT", "position_size": 3},
         "data": {"data_source": "binance", "symbol": "BTCUSDT", "interval": "1h"},
         "strategy": {"type": "custom", "entry_logic": {"name": "RSIBBEntryMixin"}, "exit_logic": {"name": "RSIBBExitMixin"}},
         "risk_managment": {}}
        """.write(to: file, atomically: true, encoding: .utf8)
        let message = try await failure(["backtest", "--config", file.path, "--data", btc])
        #expect(message.contains("$.broker.type"))
        #expect(message.contains("did you mean 'binance'"))
        #expect(message.contains("$.broker.initial_balance"))
        #expect(message.contains("$.trading.position_size"))
        #expect(message.contains("$.risk_managment"))
        #expect(message.contains("did you mean 'risk_management'"))
    }

    @Test("bad option values name the option and the allowed values")
    func badOptions() async throws {
        #expect(
            try await failure(["backtest", "--strategy", "rsi_bb", "--data", btc, "--sizing", "half"]).contains(
                "--sizing"))
        #expect(
            try await failure(["backtest", "--strategy", "rsi_bb", "--data", btc, "--fee", "0.5"]).contains("--fee"))
        #expect(
            try await failure(["backtest", "--strategy", "rsi_bb", "--data", btc, "--from", "yesterday"]).contains(
                "--from"))
        #expect(try await failure(["data", "indicators", btc, "--indicator", "rsi:0", "--out", "-"]).contains("rsi:0"))
        #expect(
            try await failure(["optimize", "--strategy", "rsi_bb", "--data", btc, "--range", "nope=1:2"]).contains(
                "unknown parameter 'nope'"))
    }
}
