import PetrelCore

/// The decimal written in `text`, for constants in tests; a typo traps at once with the text.
/// - Parameter text: a decimal such as `"10037.5408"`.
/// - Returns: the exact fixed-point value.
public func decimal(_ text: String) -> FixedPoint {
    do {
        return try FixedPoint(parsing: text)
    } catch {
        preconditionFailure("test constant '\(text)': \(error)")
    }
}

/// Candles written by hand for scenarios computed on paper.
public enum TestCandles {
    /// 2024-01-01T00:00:00Z in Unix milliseconds, a Monday at the start of a UTC day.
    public static let newYear2024: Int64 = 1_704_067_200_000

    /// One candle from decimal strings.
    /// - Parameters:
    ///   - open: the opening price, e.g. `"100.5"`.
    ///   - high: the highest price.
    ///   - low: the lowest price.
    ///   - close: the closing price.
    ///   - volume: the traded base volume.
    ///   - timestamp: Unix ms of the candle's open.
    /// - Returns: the candle; a malformed decimal or an impossible candle traps (a typo in a test).
    public static func candle(
        _ open: String, _ high: String, _ low: String, _ close: String, volume: String = "10", at timestamp: Int64
    ) -> Candle {
        let candle = Candle(
            timestamp: timestamp, open: decimal(open), high: decimal(high), low: decimal(low), close: decimal(close),
            volume: decimal(volume))
        if let problem = candle.impossibility { preconditionFailure("test candle at \(timestamp): \(problem)") }
        return candle
    }

    /// Consecutive candles from rows of `"open high low close"` or `"open high low close volume"`.
    /// - Parameters:
    ///   - rows: one row per candle, fields separated by spaces.
    ///   - start: Unix ms of the first candle.
    ///   - timeframe: the spacing between candles.
    /// - Returns: the candles, `timeframe` apart.
    public static func series(_ rows: [String], start: Int64 = newYear2024, timeframe: Timeframe = .h1) -> [Candle] {
        rows.enumerated().map { index, row in
            let fields = row.split(separator: " ").map(String.init)
            precondition(fields.count == 4 || fields.count == 5, "test candle row '\(row)' needs 4 or 5 fields")
            return candle(
                fields[0], fields[1], fields[2], fields[3], volume: fields.count == 5 ? fields[4] : "10",
                at: start + Int64(index) * timeframe.milliseconds)
        }
    }

    /// Candles from closing prices only: each opens at the previous close and its range spans both.
    /// - Parameters:
    ///   - closes: the closing prices, as decimal strings.
    ///   - volumes: one volume per candle (default 10 each).
    ///   - start: Unix ms of the first candle.
    ///   - timeframe: the spacing between candles.
    public static func closes(
        _ closes: [String], volumes: [String]? = nil, start: Int64 = newYear2024, timeframe: Timeframe = .h1
    ) -> [Candle] {
        precondition(volumes == nil || volumes!.count == closes.count, "one volume per close")
        var previous = closes.first ?? "0"
        return closes.enumerated().map { index, close in
            let open = decimal(previous)
            let closing = decimal(close)
            previous = close
            return Candle(
                timestamp: start + Int64(index) * timeframe.milliseconds, open: open, high: Swift.max(open, closing),
                low: Swift.min(open, closing), close: closing, volume: decimal(volumes?[index] ?? "10"))
        }
    }

    /// `count` identical flat candles at `price`.
    /// - Parameters:
    ///   - price: open, high, low and close.
    ///   - count: how many.
    ///   - start: Unix ms of the first candle.
    ///   - timeframe: the spacing between candles.
    public static func flat(_ price: String, count: Int, start: Int64, timeframe: Timeframe = .h1) -> [Candle] {
        (0..<count).map { candle(price, price, price, price, at: start + Int64($0) * timeframe.milliseconds) }
    }
}
