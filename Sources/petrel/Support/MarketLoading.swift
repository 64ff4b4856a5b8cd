import Foundation
import PetrelBacktest
import PetrelCore
import PetrelMarketData

/// Options that describe candle files and how to cut them.
struct MarketOptions {
    var files: [String]
    var symbol: String?
    var timeframe: String?
    var from: String?
    var to: String?
    var tickSize: String?
    var stepSize: String?
    var minNotional: String?

    /// Loads every file as one market.
    func load() throws -> [BacktestMarket] {
        guard !files.isEmpty else { throw CLIError("no data: pass --data FILE (CSV, CSV.gz or .pcandles)") }
        if symbol != nil && files.count > 1 { throw CLIError("--symbol applies to a single --data file; name files exchange_SYMBOL_tf_period.csv instead") }
        let symbolOverride = try symbol.map { text in
            do { return try Symbol(parsing: text) } catch { throw CLIError("--symbol: \(error)") }
        }
        let timeframeOverride = try timeframe.map { text in
            guard let value = Timeframe(rawValue: text) else {
                throw CLIError("--timeframe '\(text)' is not allowed; expected one of \(Timeframe.allowedValues)")
            }
            return value
        }
        let fromMs = try from.map { try Self.timestamp($0, option: "--from") }
        let toMs = try to.map { try Self.timestamp($0, option: "--to") }
        if let fromMs, let toMs, fromMs > toMs { throw CLIError("--from is after --to") }
        return try files.map { path in
            let series: CandleSeries
            do {
                series = try CandleSeries.load(from: URL(fileURLWithPath: path), symbol: symbolOverride, timeframe: timeframeOverride)
            } catch {
                throw CLIError("\(error)")
            }
            guard let symbol = series.symbol else {
                throw CLIError("\(path): cannot tell the symbol from the file name; pass --symbol (e.g. --symbol BTC/USDT)")
            }
            guard let frame = series.timeframe else {
                throw CLIError("\(path): cannot tell the timeframe from the data; pass --timeframe (\(Timeframe.allowedValues))")
            }
            let cut = series.slice(from: fromMs, to: toMs)
            guard !cut.candles.isEmpty else { throw CLIError("\(path): no candles between --from and --to") }
            return BacktestMarket(rules: try rules(for: symbol), timeframe: frame, candles: cut.candles)
        }
    }

    func rules(for symbol: Symbol) throws -> InstrumentRules {
        func decimal(_ text: String?, _ option: String, _ fallback: FixedPoint) throws -> FixedPoint {
            guard let text else { return fallback }
            do { return try FixedPoint(parsing: text) } catch { throw CLIError("\(option): \(error)") }
        }
        do {
            return try InstrumentRules(
                symbol: symbol, tickSize: try decimal(tickSize, "--tick-size", .ulp),
                stepSize: try decimal(stepSize, "--step-size", .ulp), minNotional: try decimal(minNotional, "--min-notional", .zero))
        } catch let error as InstrumentRuleViolation {
            throw CLIError(error.description)
        }
    }

    static func timestamp(_ text: String, option: String) throws -> Int64 {
        guard let value = CivilDate.parseTimestamp(text) else {
            throw CLIError("\(option) '\(text)' is not a date (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or Unix milliseconds)")
        }
        return value
    }
}
