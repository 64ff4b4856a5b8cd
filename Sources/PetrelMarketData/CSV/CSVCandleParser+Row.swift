import PetrelCore

/// Why a row did not give a candle.
enum RowFailure: Equatable {
    /// The number of fields differs from the format's.
    case columnCount
    /// Field `column` is not a timestamp or date.
    case timestamp(column: Int)
    /// Field `column` is not a decimal.
    case decimal(column: Int)
    /// A Yahoo row with `null` values (skipped, not an error).
    case nullRow
}

/// A row's outcome: a candle or why not.
enum RowOutcome {
    case candle(Candle)
    case failure(RowFailure)
}

/// One CSV line split at its commas, with allocation-free access to its fields.
struct Row {
    let text: UnsafePointer<UInt8>
    let start: Int
    let end: Int
    let commas: UnsafeMutablePointer<Int>
    let fieldCount: Int

    /// The bytes of field `index` (0-based, `index < fieldCount`, at most the 16th).
    @inline(__always)
    func field(_ index: Int) -> UnsafeRawBufferPointer {
        let fieldStart = index == 0 ? start : commas[index - 1] + 1
        let fieldEnd = index == fieldCount - 1 ? end : commas[index]
        return UnsafeRawBufferPointer(start: text + fieldStart, count: fieldEnd - fieldStart)
    }

    /// Whether the row's bytes equal `line` (a repeated header).
    func isSame(asLine line: UnsafeRawBufferPointer) -> Bool {
        end - start == line.count && UnsafeRawBufferPointer(start: text + start, count: end - start).elementsEqual(line)
    }

    /// A canonical or Binance row: integer timestamp then five exact decimals.
    /// - Complexity: O(row length), no allocation.
    @inline(__always)
    func numericCandle() -> RowOutcome {
        guard let written = FieldParsing.unsignedInteger(field(0)),
            let timestamp = FieldParsing.normalisedTimestamp(written)
        else { return .failure(.timestamp(column: 0)) }
        guard let open = FixedPoint.parse(field(1)) else { return .failure(.decimal(column: 1)) }
        guard let high = FixedPoint.parse(field(2)) else { return .failure(.decimal(column: 2)) }
        guard let low = FixedPoint.parse(field(3)) else { return .failure(.decimal(column: 3)) }
        guard let close = FixedPoint.parse(field(4)) else { return .failure(.decimal(column: 4)) }
        guard let volume = FixedPoint.parse(field(5)) else { return .failure(.decimal(column: 5)) }
        return .candle(Candle(timestamp: timestamp, open: open, high: high, low: low, close: close, volume: volume))
    }

    /// A Yahoo row: date, then prices rounded half-even to 8 digits; `Adj Close` is ignored.
    func yahooCandle() -> RowOutcome {
        for column in 1...6 where FieldParsing.isNull(field(column)) { return .failure(.nullRow) }
        guard let timestamp = FieldParsing.date(field(0)) else { return .failure(.timestamp(column: 0)) }
        guard let open = FieldParsing.roundedDecimal(field(1)) else { return .failure(.decimal(column: 1)) }
        guard let high = FieldParsing.roundedDecimal(field(2)) else { return .failure(.decimal(column: 2)) }
        guard let low = FieldParsing.roundedDecimal(field(3)) else { return .failure(.decimal(column: 3)) }
        guard let close = FieldParsing.roundedDecimal(field(4)) else { return .failure(.decimal(column: 4)) }
        guard let volume = FieldParsing.roundedDecimal(field(6)) else { return .failure(.decimal(column: 6)) }
        return .candle(Candle(timestamp: timestamp, open: open, high: high, low: low, close: close, volume: volume))
    }

    /// The error for a failed row (allocates; only called on the error path).
    func error(_ failure: RowFailure, format: CandleFileFormat, at location: SourceLocation) -> MarketDataError {
        let names = format.columnNames
        switch failure {
        case .columnCount, .nullRow:
            return .wrongColumnCount(
                location, expected: names.count, found: fieldCount, columns: names.joined(separator: ","))
        case .timestamp(let column):
            let value = text(of: column)
            let reason: String
            if format == .yahoo {
                reason = "is not a date (expected YYYY-MM-DD)"
            } else if let number = Int64(value), number >= 0 {
                reason = "is out of range (accepted: Unix seconds, milliseconds or microseconds up to the year 5138)"
            } else {
                reason = "is not a Unix timestamp (expected a whole number of seconds, milliseconds or microseconds)"
            }
            return .invalidValue(location, column: names[column], value: value, reason: reason)
        case .decimal(let column):
            let value = text(of: column)
            let reason = format == .yahoo ? "is not a decimal number" : FieldParsing.decimalProblem(value)
            return .invalidValue(location, column: names[column], value: value, reason: reason)
        }
    }

    /// Field `column` as text for messages (cut at 100 characters).
    private func text(of column: Int) -> String {
        let bytes = field(column)
        let shown = String(decoding: bytes.prefix(100), as: UTF8.self)
        return bytes.count > 100 ? shown + "…" : shown
    }
}
