import ArgumentParser
import Foundation
import PetrelBacktest
import PetrelCore
import PetrelRuntime

/// Options shared by `optimize` and `walk-forward`.
struct SearchOptions: ParsableArguments {
    @Option(name: .customLong("range"), help: "Values to try: NAME=FROM:TO[:STEP] or NAME=a,b,c; repeatable.")
    var ranges: [String] = []
    @Option(help: "grid (every combination) or random (--samples draws).")
    var method: String = "grid"
    @Option(help: "Parameter sets drawn by random search.")
    var samples = 100
    @Option(help: "Seed of the random search.")
    var seed: UInt64 = 1
    @Option(help: "Objective: \(Objective.allCases.map(\.rawValue).joined(separator: ", ")).")
    var objective = "sharpe"
    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int?

    func parameterSets(schema: ParameterSchema) throws -> [[String: ParameterValue]] {
        guard !ranges.isEmpty else {
            throw CLIError("give at least one --range NAME=FROM:TO[:STEP] (see `petrel strategies list` for names)")
        }
        let space: ParameterSpace
        do { space = try ParameterSpace(schema: schema, ranges: ranges) } catch { throw CLIError("--range: \(error)") }
        switch method {
        case "grid":
            guard space.gridSize <= 1_000_000 else {
                throw CLIError("the grid has \(space.gridSize) points; use --method random or coarser steps")
            }
            return space.grid()
        case "random":
            guard (1...1_000_000).contains(samples) else { throw CLIError("--samples must be from 1 to 1000000") }
            return space.random(count: samples, seed: seed)
        default:
            throw CLIError("--method '\(method)' is not allowed; expected grid or random")
        }
    }

    func objectiveValue() throws -> Objective {
        guard let value = Objective(rawValue: objective) else {
            throw CLIError(
                "--objective '\(objective)' is not allowed; expected one of \(Objective.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return value
    }

    var workerCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}

struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize", abstract: "Search a strategy's parameters (grid or random) in parallel and rank them.",
        discussion:
            "Example: petrel optimize --strategy rsi_bb --data btc.csv --range rsi_period=10:20:2 --range bb_dev=1.5:2.5:0.5 --objective sortino"
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var strategyOptions: StrategyOptions
    @OptionGroup var trading: TradingOptions
    @OptionGroup var search: SearchOptions
    @Option(help: "Rows shown in the ranking.")
    var top = 10
    @Option(help: "Write every trial as JSON to this file ('-' for stdout).")
    var json: String?

    struct Output: Encodable {
        var strategy: String
        var objective: Objective
        var method: String
        var seed: UInt64?
        var evaluated: Int
        var trials: [OptimizationTrial]
    }

    func run() throws {
        guard (1...1_000).contains(top) else { throw CLIError("--top must be from 1 to 1000") }
        guard search.workerCount >= 1 else { throw CLIError("--jobs must be at least 1") }
        let markets = try dataOptions.market.load()
        let (descriptor, baseValues, bot) = try strategyOptions.select()
        let configuration = try trading.configuration(bot: bot, marketCount: markets.count)
        let sets = try search.parameterSets(schema: descriptor.schema).map { baseValues.merging($0) { $1 } }
        let optimizer = Optimizer(
            configuration: configuration, objective: try search.objectiveValue(), jobs: search.workerCount)
        let progress = ProgressBar("optimize")
        let ranked = optimizer.evaluate(descriptor, parameterSets: sets, markets: markets, progress: progress.update)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let output = Output(
                strategy: descriptor.name, objective: optimizer.objective, method: search.method,
                seed: search.method == "random" ? search.seed : nil, evaluated: ranked.count, trials: ranked)
            try Terminal.write(try encoder.encode(output), to: json)
        }
        let table = Self.table(ranked.prefix(top), objective: optimizer.objective, names: search.rangedNames)
        if json == "-" { Terminal.note(table) } else { print(table) }
    }

    static func table(_ trials: ArraySlice<OptimizationTrial>, objective: Objective, names: [String]) -> String {
        var lines = ["rank  \(objective.rawValue.padding(10))  return     max dd    trades  parameters"]
        for (rank, trial) in trials.enumerated() {
            let score = trial.score.map { $0.decimalText(4) } ?? (trial.error == nil ? "—" : "error")
            let ret = trial.totalReturn.map { ($0 * 100).decimalText(2) + "%" } ?? "—"
            let dd = trial.maxDrawdown.map { ($0 * 100).decimalText(2) + "%" } ?? "—"
            let params = names.compactMap { name in trial.parameters[name].map { "\(name)=\($0)" } }.joined(
                separator: " ")
            lines.append(
                "\(String(rank + 1).padding(4))  \(score.padding(10))  \(ret.padding(9))  \(dd.padding(8))  \(String(trial.trades).padding(6))  \(params)\(trial.error.map { "  (\($0))" } ?? "")"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension SearchOptions {
    var rangedNames: [String] {
        ranges.compactMap { $0.split(separator: "=").first.map(String.init) }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
