import PetrelCore

/// Wilder's relative strength index, exactly as TA-Lib's `RSI`.
///
/// - Changes: `Δ_t = x_t − x_{t−1}`; gain = `max(Δ, 0)`, loss = `max(−Δ, 0)`.
/// - Seeding: the first average gain and loss are the simple means of the first `period`
///   changes (inputs `0 … period`); then Wilder's `avg ← (avg · (period − 1) + new) / period`.
/// - `RSI = 100 · avgGain / (avgGain + avgLoss)`; 0 when both averages are 0 (a flat series),
///   as TA-Lib. The zero test is exact: TA-Lib 0.4 treated sums below 1e-8 as zero, which
///   blanked assets priced below about 10⁻⁶ (later TA-Lib versions use 1e-14).
/// - Warm-up: the first value is at input index `period` (TA-Lib lookback `period`).
public struct RSI: ScalarIndicator, CandleIndicator {
    /// Wilder smoothing period.
    public let period: Int
    /// Inputs seen, capped at `period + 1`.
    @usableFromInline var seen: Int = 0
    @usableFromInline var previous: Double = 0
    @usableFromInline var averageGain: Double = 0
    @usableFromInline var averageLoss: Double = 0
    @usableFromInline var current: Double?

    /// Creates an RSI.
    /// - Parameter period: Wilder smoothing period, at least 1.
    public init(period: Int = 14) {
        precondition(period >= 1, "RSI period must be at least 1, got \(period)")
        self.period = period
    }

    /// `period + 1`.
    public var warmUpPeriod: Int { period + 1 }

    /// The latest RSI (0 … 100), `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the new RSI, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        let change = value - previous
        previous = value
        let p = Double(period)
        if seen > period {
            averageGain *= p - 1
            averageLoss *= p - 1
            if change < 0 { averageLoss -= change } else { averageGain += change }
            averageGain /= p
            averageLoss /= p
        } else {
            seen += 1
            if seen == 1 { return nil }
            if change < 0 { averageLoss -= change } else { averageGain += change }
            if seen <= period { return nil }
            averageGain /= p
            averageLoss /= p
        }
        let total = averageGain + averageLoss
        let rsi = total != 0 ? 100 * (averageGain / total) : 0
        current = rsi
        return rsi
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new RSI, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        seen = 0
        previous = 0
        averageGain = 0
        averageLoss = 0
        current = nil
    }
}
