import PetrelCore

/// Simple moving average: the arithmetic mean of the last `period` inputs.
///
/// - Formula: `SMA_t = (x_t + … + x_{t−period+1}) / period`, kept as a running sum.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib `SMA`, lookback
///   `period − 1`).
public struct SMA: ScalarIndicator, CandleIndicator {
    /// Number of inputs averaged.
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var sum: Double = 0
    @usableFromInline var current: Double?

    /// Creates a simple moving average.
    /// - Parameter period: number of inputs averaged, at least 1 (TA-Lib's default is 30).
    public init(period: Int = 30) {
        precondition(period >= 1, "SMA period must be at least 1, got \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    /// `period`: the first value comes with the `period`-th input.
    public var warmUpPeriod: Int { period }

    /// The latest average, `nil` until `period` inputs have been seen.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the mean of the last `period` inputs, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        sum += value
        if window.isFull {
            sum -= window.replaceOldest(with: value)
        } else {
            window.append(value)
            if !window.isFull { return nil }
        }
        let mean = sum / Double(period)
        current = mean
        return mean
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new average, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        window.removeAll()
        sum = 0
        current = nil
    }
}
