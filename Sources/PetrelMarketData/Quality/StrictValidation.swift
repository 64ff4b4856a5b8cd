import PetrelCore

/// The row checks strict loading applies: sorted, unique timestamps and possible OHLC values.
enum StrictValidation {
    /// Whether `candle.impossibility` is `nil`, without building a message.
    /// - Complexity: O(1), no allocation.
    @inline(__always)
    static func isPossible(_ candle: Candle) -> Bool {
        candle.open.rawValue > 0 && candle.high.rawValue > 0 && candle.low.rawValue > 0 && candle.close.rawValue > 0
            && candle.high >= candle.low && candle.high >= candle.open && candle.high >= candle.close
            && candle.low <= candle.open && candle.low <= candle.close && candle.volume.rawValue >= 0
    }

    /// The strict-mode error for `candle` following a row with timestamp `previous`, if any.
    /// - Parameters:
    ///   - candle: the row just read.
    ///   - previous: the previous row's timestamp, `nil` for the first row.
    ///   - location: where the row is, evaluated only on failure.
    /// - Complexity: O(1); allocates only when reporting.
    @inline(__always)
    static func violation(
        _ candle: Candle, previous: Int64?, at location: @autoclosure () -> SourceLocation
    ) -> MarketDataError? {
        if let previous, candle.timestamp <= previous {
            return candle.timestamp == previous
                ? .duplicateTimestamp(location(), timestamp: candle.timestamp)
                : .unsortedRow(location(), timestamp: candle.timestamp, previous: previous)
        }
        if !isPossible(candle) {
            return .impossibleCandle(location(), reason: candle.impossibility ?? "invalid values")
        }
        return nil
    }

    /// The first strict-mode error in a whole series.
    /// - Complexity: O(n).
    static func firstViolation(in candles: UnsafeBufferPointer<Candle>, file: String, lines: LineMap)
        -> MarketDataError?
    {
        var previous: Int64?
        for index in candles.indices {
            let candle = candles[index]
            if let error = violation(candle, previous: previous, at: lines.location(of: index, file: file)) {
                return error
            }
            previous = candle.timestamp
        }
        return nil
    }
}
