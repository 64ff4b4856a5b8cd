/// The layouts ``CandleSeries/load(from:symbol:timeframe:)`` recognises; any of the CSV layouts may
/// also be gzip-compressed.
public enum CandleFileFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `timestamp,open,high,low,close,volume` with Unix timestamps (seconds, milliseconds or
    /// microseconds, told apart by magnitude); Petrel's own CSV.
    case canonical
    /// Binance's 12-column kline CSV from data.binance.vision: no header (spot) or the futures
    /// header `open_time,open,…,ignore`; open time in ms, or µs from 2025 on.
    case binanceKlines
    /// Yahoo Finance's `Date,Open,High,Low,Close,Adj Close,Volume` with `YYYY-MM-DD` dates.
    case yahoo
    /// Petrel's binary candle file (`.pcandles`, magic `PETRELC1`).
    case binary

    /// The column names used in error messages (the header, or Binance's documented names).
    public var columnNames: [String] {
        switch self {
        case .canonical: return ["timestamp", "open", "high", "low", "close", "volume"]
        case .binanceKlines:
            return [
                "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count",
                "taker_buy_volume", "taker_buy_quote_volume", "ignore",
            ]
        case .yahoo: return ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]
        case .binary: return []
        }
    }

    /// A short name for messages and reports.
    public var description: String {
        switch self {
        case .canonical: return "canonical CSV"
        case .binanceKlines: return "Binance kline CSV"
        case .yahoo: return "Yahoo Finance CSV"
        case .binary: return "Petrel binary candles"
        }
    }

    /// The accepted formats, spelled out for the unknown-header error.
    public static let acceptedFormats =
        "'timestamp,open,high,low,close,volume' (canonical), "
        + "'Date,Open,High,Low,Close,Adj Close,Volume' (Yahoo Finance), "
        + "Binance kline rows with 12 columns and no header (or the 'open_time,…,ignore' header), "
        + "headerless 6-column canonical rows, any of them gzip-compressed, or a PETRELC1 binary file"

    /// The format a first line announces, and whether that line is a header (`nil` when unknown).
    ///
    /// Header names are compared case-insensitively with surrounding spaces ignored; a first line
    /// whose first field is an integer is a headerless data row (6 columns canonical, 12 Binance).
    static func detect(firstLine: UnsafeRawBufferPointer) -> (format: CandleFileFormat, isHeader: Bool)? {
        let fields = firstLine.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        let names = fields.map { field in
            String(decoding: field, as: UTF8.self).lowercased().filter { $0 != " " && $0 != "\t" && $0 != "\"" }
        }
        for format in [CandleFileFormat.canonical, .binanceKlines, .yahoo] {
            let expected = format.columnNames.map { $0.lowercased().filter { $0 != " " } }
            if names == expected { return (format, true) }
        }
        guard let first = fields.first, !first.isEmpty, first.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        switch fields.count {
        case 6: return (.canonical, false)
        case 12: return (.binanceKlines, false)
        default: return nil
        }
    }
}
