import ArgumentParser
import Foundation
import PetrelAnalytics
import PetrelBacktest
import PetrelCore
import PetrelRuntime

struct WalkForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk-forward",
        abstract: "Optimise on rolling training windows and report out-of-sample results on the windows after them.",
        discussion:
            "Example: petrel walk-forward --strategy ma_crossover --data btc-1h.csv --train-bars 2000 --test-bars 500 --range fast_period=5:30:5 --range slow_period=40:120:20"
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var strategyOptions: StrategyOptions
    @OptionGroup var trading: TradingOptions
    @OptionGroup var search: SearchOptions
    @Option(help: "Candles in each training window.")
    var trainBars: Int
    @Option(help: "Candles in each out-of-sample test window (also the step between windows).")
    var testBars: Int
    @Option(help: "Write the windows and out-of-sample statistics as JSON ('-' for stdout).")
    var json: String?

    func run() throws {
        guard trainBars >= 10, testBars >= 2 else {
            throw CLIError("--train-bars must be at least 10 and --test-bars at least 2")
        }
        let markets = try dataOptions.market.load()
        guard markets.count == 1 else { throw CLIError("walk-forward runs on one --data file") }
        let (descriptor, baseValues, bot) = try strategyOptions.select()
        let configuration = try trading.configuration(bot: bot, marketCount: 1)
        let sets = try search.parameterSets(schema: descriptor.schema).map { baseValues.merging($0) { $1 } }
        let optimizer = Optimizer(
            configuration: configuration, objective: try search.objectiveValue(), jobs: search.workerCount)
        let progress = ProgressBar("walk-forward")
        let result: WalkForward.Result
        do {
            result = try WalkForward(trainBars: trainBars, testBars: testBars).run(
                descriptor, parameterSets: sets, market: markets[0], optimizer: optimizer, progress: progress.update)
        } catch {
            throw CLIError(error.description)
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try Terminal.write(try encoder.encode(result), to: json)
        }
        var lines = [
            "window  test period                                    in-sample  out-of-sample  return    trades  parameters"
        ]
        for (index, window) in result.windows.enumerated() {
            let period =
                "\(CivilDate.iso8601(milliseconds: window.testStart)) → \(CivilDate.iso8601(milliseconds: window.testEnd))"
            let params = search.rangedNames.compactMap { name in window.bestParameters[name].map { "\(name)=\($0)" } }
                .joined(separator: " ")
            lines.append(
                "\(String(index + 1).padding(6))  \(period.padding(44))  \((window.inSampleScore?.decimalText(3) ?? "—").padding(9))  \((window.outOfSampleScore?.decimalText(3) ?? "—").padding(13))  \((window.outOfSampleReturn.map { ($0 * 100).decimalText(2) + "%" } ?? "—").padding(8))  \(String(window.outOfSampleTrades).padding(6))  \(params)"
            )
        }
        let oos = result.outOfSample
        lines.append("")
        lines.append(
            "Out-of-sample: return \(oos.totalReturn.map { ($0 * 100).decimalText(2) + "%" } ?? "—"), Sharpe \(oos.sharpeRatio?.decimalText(2) ?? "—"), max drawdown \(oos.maxDrawdown.map { ($0 * 100).decimalText(2) + "%" } ?? "—")"
        )
        let text = lines.joined(separator: "\n")
        if json == "-" { Terminal.note(text) } else { print(text) }
    }
}
