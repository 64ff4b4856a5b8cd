import Foundation

/// The scenario, from the command line (`--name value`; see ``usage``).
struct FleetOptions {
    /// Bots under the one supervisor.
    var bots = 1_000
    /// Live (replayed) candles each bot processes after its warm-up.
    var candles = 1_440
    /// Warm-up history per bot (`lookback_bars`), not counted as decisions.
    var lookback = 200
    /// Candle files; bot `i` trades file `i % files.count`.
    var files: [String] = []
    /// Strategy names; bot `i` runs strategy `(i / files.count) % strategies.count`, default parameters.
    var strategies = ["volatile", "simple_profitable", "enhanced", "ma_crossover", "rsi_bb"]

    static let usage = """
        FleetBenchmark [--bots N] [--candles N] [--lookback N] [--data FILE]... [--strategy NAME]...
        Runs N paper bots under one BotSupervisor on replayed candles (full speed) and prints the
        latency percentiles of the runtime's probe (candle-to-decision, market-event-to-order-sent).
        """

    static func parse(_ arguments: [String]) throws -> FleetOptions {
        var options = FleetOptions()
        var strategies: [String] = []
        var index = 0
        func value(_ name: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw FleetError("\(name) needs a value\n\(usage)") }
            return arguments[index]
        }
        func number(_ name: String) throws -> Int {
            let text = try value(name)
            guard let number = Int(text), number >= 0 else { throw FleetError("\(name) '\(text)' is not a count") }
            return number
        }
        while index < arguments.count {
            let name = arguments[index]
            switch name {
            case "--bots": options.bots = try number(name)
            case "--candles": options.candles = try number(name)
            case "--lookback": options.lookback = try number(name)
            case "--data": options.files.append(try value(name))
            case "--strategy": strategies.append(try value(name))
            case "-h", "--help": throw FleetError(usage)
            default: throw FleetError("unknown option \(name)\n\(usage)")
            }
            index += 1
        }
        if !strategies.isEmpty { options.strategies = strategies }
        if options.files.isEmpty {
            let data = ProcessInfo.processInfo.environment["PETREL_DATA_DIR"] ?? "../../shared/data"
            options.files = ["BTCUSDT", "ETHUSDT", "SUIUSDT"].map { "\(data)/binance_\($0)_1m_2024-01.csv" }
        }
        guard options.bots > 0, options.candles > 0 else { throw FleetError("--bots and --candles must be positive") }
        return options
    }
}

/// A bad command line or scenario.
struct FleetError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
