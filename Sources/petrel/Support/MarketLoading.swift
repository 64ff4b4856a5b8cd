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
        if symbol != nil && files.count > 1 {
            throw CLIError("--symbol applies to a single --data file; name files exchange_SYMBOL_tf_period.csv instead")
        }
        let symbolOverride = try symbol.map { try OptionParsing.symbol($0) }
        let timeframeOverride = try timeframe.map { try OptionParsing.timeframe($0) }
        let fromMs = try from.map { try Self.timestamp($0, option: "--from") }
        let toMs = try to.map { try Self.timestamp($0, option: "--to") }
        if let fromMs, let toMs, fromMs > toMs { throw CLIError("--from is after --to") }
        return try files.map { path in
            if let mapped = try mapBinary(
                path, symbol: symbolOverride, timeframe: timeframeOverride, from: fromMs, to: toMs)
            {
                return mapped
            }
            let series: CandleSeries
            do {
                series = try CandleSeries.load(
                    from: URL(fileURLWithPath: path), symbol: symbolOverride, timeframe: timeframeOverride)
            } catch {
                throw CLIError("\(error)")
            }
            let cut = series.slice(from: fromMs, to: toMs)
            return try market(path, symbol: series.symbol, timeframe: series.timeframe, empty: cut.candles.isEmpty) {
                rules, frame in
                BacktestMarket(rules: rules, timeframe: frame, candles: cut.candles)
            }
        }
    }

    /// A binary candle file used in place (memory-mapped, no copy); `nil` for other files.
    func mapBinary(_ path: String, symbol: Symbol?, timeframe: Timeframe?, from: Int64?, to: Int64?) throws
        -> BacktestMarket?
    {
        let file: MappedCandleFile?
        do {
            file = try MappedCandleFile.open(URL(fileURLWithPath: path))
        } catch {
            throw CLIError("\(error)")
        }
        guard let file else { return nil }
        let lower = from.map { file.firstIndex(atOrAfter: $0) } ?? 0
        let upper = Swift.max(lower, to.map { file.firstIndex(atOrAfter: $0) } ?? file.candles.count)
        let frame = timeframe ?? file.timeframe ?? CandleSeries.inferTimeframe(Array(file.candles.prefix(1_000)))
        let named = CandleSeries.fileNameInfo(URL(fileURLWithPath: path).lastPathComponent)
        return try market(
            path, symbol: symbol ?? file.symbol ?? named.symbol, timeframe: frame ?? named.timeframe,
            empty: lower == upper
        ) { rules, frame in
            BacktestMarket(rules: rules, timeframe: frame, mapped: file, range: lower..<upper)
        }
    }

    /// Checks what every market needs and builds it.
    func market(
        _ path: String, symbol: Symbol?, timeframe: Timeframe?, empty: Bool,
        build: (InstrumentRules, Timeframe) -> BacktestMarket
    ) throws -> BacktestMarket {
        guard let symbol else {
            throw CLIError("\(path): cannot tell the symbol from the file name; pass --symbol (e.g. --symbol BTC/USDT)")
        }
        guard let timeframe else {
            throw CLIError(
                "\(path): cannot tell the timeframe from the data; pass --timeframe (\(Timeframe.allowedValues))")
        }
        guard !empty else { throw CLIError("\(path): no candles between --from and --to") }
        return build(try rules(for: symbol), timeframe)
    }

    func rules(for symbol: Symbol) throws -> InstrumentRules {
        func decimal(_ text: String?, _ option: String, _ fallback: FixedPoint) throws -> FixedPoint {
            guard let text else { return fallback }
            do { return try FixedPoint(parsing: text) } catch { throw CLIError("\(option): \(error)") }
        }
        do {
            return try InstrumentRules(
                symbol: symbol, tickSize: try decimal(tickSize, "--tick-size", .ulp),
                stepSize: try decimal(stepSize, "--step-size", .ulp),
                minNotional: try decimal(minNotional, "--min-notional", .zero))
        } catch let error as InstrumentRuleViolation {
            throw CLIError(error.description)
        }
    }

    static func timestamp(_ text: String, option: String) throws -> Int64 {
        guard let value = CivilDate.parseTimestamp(text) else {
            throw CLIError(
                "\(option) '\(text)' is not a date (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or Unix milliseconds)")
        }
        return value
    }
}
