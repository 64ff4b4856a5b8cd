import PetrelCore

/// On-balance volume, exactly as TA-Lib's `OBV`.
///
/// - Formula: `OBV_0 = volume_0`; then add the bar's volume when the close rises, subtract it
///   when the close falls, keep the total when the close is unchanged.
/// - Warm-up: none; the first value is at input index 0 (TA-Lib lookback 0).
public struct OBV: CandleIndicator {
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var total: Double = 0
    @usableFromInline var current: Double?

    /// Creates an on-balance volume total.
    public init() {}

    /// `1`: every bar has a value.
    public var warmUpPeriod: Int { 1 }

    /// The running total, `nil` before the first bar.
    @inlinable public var value: Double? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - close: the bar's close.
    ///   - volume: the bar's volume.
    /// - Returns: the running on-balance volume.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(close: Double, volume: Double) -> Double? {
        if current == nil {
            total = volume
        } else if close > previousClose {
            total += volume
        } else if close < previousClose {
            total -= volume
        }
        previousClose = close
        current = total
        return total
    }

    /// Feeds a candle's close and volume.
    /// - Parameter candle: the next bar.
    /// - Returns: the running on-balance volume.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(close: candle.close.doubleValue, volume: candle.volume.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        previousClose = 0
        total = 0
        current = nil
    }
}
