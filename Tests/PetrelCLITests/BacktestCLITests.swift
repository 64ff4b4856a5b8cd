import Foundation
import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("petrel backtest, end to end on real data")
struct BacktestCLITests {
    let btc = Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv").path

    @Test("backtests rsi_bb on a real month of BTC/USDT and writes a JSON result and an HTML report")
    func backtestWritesResults() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let outcome = try await PetrelProcess.execute(
            [
                "backtest", "--strategy", "rsi_bb", "--data", btc, "--fee", "0.001", "--json", "r.json", "--report",
                "r.html",
            ], in: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Sharpe"))
        #expect(outcome.stdout.contains("BTC/USDT 1m"))
        let result = try JSONDecoder().decode(
            BacktestResult.self, from: Data(contentsOf: dir.appendingPathComponent("r.json")))
        #expect(result.markets.first?.candles == 44_640)
        #expect(!result.trades.isEmpty)
        #expect(result.strategy.name == "rsi_bb")
        // Every closed trade's net P&L is its gross minus its fees, exactly.
        for trade in result.trades { #expect(trade.netPnL == trade.grossPnL - trade.fees) }
        // Cash + nothing open = equity; the trades' net P&L adds up to the change in equity.
        if result.openPositions.isEmpty {
            let total = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
            #expect(result.finalEquity == result.settings.initialBalance + total)
        }
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
    }

    @Test("the same input gives a byte-identical JSON result")
    func deterministic() async throws {
        let dir = try Fixtures.temporaryDirectory()
        for name in ["a.json", "b.json"] {
            let outcome = try await PetrelProcess.execute(
                ["backtest", "--strategy", "volatile", "--data", btc, "--json", name, "--quiet", "--stop-loss", "2"],
                in: dir)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let a = try Data(contentsOf: dir.appendingPathComponent("a.json"))
        let b = try Data(contentsOf: dir.appendingPathComponent("b.json"))
        #expect(a == b)
        #expect(a.count > 1_000)
    }

    @Test("a seed 002 bot config supplies the strategy, balance, commission and risk limits")
    func configDrivenBacktest() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let config = Fixtures.repositoryRoot.appendingPathComponent("examples/0001.json").path
        let data = Fixtures.sharedData("binance_BTCUSDT_1h_2017-08_2026-07.csv").path
        let outcome = try await PetrelProcess.execute(
            [
                "backtest", "--config", config, "--data", data, "--from", "2022-01-01", "--to", "2024-12-31", "--json",
                "c.json",
            ], in: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let result = try JSONDecoder().decode(
            BacktestResult.self, from: Data(contentsOf: dir.appendingPathComponent("c.json")))
        #expect(result.settings.initialBalance == 1_000)
        #expect(result.settings.takerFee == 0.001)
        #expect(result.settings.risk.stopLossPct == 5)
        #expect(result.settings.risk.takeProfitPct == 10)
        #expect(result.settings.risk.maxDailyTrades == 10)
        #expect(result.strategy.name == "custom(RSIBBVolumeEntryMixin+RSIBBExitMixin)")
        // JSON does not keep 30 and 30.0 apart; the value is what matters.
        #expect(result.strategy.parameters["e_rsi_oversold"]?.description.hasPrefix("30") == true)
        #expect(result.markets.first?.firstTimestamp == 1_640_995_200_000)
        #expect(result.journal.filter { $0.kind == "signal" }.allSatisfy { !$0.message.isEmpty })
    }

    @Test("a binary candle file gives the same backtest as the CSV it was imported from")
    func binaryMatchesCSV() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let imported = try await PetrelProcess.execute(["data", "import", btc, "--out", "btc.pcandles"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("44640 candles of BTC/USDT 1m"))
        for (input, name) in [(btc, "csv.json"), ("btc.pcandles", "bin.json")] {
            let outcome = try await PetrelProcess.execute(
                ["backtest", "--strategy", "ma_crossover", "--data", input, "--json", name, "--quiet"], in: dir)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        #expect(
            try Data(contentsOf: dir.appendingPathComponent("csv.json"))
                == Data(contentsOf: dir.appendingPathComponent("bin.json")))
    }

    @Test("the demo runs on a labelled simulated market and writes its report")
    func demo() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let outcome = try await PetrelProcess.execute(["backtest", "--demo"], in: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("SIMULATED"))
        #expect(outcome.stdout.contains("SIM/USDT"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("petrel-demo-report.html").path))
    }
}
