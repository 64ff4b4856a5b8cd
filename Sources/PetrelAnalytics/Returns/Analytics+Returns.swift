import Foundation

extension Analytics {
    /// Simple per-period returns `r[t] = e[t] / e[t−1] − 1` of an equity curve.
    ///
    /// A return is floored at −1 (a loss beyond the whole equity, possible with leverage, counts
    /// as total loss), and once the equity is zero or negative the following returns are 0: a
    /// ruined account stays ruined instead of dividing by zero.
    /// - Parameter equity: equity values in time order.
    /// - Returns: `equity.count − 1` returns (empty for fewer than two points).
    /// - Complexity: O(n); allocates the result. Use ``simpleReturns(equity:into:)`` to reuse a buffer.
    public static func simpleReturns(equity: [Double]) -> [Double] {
        var returns: [Double] = []
        simpleReturns(equity: equity, into: &returns)
        return returns
    }

    /// Simple per-period returns of an equity curve, written into a reusable buffer.
    ///
    /// Same definition as ``simpleReturns(equity:)``; the optimiser keeps one buffer per worker
    /// so that evaluating thousands of parameter sets allocates nothing.
    /// - Parameters:
    ///   - equity: equity values in time order.
    ///   - returns: replaced by the `equity.count − 1` returns; its capacity is kept.
    /// - Complexity: O(n); no allocation once `returns` has enough capacity.
    public static func simpleReturns(equity: [Double], into returns: inout [Double]) {
        returns.removeAll(keepingCapacity: true)
        guard equity.count > 1 else { return }
        returns.reserveCapacity(equity.count - 1)
        var previous = equity[0]
        for index in 1..<equity.count {
            let current = equity[index]
            returns.append(periodReturn(from: previous, to: current))
            previous = current
        }
    }

    /// Simple per-period returns of an equity curve of timestamped points.
    /// - Parameter equity: equity samples in time order.
    /// - Returns: `equity.count − 1` returns, as the `[Double]` overload.
    /// - Complexity: O(n); allocates the result.
    public static func simpleReturns(equity: [EquityPoint]) -> [Double] {
        guard equity.count > 1 else { return [] }
        var returns: [Double] = []
        returns.reserveCapacity(equity.count - 1)
        for index in 1..<equity.count {
            returns.append(periodReturn(from: equity[index - 1].equity, to: equity[index].equity))
        }
        return returns
    }

    /// The return of one period, with the ruin rules of ``simpleReturns(equity:)``.
    static func periodReturn(from previous: Double, to current: Double) -> Double {
        guard previous > 0 else { return 0 }
        return Swift.max(current / previous - 1, -1)
    }

    /// Total return of an equity curve: `last / first − 1`.
    /// - Parameter equity: equity values in time order.
    /// - Returns: the fraction gained (0.25 = +25 %; below −1 if the equity went negative), or
    ///   `nil` when the curve is empty or starts at zero or below.
    /// - Complexity: O(1).
    public static func totalReturn(equity: [Double]) -> Double? {
        guard let first = equity.first, let last = equity.last, first > 0 else { return nil }
        return finite(last / first - 1)
    }

    /// Compounded return of a returns series: `Π(1 + r) − 1` (empyrical's `cum_returns_final`);
    /// a return below −1 counts as −1 (total loss).
    /// - Parameter returns: per-period simple returns.
    /// - Returns: the compounded fraction (0 for an empty series), or `nil` if not finite.
    /// - Complexity: O(n), no allocation.
    public static func compoundedReturn(returns: [Double]) -> Double? {
        finite(growthFactor(returns) - 1)
    }

    /// `Π(1 + r)`, the wealth multiple of a returns series; a return below −1 counts as −1.
    static func growthFactor(_ returns: [Double]) -> Double {
        var growth = 1.0
        for value in returns { growth *= Swift.max(1 + value, 0) }
        return growth
    }

    /// Compound annual growth rate of a returns series (empyrical's `annual_return`).
    ///
    /// `Π(1 + r)^(periodsPerYear / n) − 1`: the elapsed time is the number of periods divided
    /// by the periods per year, which for a gap-free bar curve equals the calendar time between
    /// the first and last point in 365-day years.
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - periodsPerYear: annualisation factor (``AnalyticsConventions/periodsPerYear``).
    /// - Returns: the annual growth rate; −1 if the wealth reached zero; `nil` for an empty
    ///   series or when the result overflows (a span far too short to annualise).
    /// - Complexity: O(n), no allocation.
    public static func cagr(returns: [Double], periodsPerYear: Double) -> Double? {
        annualisedGrowth(growthFactor(returns), periods: returns.count, periodsPerYear: periodsPerYear)
    }

    /// Compound annual growth rate between two equity values `periods` periods apart.
    /// - Parameters:
    ///   - startEquity: first equity value; must be positive for a result.
    ///   - endEquity: last equity value.
    ///   - periods: number of return periods between them (points − 1).
    ///   - periodsPerYear: annualisation factor.
    /// - Returns: `(end / start)^(periodsPerYear / periods) − 1`; −1 if `endEquity ≤ 0`; `nil`
    ///   when `periods` is 0, `startEquity ≤ 0` or the result overflows.
    /// - Complexity: O(1).
    public static func cagr(startEquity: Double, endEquity: Double, periods: Int, periodsPerYear: Double) -> Double? {
        guard startEquity > 0 else { return nil }
        return annualisedGrowth(endEquity / startEquity, periods: periods, periodsPerYear: periodsPerYear)
    }

    /// `growth^(periodsPerYear / periods) − 1` with the edge cases of ``cagr(returns:periodsPerYear:)``.
    static func annualisedGrowth(_ growth: Double, periods: Int, periodsPerYear: Double) -> Double? {
        guard periods > 0, growth.isFinite, periodsPerYear > 0 else { return nil }
        guard growth > 0 else { return -1 }
        return finite(Foundation.pow(growth, periodsPerYear / Double(periods)) - 1)
    }

    /// Arithmetic mean of a series (0 for an empty one).
    /// - Parameter values: the series.
    /// - Returns: `Σx / n`.
    /// - Complexity: O(n), no allocation.
    public static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// Standard deviation of a series, two-pass (mean first) for accuracy.
    /// - Parameters:
    ///   - values: the series.
    ///   - estimator: divide by n − 1 (`.sample`, default) or n (`.population`).
    /// - Returns: the deviation, or `nil` when there are too few values (fewer than 2 for a
    ///   sample, none for a population) or it is not finite.
    /// - Complexity: O(n), no allocation.
    public static func standardDeviation(
        _ values: [Double],
        estimator: AnalyticsConventions.DeviationEstimator = .sample
    ) -> Double? {
        standardDeviation(values, mean: mean(values), estimator: estimator)
    }

    /// Standard deviation around a known mean.
    static func standardDeviation(
        _ values: [Double],
        mean: Double,
        estimator: AnalyticsConventions.DeviationEstimator
    ) -> Double? {
        let divisor = estimator == .sample ? values.count - 1 : values.count
        guard divisor > 0 else { return nil }
        var squares = 0.0
        for value in values {
            let deviation = value - mean
            squares += deviation * deviation
        }
        return finite((squares / Double(divisor)).squareRoot())
    }
}
