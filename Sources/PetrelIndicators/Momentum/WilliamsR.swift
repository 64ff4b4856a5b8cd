import PetrelCore

/// Williams %R, exactly as TA-Lib's `WILLR`.
///
/// - Formula: `%R = −100 · (highest high − close) / (highest high − lowest low)` over the last
///   `period` bars, from −100 (close at the low) to 0 (close at the high); 0 when the range is
///   0 (TA-Lib). Highest/lowest use monotonic deques. TA-Lib divides by `range · −0.01`, which
///   can round to −100.00000000000001; this form stays within −100 … 0.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib lookback `period − 1`).
public struct WilliamsR: CandleIndicator {
    /// Number of bars in the window.
    public let period: Int
    @usableFromInline var highest: RollingMaximum
    @usableFromInline var lowest: RollingMinimum
    @usableFromInline var barsSeen: Int = 0
    @usableFromInline var current: Double?

    /// Creates a Williams %R.
    /// - Parameter period: window length, at least 1.
    public init(period: Int = 14) {
        precondition(period >= 1, "Williams %R period must be at least 1, got \(period)")
        self.period = period
        highest = RollingMaximum(window: period)
        lowest = RollingMinimum(window: period)
    }

    /// `period`.
    public var warmUpPeriod: Int { period }

    /// The latest %R (−100 … 0), `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: the new %R, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double? {
        let top = highest.push(high)
        let bottom = lowest.push(low)
        if barsSeen < period {
            barsSeen += 1
            if barsSeen < period { return nil }
        }
        let range = top - bottom
        let percent = range != 0 ? -100 * ((top - close) / range) : 0
        current = percent
        return percent
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new %R, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        highest.removeAll()
        lowest.removeAll()
        barsSeen = 0
        current = nil
    }
}
