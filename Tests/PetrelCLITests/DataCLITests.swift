import Foundation
import PetrelCore
import PetrelIndicators
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("petrel data, strategies, optimize and walk-forward commands")
struct DataCLITests {
    @Test("inspect reports the real March 2023 outage gap; gaps alone are not an error")
    func inspectFindsGap() async throws {
        let outcome = try await PetrelProcess.execute([
            "data", "inspect", Fixtures.sharedData("binance_BTCUSDT_1m_2023-03.csv").path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("80"))
        #expect(outcome.stdout.contains("2023-03-24"))
    }

    @Test("inspect lists unsorted and impossible rows with their lines and exits 2")
    func inspectFindsBadRows() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("x_BTCUSDT_1m.csv")
        try """
        timestamp,open,high,low,close,volume
        1704067260000,1,2,0.5,1.5,10
        1704067200000,1,2,0.5,1.5,10
        1704067320000,1,0.4,0.5,1.5,10
        """.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try await PetrelProcess.execute(["data", "inspect", file.path])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.contains("x_BTCUSDT_1m.csv:3"))
        #expect(outcome.stdout.contains("x_BTCUSDT_1m.csv:4"))
    }

    @Test("indicators adds one column per indicator output with the library's values")
    func indicatorColumns() async throws {
        let file = Fixtures.sharedData("binance_ETHUSDT_1m_2024-01.csv")
        let outcome = try await PetrelProcess.execute([
            "data", "indicators", file.path, "--indicator", "rsi:14", "--indicator", "bbands:20,2", "--out", "-",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(
            lines.first
                == "timestamp,open,high,low,close,volume,rsi_14,bbands_20_2_upper,bbands_20_2_middle,bbands_20_2_lower")
        #expect(lines.count == 44_641)
        let candles = try Fixtures.canonicalCandles("binance_ETHUSDT_1m_2024-01.csv", limit: 100)
        let rsi = RSI(period: 14).batch(candles.map(\.close.doubleValue))
        let row14 = lines[15].split(separator: ",", omittingEmptySubsequences: false)
        #expect(abs(Double(row14[6])! - rsi[14]!) < 1e-8)
        #expect(lines[14].split(separator: ",", omittingEmptySubsequences: false)[6].isEmpty)
    }

    @Test("generate is deterministic for a seed and resample aggregates to the larger timeframe")
    func generateAndResample() async throws {
        let dir = try Fixtures.temporaryDirectory()
        for name in ["a.csv", "b.csv"] {
            let outcome = try await PetrelProcess.execute(
                ["data", "generate", "--out", name, "--seed", "9", "--count", "600", "--timeframe", "1m"], in: dir)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        #expect(
            try Data(contentsOf: dir.appendingPathComponent("a.csv"))
                == Data(contentsOf: dir.appendingPathComponent("b.csv")))
        let resampled = try await PetrelProcess.execute(
            ["data", "resample", "a.csv", "--symbol", "SIM/USDT", "--timeframe", "1h", "--out", "h.csv"], in: dir)
        #expect(resampled.status == 0, "\(resampled.stderr)")
        let hours = try CandleSeries.load(
            from: dir.appendingPathComponent("h.csv"), symbol: try Symbol(parsing: "SIM/USDT"))
        #expect(hours.candles.count == 10)
        let minutes = try CandleSeries.load(
            from: dir.appendingPathComponent("a.csv"), symbol: try Symbol(parsing: "SIM/USDT"))
        #expect(hours.candles[0].open == minutes.candles[0].open)
        #expect(hours.candles[0].close == minutes.candles[59].close)
        #expect(hours.candles[0].high == minutes.candles[0..<60].map(\.high).max())
    }

    @Test("strategies list names every strategy and rule with its parameters")
    func strategiesList() async throws {
        let outcome = try await PetrelProcess.execute(["strategies", "list", "--json"])
        #expect(outcome.status == 0)
        for name in [
            "volatile", "simple_profitable", "enhanced", "ma_crossover", "rsi_bb", "RSIBBVolumeEntryMixin",
            "RSIBBEntryMixin",
            "RSIIchimokuEntryMixin", "RSIVolumeSupertrendEntryMixin", "RSIBBExitMixin", "ATRExitMixin",
            "TrailingStopExitMixin", "TimeBasedExitMixin", "FixedRatioExitMixin",
        ] {
            #expect(outcome.stdout.contains("\"\(name)\""), "\(name) missing")
        }
        #expect(outcome.stdout.contains("e_rsi_oversold"))
    }

    @Test("optimize ranks a grid and walk-forward reports out-of-sample windows")
    func optimizeAndWalkForward() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let data = Fixtures.sharedData("bittrex_ETHBTC_5m_2018-01.csv").path
        let optimized = try await PetrelProcess.execute(
            [
                "optimize", "--strategy", "ma_crossover", "--data", data, "--range", "fast_period=5:15:5", "--range",
                "slow_period=30:50:10",
                "--objective", "profit", "--jobs", "2", "--json", "o.json",
            ], in: dir)
        #expect(optimized.status == 0, "\(optimized.stderr)")
        struct Output: Decodable {
            struct Trial: Decodable { var score: Double?; var index: Int }
            var evaluated: Int
            var trials: [Trial]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(contentsOf: dir.appendingPathComponent("o.json")))
        #expect(output.evaluated == 9)
        let scores = output.trials.compactMap(\.score)
        #expect(scores == scores.sorted(by: >))
        let walked = try await PetrelProcess.execute(
            [
                "walk-forward", "--strategy", "ma_crossover", "--data", data, "--train-bars", "2000", "--test-bars",
                "1000",
                "--range", "fast_period=5:15:5", "--range", "slow_period=30:50:10",
            ], in: dir)
        #expect(walked.status == 0, "\(walked.stderr)")
        #expect(walked.stdout.contains("Out-of-sample"))
        // 5,760 candles: windows start at 0, 1000, 2000 (each needs 3,000 candles).
        #expect(
            walked.stdout.split(separator: "\n").filter {
                $0.hasPrefix("1 ") || $0.hasPrefix("2 ") || $0.hasPrefix("3 ")
            }.count == 3)
    }
}
