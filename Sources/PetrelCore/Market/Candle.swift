/// One OHLCV bar. `timestamp` is the candle's open time in Unix milliseconds (UTC).
///
/// Prices and volume are exact decimals; 48 bytes, no references, so a million candles are one
/// contiguous 48 MB buffer.
public struct Candle: Sendable, Hashable, Codable {
    public var timestamp: Int64
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    public var volume: Quantity

    @inlinable
    public init(timestamp: Int64, open: Price, high: Price, low: Price, close: Price, volume: Quantity) {
        self.timestamp = timestamp
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// The first violated OHLC invariant, or `nil` when the bar is possible: prices positive,
    /// `low ≤ min(open, close)`, `high ≥ max(open, close)`, volume not negative.
    public var impossibility: String? {
        if open.rawValue <= 0 || high.rawValue <= 0 || low.rawValue <= 0 || close.rawValue <= 0 {
            return "prices must be greater than zero"
        }
        if high < low { return "high \(high) is below low \(low)" }
        if high < open || high < close { return "high \(high) is below open \(open) or close \(close)" }
        if low > open || low > close { return "low \(low) is above open \(open) or close \(close)" }
        if volume.isNegative { return "volume \(volume) is negative" }
        return nil
    }

    /// `(high + low + close) / 3` as a `Double`, for indicators.
    @inlinable
    public var typicalPrice: Double { (high.doubleValue + low.doubleValue + close.doubleValue) / 3 }
}
