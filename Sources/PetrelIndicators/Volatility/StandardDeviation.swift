import PetrelCore

/// Rolling population standard deviation, as TA-Lib's `STDDEV` with `nbDev = 1`.
///
/// - Formula: `σ_t = √(Σ(x_i − mean)² / period)` over the last `period` inputs.
/// - Numerics: windowed Welford update on shifted inputs with an error-bounded two-pass
///   recompute, O(1) amortised and within about 1e-12 relative of the two-pass formula.
///   TA-Lib's `Σx²/n − mean²` differs from it by up to ~1e-7 relative on BTC prices.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib lookback `period − 1`).
public struct StandardDeviation: ScalarIndicator, CandleIndicator {
    /// Number of inputs in the window.
    public let period: Int
    @usableFromInline var moments: RollingMoments
    @usableFromInline var current: Double?

    /// Creates a rolling standard deviation.
    /// - Parameter period: window length, at least 1 (TA-Lib's default is 5).
    public init(period: Int = 5) {
        precondition(period >= 1, "standard deviation period must be at least 1, got \(period)")
        self.period = period
        moments = RollingMoments(size: period)
    }

    /// `period`.
    public var warmUpPeriod: Int { period }

    /// The latest standard deviation, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the population standard deviation of the window, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        moments.push(value)
        guard moments.isFull else { return nil }
        let deviation = moments.populationVariance.squareRoot()
        current = deviation
        return deviation
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new standard deviation, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        moments.removeAll()
        current = nil
    }
}
