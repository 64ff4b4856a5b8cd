import PetrelCore

/// Lambert's commodity channel index, exactly as TA-Lib's `CCI`.
///
/// - Typical price `TP = (high + low + close) / 3`; `mean` = SMA of TP over `period`;
///   mean deviation `MD = Σ |TP_i − mean| / period` over the same window (around the *current*
///   mean); `CCI = (TP − mean) / (0.015 · MD)`, 0 when `MD` or `TP − mean` is 0 (TA-Lib).
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib lookback `period − 1`).
/// - Complexity: O(period) per update. The mean deviation is taken around a mean that moves
///   every bar, so every term changes; there is no exact O(1) update (TA-Lib also rescans).
public struct CCI: CandleIndicator {
    /// Number of bars in the window.
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var current: Double?

    /// Creates a CCI.
    /// - Parameter period: window length, at least 1 (TA-Lib's default is 14).
    public init(period: Int = 14) {
        precondition(period >= 1, "CCI period must be at least 1, got \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    /// `period`.
    public var warmUpPeriod: Int { period }

    /// The latest CCI, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: the new CCI, or `nil` while warming up.
    /// - Complexity: O(period): the mean deviation rescans the window.
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double? {
        let typical = (high + low + close) / 3
        _ = window.push(typical)
        guard window.isFull else { return nil }
        let values = window.unorderedValues
        var sum = 0.0
        for value in values { sum += value }
        let mean = sum / Double(period)
        var deviation = 0.0
        for value in values { deviation += abs(value - mean) }
        let distance = typical - mean
        let cci = distance != 0 && deviation != 0 ? distance / (0.015 * (deviation / Double(period))) : 0
        current = cci
        return cci
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new CCI, or `nil` while warming up.
    /// - Complexity: O(period).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        window.removeAll()
        current = nil
    }
}
