import PetrelCore

/// Wilder's average true range, exactly as TA-Lib's `ATR`.
///
/// - True range at bar t ≥ 1: `max(high_t − low_t, |high_t − close_{t−1}|, |low_t − close_{t−1}|)`.
///   Bar 0 only supplies the previous close: as in TA-Lib, its `high − low` is not averaged.
/// - Seeding: the first ATR is the simple mean of the true ranges of bars `1 … period`; then
///   `ATR_t = (ATR_{t−1} · (period − 1) + TR_t) / period`.
/// - Warm-up: the first value is at input index `period` (TA-Lib lookback `period`).
public struct ATR: CandleIndicator {
    /// Wilder smoothing period.
    public let period: Int
    @usableFromInline var hasPreviousClose = false
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var rangesSeen: Int = 0
    /// Sum of true ranges during warm-up, then the current ATR.
    @usableFromInline var accumulator: Double = 0
    @usableFromInline var current: Double?

    /// Creates an ATR.
    /// - Parameter period: Wilder smoothing period, at least 1.
    public init(period: Int = 14) {
        precondition(period >= 1, "ATR period must be at least 1, got \(period)")
        self.period = period
    }

    /// `period + 1`.
    public var warmUpPeriod: Int { period + 1 }

    /// The latest average true range, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: the new ATR, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double? {
        guard hasPreviousClose else {
            previousClose = close
            hasPreviousClose = true
            return nil
        }
        let range = trueRange(high: high, low: low, previousClose: previousClose)
        previousClose = close
        if rangesSeen >= period {
            accumulator = (accumulator * Double(period - 1) + range) / Double(period)
        } else {
            accumulator += range
            rangesSeen += 1
            if rangesSeen < period { return nil }
            accumulator /= Double(period)
        }
        current = accumulator
        return accumulator
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new ATR, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        hasPreviousClose = false
        previousClose = 0
        rangesSeen = 0
        accumulator = 0
        current = nil
    }
}
