import PetrelCore

/// Rate of change in percent, exactly as TA-Lib's `ROC`.
///
/// - Formula: `ROC_t = (x_t / x_{t−period} − 1) · 100`; 0 when `x_{t−period}` is 0 (TA-Lib).
/// - Warm-up: the first value is at input index `period` (TA-Lib lookback `period`).
public struct ROC: ScalarIndicator, CandleIndicator {
    /// How many inputs back the reference value is.
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var current: Double?

    /// Creates a rate of change.
    /// - Parameter period: lag in inputs, at least 1.
    public init(period: Int = 10) {
        precondition(period >= 1, "ROC period must be at least 1, got \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    /// `period + 1`.
    public var warmUpPeriod: Int { period + 1 }

    /// The latest rate of change in percent, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the percent change over `period` inputs, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        guard window.isFull else {
            window.append(value)
            return nil
        }
        let reference = window.replaceOldest(with: value)
        let change = reference != 0 ? (value / reference - 1) * 100 : 0
        current = change
        return change
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new rate of change, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        window.removeAll()
        current = nil
    }
}
