import Foundation
import PetrelCore

/// Volatility of log returns: the rolling sample standard deviation of `ln(x_t / x_{t−1})`,
/// optionally annualised.
///
/// - Formula: `r_t = ln(x_t / x_{t−1})`, `σ_t = √(Σ(r_i − r̄)² / (period − 1))` over the last
///   `period` returns (sample deviation, like pandas' `rolling(period).std()`), times
///   `√periodsPerYear`.
/// - Inputs must be positive; a zero or negative input makes the outputs that include its
///   return NaN.
/// - Warm-up: the first value is at input index `period` (`period` returns need `period + 1`
///   inputs). No TA-Lib equivalent.
public struct LogReturnVolatility: ScalarIndicator, CandleIndicator {
    /// Number of returns in the window.
    public let period: Int
    /// Bars per year used to annualise; 1 leaves the per-bar volatility.
    public let periodsPerYear: Double
    @usableFromInline let scale: Double
    @usableFromInline var moments: RollingMoments
    @usableFromInline var hasPrevious = false
    @usableFromInline var previous: Double = 0
    @usableFromInline var current: Double?

    /// Creates a log-return volatility.
    /// - Parameters:
    ///   - period: number of returns in the window, at least 2.
    ///   - periodsPerYear: annualisation factor, at least 1: 1 (default) for per-bar volatility,
    ///     e.g. `Timeframe.m1.periodsPerYear` (525,600) for an annualised value of 1m bars.
    public init(period: Int = 20, periodsPerYear: Double = 1) {
        precondition(period >= 2, "log-return volatility needs a period of at least 2, got \(period)")
        precondition(
            periodsPerYear.isFinite && periodsPerYear >= 1, "periods per year must be ≥ 1, got \(periodsPerYear)")
        self.period = period
        self.periodsPerYear = periodsPerYear
        scale = periodsPerYear.squareRoot()
        moments = RollingMoments(size: period)
    }

    /// `period + 1`.
    public var warmUpPeriod: Int { period + 1 }

    /// The latest volatility, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next input.
    /// - Parameter value: the next price (positive).
    /// - Returns: the (annualised) volatility of the last `period` log returns, or `nil`
    ///   while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ value: Double) -> Double? {
        guard hasPrevious else {
            hasPrevious = true
            previous = value
            return nil
        }
        moments.push(log(value / previous))
        previous = value
        guard moments.isFull else { return nil }
        let volatility = moments.sampleVariance.squareRoot() * scale
        current = volatility
        return volatility
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new volatility, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        moments.removeAll()
        hasPrevious = false
        previous = 0
        current = nil
    }
}
