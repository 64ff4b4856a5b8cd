import PetrelCore

/// Exponential moving average with TA-Lib's seeding.
///
/// - Formula: `k = 2 / (period + 1)`, `EMA_t = (x_t − EMA_{t−1}) · k + EMA_{t−1}`.
/// - Seeding: the first value is the simple average of the first `period` inputs (TA-Lib's
///   default compatibility mode), so the first value is at input index `period − 1` (TA-Lib
///   `EMA`, lookback `period − 1`).
public struct EMA: ScalarIndicator, CandleIndicator {
    /// Number of inputs in the seed average; sets the smoothing factor.
    public let period: Int
    /// Smoothing factor `2 / (period + 1)`.
    public let smoothing: Double
    @usableFromInline var seen: Int = 0
    /// Running seed sum during warm-up, then the current average.
    @usableFromInline var accumulator: Double = 0
    @usableFromInline var current: Double?

    /// Creates an exponential moving average.
    /// - Parameter period: seed length and smoothing period, at least 1 (TA-Lib's default is 30).
    public init(period: Int = 30) {
        precondition(period >= 1, "EMA period must be at least 1, got \(period)")
        self.period = period
        self.smoothing = 2 / Double(period + 1)
    }

    /// `period`: the first value comes with the `period`-th input.
    public var warmUpPeriod: Int { period }

    /// The latest average, `nil` until `period` inputs have been seen.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the new average, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        if seen >= period {
            let next = (value - accumulator) * smoothing + accumulator
            accumulator = next
            current = next
            return next
        }
        seen += 1
        accumulator += value
        if seen < period { return nil }
        accumulator /= Double(period)
        current = accumulator
        return accumulator
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
        seen = 0
        accumulator = 0
        current = nil
    }
}
