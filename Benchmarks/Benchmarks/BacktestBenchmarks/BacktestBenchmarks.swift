import Benchmark
import Foundation
import PetrelBacktest
import PetrelCore
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies

let dataDirectory: URL = {
    if let override = ProcessInfo.processInfo.environment["PETREL_DATA_DIR"] { return URL(fileURLWithPath: override) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data")
}()

/// BTC/USDT 1m 2022 + 2024: 1,052,640 real candles.
func btcMinutes() throws -> [Candle] {
    let a = try CandleSeries.load(from: dataDirectory.appendingPathComponent("binance_BTCUSDT_1m_2022.csv.gz"))
    let b = try CandleSeries.load(from: dataDirectory.appendingPathComponent("binance_BTCUSDT_1m_2024.csv.gz"))
    return a.candles + b.candles
}

let symbol = try! Symbol(parsing: "BTC/USDT")

let benchmarks: @Sendable () -> Void = {
    let configuration = BacktestConfiguration(
        initialBalance: 10_000, costs: ExecutionCosts(makerFee: 0.001, takerFee: 0.001))
    let bench = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(20), maxIterations: 5)

    Benchmark("rsi_bb backtest, 1,052,640 candles (engine only)", configuration: bench) { benchmark in
        let candles = try btcMinutes()
        let market = BacktestMarket(rules: .unrestricted(symbol), timeframe: .m1, candles: candles)
        let descriptor = StrategyRegistry.rsiBollinger
        benchmark.startMeasurement()
        let run = try BacktestEngine(configuration: configuration).run(
            markets: [market], makeStrategy: { _ in try descriptor.instantiate() })
        benchmark.stopMeasurement()
        blackHole(run.trades.count)
    }

    for jobs in [1, 2] {
        Benchmark(
            "optimizer, 1,000 rsi_bb sets over 100,000 candles, \(jobs) job(s)",
            configuration: .init(metrics: [.wallClock], maxDuration: .seconds(60), maxIterations: 1)
        ) { benchmark in
            let candles = Array(try btcMinutes().prefix(100_000))
            let market = BacktestMarket(rules: .unrestricted(symbol), timeframe: .m1, candles: candles)
            let descriptor = StrategyRegistry.rsiBollinger
            let space = try ParameterSpace(
                schema: descriptor.schema,
                ranges: ["rsi_period=5:14", "rsi_oversold=20:40:5", "rsi_overbought=60:80:5", "bb_dev=1.5:2.5:0.25"])
            let sets = Array(space.grid().prefix(1_000))
            benchmark.startMeasurement()
            let ranked = Optimizer(configuration: configuration, objective: .sharpe, jobs: jobs)
                .evaluate(descriptor, parameterSets: sets, markets: [market])
            benchmark.stopMeasurement()
            blackHole(ranked.count)
        }
    }
}
