import ArgumentParser
import Foundation
import PetrelBacktest
import PetrelCore
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a strategy on candle files (or on a simulated market with --demo).",
        discussion: """
            Examples:
              petrel backtest --demo
              petrel backtest --strategy rsi_bb --data binance_BTCUSDT_1m_2024-01.csv --json result.json --report report.html
              petrel backtest --config 0001.json --data BTCUSDT-1h.csv --from 2024-01-01 --to 2024-06-30
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var strategyOptions: StrategyOptions
    @OptionGroup var trading: TradingOptions
    @Option(help: "Write the full result as JSON to this file ('-' for stdout).")
    var json: String?
    @Option(help: "Write a self-contained HTML report to this file.")
    var report: String?
    @Option(help: "Points kept in the JSON equity curve.")
    var equityPoints = 2_000
    @Flag(help: "Run on a seeded simulated market (no data file needed).")
    var demo = false
    @Flag(help: "Print nothing on stdout except JSON sent to '-'.")
    var quiet = false

    func run() throws {
        let markets: [BacktestMarket]
        var strategyOptions = self.strategyOptions
        if demo {
            guard dataOptions.data.isEmpty else { throw CLIError("--demo uses a simulated market; drop --data") }
            if strategyOptions.strategy == nil && strategyOptions.config == nil {
                strategyOptions.strategy = "volatile"
            }
            markets = [DemoMarket.make()]
            if !quiet {
                Terminal.note(
                    "Demo: SIMULATED market \(markets[0].symbol) \(markets[0].timeframe.rawValue), \(markets[0].candles.count) candles (seed \(DemoMarket.seed)); not real prices."
                )
            }
        } else {
            markets = try dataOptions.market.load()
        }
        let (descriptor, values, bot) = try strategyOptions.select()
        guard (2...100_000).contains(equityPoints) else { throw CLIError("--equity-points must be from 2 to 100000") }
        var configuration = try trading.configuration(bot: bot, marketCount: markets.count)
        configuration.equityCurvePoints = equityPoints
        let resolved = try descriptor.schema.resolve(values)
        let progress = ProgressBar("backtest")
        let run: BacktestRun
        do {
            run = try BacktestEngine(configuration: configuration).run(
                markets: markets, makeStrategy: { _ in try descriptor.make(resolved) }, progress: progress.update)
        } catch {
            throw CLIError(error.description)
        }
        let result = BacktestResult(
            run: run, strategy: .init(name: descriptor.name, parameters: resolved.values), configuration: configuration)
        if let json {
            try Terminal.write(bytes: try result.jsonBytes(), to: json)
        }
        var reportPath = report
        if demo && reportPath == nil { reportPath = "petrel-demo-report.html" }
        if let reportPath {
            let html = HTMLReport.render(result, candles: markets.map(\.candles))
            try Terminal.write(Data(html.utf8), to: reportPath)
        }
        guard !quiet else { return }
        let summary = result.summaryTable + "\n"
        if json == "-" {
            Terminal.note(summary)
        } else {
            print(summary, terminator: "")
        }
        if let reportPath { Terminal.note("HTML report: \(reportPath)") }
    }
}

/// The seeded simulated market behind `--demo` (and the server's demo bot later).
enum DemoMarket {
    static let seed: UInt64 = 20_260_101

    static func make() -> BacktestMarket {
        let symbol = try! Symbol(parsing: "SIM/USDT")
        let series = SyntheticMarket.generate(
            SyntheticMarket.Configuration(
                seed: seed, symbol: symbol, startPrice: 30_000, timeframe: .m15, count: 35_040))
        return BacktestMarket(
            rules: try! InstrumentRules(
                symbol: symbol, tickSize: FixedPoint(rawValue: 1_000_000), stepSize: FixedPoint(rawValue: 1_000)),
            timeframe: .m15, candles: series.candles)
    }
}
