import PetrelCore

/// Linearly weighted moving average: the newest input weighs `period`, the oldest weighs 1.
///
/// - Formula: `WMA_t = Σ_{i=0}^{period−1} (period − i) · x_{t−i} / (period · (period + 1) / 2)`.
///   Kept in O(1) with a running sum `S` and weighted sum `W`: on each full-window update
///   `W ← W − S + period · x_t` (every weight drops by one, the oldest to zero) and
///   `S ← S − x_{t−period} + x_t`.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib `WMA`, lookback
///   `period − 1`).
public struct WMA: ScalarIndicator, CandleIndicator {
    /// Number of inputs weighted.
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var sum: Double = 0
    @usableFromInline var weightedSum: Double = 0
    @usableFromInline let weightTotal: Double
    @usableFromInline var current: Double?

    /// Creates a weighted moving average.
    /// - Parameter period: number of inputs weighted, at least 1 (TA-Lib's default is 30).
    public init(period: Int = 30) {
        precondition(period >= 1, "WMA period must be at least 1, got \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
        weightTotal = Double(period) * Double(period + 1) / 2
    }

    /// `period`: the first value comes with the `period`-th input.
    public var warmUpPeriod: Int { period }

    /// The latest average, `nil` until `period` inputs have been seen.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the new weighted average, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        if window.isFull {
            weightedSum += Double(period) * value - sum
            sum += value - window.replaceOldest(with: value)
        } else {
            window.append(value)
            weightedSum += Double(window.count) * value
            sum += value
            if !window.isFull { return nil }
        }
        let average = weightedSum / weightTotal
        current = average
        return average
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new weighted average, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        window.removeAll()
        sum = 0
        weightedSum = 0
        current = nil
    }
}
