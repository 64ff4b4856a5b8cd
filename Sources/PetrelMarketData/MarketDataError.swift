import PetrelCore

/// Why candle data could not be read, written, resampled or generated.
///
/// Every case carries what a person needs to fix the input: the file and line (``SourceLocation``),
/// the column and the offending value, and what was expected. ``description`` is the message to show.
public enum MarketDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file does not exist or cannot be read; `reason` is the system's explanation.
    case unreadableFile(path: String, reason: String)
    /// The file holds no bytes, or only a byte-order mark and blank lines.
    case emptyFile(path: String)
    /// The first line is neither a known header nor a Binance kline row.
    case unknownHeader(SourceLocation, header: String)
    /// A row has the wrong number of comma-separated columns for the file's format.
    case wrongColumnCount(SourceLocation, expected: Int, found: Int, columns: String)
    /// A field is not a valid value for its column; `reason` completes "value '…' …".
    case invalidValue(SourceLocation, column: String, value: String, reason: String)
    /// A row's timestamp is earlier than the previous row's (strict loading needs sorted rows).
    case unsortedRow(SourceLocation, timestamp: Int64, previous: Int64)
    /// A row repeats the previous row's timestamp.
    case duplicateTimestamp(SourceLocation, timestamp: Int64)
    /// A row violates an OHLC invariant (``PetrelCore/Candle/impossibility``).
    case impossibleCandle(SourceLocation, reason: String)
    /// A binary candle file has a bad magic, version or header.
    case invalidBinaryFile(file: String, reason: String)
    /// A binary candle file is shorter (or longer) than its header says.
    case truncatedBinaryFile(file: String, expectedBytes: Int, actualBytes: Int)
    /// The gzip stream is damaged or followed by garbage.
    case corruptCompressedData(file: String, reason: String)
    /// The output file could not be written.
    case writeFailed(path: String, reason: String)
    /// Resampling from `source` to `target` is not possible.
    case invalidResampling(source: Timeframe?, target: Timeframe, reason: String)
    /// A configuration value (synthetic market generator) is out of its allowed range.
    case invalidConfiguration(field: String, value: String, reason: String)

    /// The file and line (or record) the error points at, when it is about one row.
    public var location: SourceLocation? {
        switch self {
        case .unknownHeader(let location, _), .wrongColumnCount(let location, _, _, _),
            .invalidValue(let location, _, _, _), .unsortedRow(let location, _, _),
            .duplicateTimestamp(let location, _), .impossibleCandle(let location, _):
            return location
        default:
            return nil
        }
    }

    /// A stable machine-readable name of the case, for API error bodies and exit codes.
    public var code: String {
        switch self {
        case .unreadableFile: return "unreadable_file"
        case .emptyFile: return "empty_file"
        case .unknownHeader: return "unknown_header"
        case .wrongColumnCount: return "wrong_column_count"
        case .invalidValue: return "invalid_value"
        case .unsortedRow: return "unsorted_row"
        case .duplicateTimestamp: return "duplicate_timestamp"
        case .impossibleCandle: return "impossible_candle"
        case .invalidBinaryFile: return "invalid_binary_file"
        case .truncatedBinaryFile: return "truncated_binary_file"
        case .corruptCompressedData: return "corrupt_compressed_data"
        case .writeFailed: return "write_failed"
        case .invalidResampling: return "invalid_resampling"
        case .invalidConfiguration: return "invalid_configuration"
        }
    }

    /// The message for a person, starting with `file:line` when the error is about one row.
    public var description: String {
        guard let location else { return detail }
        return "\(location): \(detail)"
    }

    /// The message without the leading location.
    public var detail: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty (expected a header line and candle rows)"
        case .unknownHeader(_, let header):
            return "unknown header '\(header)'; accepted formats: \(CandleFileFormat.acceptedFormats)"
        case .wrongColumnCount(_, let expected, let found, let columns):
            return "expected \(expected) columns (\(columns)), found \(found)"
        case .invalidValue(_, let column, let value, let reason):
            return "column '\(column)' value '\(value)' \(reason)"
        case .unsortedRow(_, let timestamp, let previous):
            return "timestamp \(Self.describe(timestamp)) is before the previous row's "
                + "\(Self.describe(previous)); rows must be sorted by time"
        case .duplicateTimestamp(_, let timestamp):
            return "timestamp \(Self.describe(timestamp)) repeats the previous row's; timestamps must be unique"
        case .impossibleCandle(_, let reason):
            return "impossible candle: \(reason)"
        case .invalidBinaryFile(let file, let reason):
            return "\(file): not a valid Petrel candle file: \(reason)"
        case .truncatedBinaryFile(let file, let expected, let actual):
            let problem = actual < expected ? "truncated" : "longer than its header says"
            return "\(file): binary candle file is \(problem): the header needs \(expected) bytes, "
                + "the file has \(actual)"
        case .corruptCompressedData(let file, let reason):
            return "\(file): corrupt gzip data: \(reason)"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write the file: \(reason)"
        case .invalidResampling(let source, let target, let reason):
            let from = source.map(\.rawValue) ?? "an unknown timeframe"
            return "cannot resample from \(from) to \(target.rawValue): \(reason)"
        case .invalidConfiguration(let field, let value, let reason):
            return "\(field): value '\(value)' \(reason)"
        }
    }

    /// `1677628800000 (2023-03-01T00:00:00Z)`.
    static func describe(_ timestamp: Int64) -> String {
        "\(timestamp) (\(CivilDate.iso8601(milliseconds: timestamp)))"
    }
}
