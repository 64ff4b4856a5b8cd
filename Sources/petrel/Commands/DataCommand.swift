import ArgumentParser
import Foundation
import PetrelCore
import PetrelIndicators
import PetrelMarketData

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Import, download, generate, resample, inspect candle files and compute indicator columns.",
        subcommands: [Import.self, Download.self, Generate.self, Resample.self, Inspect.self, Indicators.self])

    static func load(_ path: String, symbol: String?, timeframe: String?) throws -> CandleSeries {
        let symbolValue = try symbol.map { try OptionParsing.symbol($0) }
        let frame = try timeframe.map { try OptionParsing.timeframe($0) }
        do {
            return try CandleSeries.load(from: URL(fileURLWithPath: path), symbol: symbolValue, timeframe: frame)
        } catch {
            throw CLIError(error.description)
        }
    }

    static func save(_ series: CandleSeries, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            if url.pathExtension == CandleSeries.binaryFileExtension {
                try series.write(binaryTo: url)
            } else {
                try series.write(csvTo: url)
            }
        } catch {
            throw CLIError(error.description)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Read CSV files (canonical, Binance kline, Yahoo; optionally .gz) strictly and write one .pcandles or canonical CSV file.",
            discussion:
                "Several files of one market are joined in time order (they must not overlap), e.g. two yearly files into one."
        )
        @Argument(help: "Input candle files of one symbol and timeframe.") var files: [String]
        @Option(help: "Output file: .pcandles for the fast binary format, anything else for canonical CSV.") var out:
            String
        @Option(help: "Symbol, when the file name does not tell it.") var symbol: String?
        @Option(help: "Timeframe, when the timestamps do not tell it.") var timeframe: String?

        func run() throws {
            guard !files.isEmpty else { throw CLIError("give at least one input file") }
            let parts = try files.map { try DataCommand.load($0, symbol: symbol, timeframe: timeframe) }
                .sorted { ($0.candles.first?.timestamp ?? 0) < ($1.candles.first?.timestamp ?? 0) }
            var joined = parts[0]
            for part in parts.dropFirst() {
                guard part.symbol == joined.symbol, part.timeframe == joined.timeframe else {
                    throw CLIError(
                        "\(part.source) is \(part.symbol?.description ?? "?") \(part.timeframe?.rawValue ?? "?") but \(joined.source) is \(joined.symbol?.description ?? "?") \(joined.timeframe?.rawValue ?? "?"); join only files of one market"
                    )
                }
                if let last = joined.candles.last, let first = part.candles.first, first.timestamp <= last.timestamp {
                    throw CLIError(
                        "\(part.source) starts at \(CivilDate.iso8601(milliseconds: first.timestamp)), not after the previous file's last candle \(CivilDate.iso8601(milliseconds: last.timestamp))"
                    )
                }
                joined.candles += part.candles
            }
            try DataCommand.save(joined, to: out)
            print(
                "wrote \(joined.candles.count) candles of \(joined.symbol?.description ?? "?") \(joined.timeframe?.rawValue ?? "?") to \(out)"
            )
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a seeded synthetic market (regimes, volatility clustering, volume) for demos and tests."
        )
        @Option(help: "Output file (.pcandles or .csv).") var out: String
        @Option(help: "Random seed; the same seed gives the same candles.") var seed: UInt64 = 1
        @Option(help: "Number of candles.") var count = 10_000
        @Option(help: "Timeframe (\(Timeframe.allowedValues)).") var timeframe = "1m"
        @Option(help: "Symbol of the simulated market.") var symbol = "SIM/USDT"
        @Option(help: "First price.") var startPrice = "30000"
        @Option(help: "Price tick size.") var tickSize = "0.01"
        @Option(help: "First candle (YYYY-MM-DD or Unix ms).") var start = "2024-01-01"

        func run() throws {
            let frame = try OptionParsing.timeframe(timeframe, allowMonths: false)
            guard (1...10_000_000).contains(count) else { throw CLIError("--count must be from 1 to 10000000") }
            let symbolValue = try OptionParsing.symbol(symbol)
            guard let price = try? FixedPoint(parsing: startPrice), price.isPositive else {
                throw CLIError("--start-price must be a positive decimal")
            }
            guard let tick = try? FixedPoint(parsing: tickSize), tick.isPositive else {
                throw CLIError("--tick-size must be a positive decimal")
            }
            let startMs = try MarketOptions.timestamp(start, option: "--start")
            let configuration = SyntheticMarket.Configuration(
                seed: seed, symbol: symbolValue, startPrice: price, startTimestamp: startMs, timeframe: frame,
                count: count, tickSize: tick)
            do { try configuration.validate() } catch { throw CLIError(error.description) }
            let series = SyntheticMarket.generate(configuration)
            try DataCommand.save(series, to: out)
            print(
                "wrote \(series.candles.count) simulated candles of \(symbolValue) \(frame.rawValue) (seed \(seed)) to \(out)"
            )
        }
    }

    struct Resample: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Aggregate candles to a larger timeframe.")
        @Argument(help: "Input candle file.") var file: String
        @Option(help: "Target timeframe.") var timeframe: String
        @Option(help: "Output file (.pcandles or .csv).") var out: String
        @Option(help: "Symbol, when the file name does not tell it.") var symbol: String?

        func run() throws {
            let frame = try OptionParsing.timeframe(timeframe)
            let series = try DataCommand.load(file, symbol: symbol, timeframe: nil)
            let resampled: CandleSeries
            do { resampled = try series.resampled(to: frame) } catch { throw CLIError(error.description) }
            try DataCommand.save(resampled, to: out)
            print("wrote \(resampled.candles.count) \(frame.rawValue) candles to \(out)")
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Report gaps, duplicates, unsorted, impossible and zero-volume rows with their line numbers; exits 2 when it finds any."
        )
        @Argument(help: "Candle file.") var file: String
        @Option(help: "Symbol, when the file name does not tell it.") var symbol: String?
        @Option(help: "Findings listed per category.") var limit = 20

        func run() throws {
            guard (1...100_000).contains(limit) else { throw CLIError("--limit must be from 1 to 100000") }
            do {
                let (series, report) = try CandleSeries.inspect(
                    from: URL(fileURLWithPath: file), symbol: symbol.flatMap { try? Symbol(parsing: $0) },
                    maxFindingsPerCategory: limit)
                print(
                    "\(file): \(series.symbol?.description ?? "unknown symbol") \(series.timeframe?.rawValue ?? "unknown timeframe")"
                )
                print(report.description)
                if !report.isClean { throw ExitCode(2) }
            } catch let error as MarketDataError {
                throw CLIError(error.description)
            }
        }
    }

    struct Indicators: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add one column per indicator output to the candles and write a CSV (for charts, ML features, checks).",
            discussion:
                "Example: petrel data indicators btc.csv --indicator rsi:14 --indicator bbands:20,2 --out btc-ind.csv")
        @Argument(help: "Candle file.") var file: String
        @Option(
            name: .customLong("indicator"),
            help: "Indicator spec such as rsi:14, bbands:20,2, macd:12,26,9; repeatable.")
        var indicators: [String] = []
        @Option(help: "Output CSV file ('-' for stdout).") var out: String
        @Option(help: "Symbol, when the file name does not tell it.") var symbol: String?

        func run() throws {
            guard !indicators.isEmpty else { throw CLIError("give at least one --indicator (e.g. rsi:14)") }
            let specs = try indicators.map { text in
                do { return try IndicatorSpec(parsing: text) } catch { throw CLIError("--indicator: \(error)") }
            }
            let series = try DataCommand.load(file, symbol: symbol, timeframe: nil)
            let candles = series.candles
            var names: [String] = []
            var columns: [[Double?]] = []
            for spec in specs {
                names += spec.columnNames
                columns += spec.compute(candles)
            }
            var text = "timestamp,open,high,low,close,volume," + names.joined(separator: ",") + "\n"
            text.reserveCapacity(candles.count * (60 + 14 * names.count))
            for (row, candle) in candles.enumerated() {
                text +=
                    "\(candle.timestamp),\(candle.open),\(candle.high),\(candle.low),\(candle.close),\(candle.volume)"
                for column in columns {
                    text += ","
                    if let value = column[row] { text += value.decimalText(8) }
                }
                text += "\n"
            }
            try Terminal.write(Data(text.utf8), to: out)
            if out != "-" { print("wrote \(candles.count) rows with \(names.count) indicator columns to \(out)") }
        }
    }
}
