extension Analytics {
    /// Annualised volatility: `std(r) · √periodsPerYear` (empyrical's `annual_volatility`).
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - conventions: annualisation factor and deviation estimator (sample by default).
    /// - Returns: the volatility as a fraction, or `nil` for fewer than two returns.
    /// - Complexity: O(n), no allocation.
    public static func annualVolatility(returns: [Double], conventions: AnalyticsConventions) -> Double? {
        guard returns.count >= 2,
            let deviation = standardDeviation(returns, mean: mean(returns), estimator: conventions.deviationEstimator)
        else { return nil }
        return finite(deviation * conventions.periodsPerYear.squareRoot())
    }

    /// Annualised Sharpe ratio: `mean(r − rf) / std(r − rf) · √periodsPerYear` (empyrical's
    /// `sharpe_ratio`; `rf` is ``AnalyticsConventions/riskFreeRatePerPeriod``).
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - conventions: annualisation factor, risk-free rate and deviation estimator.
    /// - Returns: the ratio, or `nil` for fewer than two returns or zero volatility (empyrical
    ///   would return NaN or ±inf there).
    /// - Complexity: O(n), no allocation.
    public static func sharpeRatio(returns: [Double], conventions: AnalyticsConventions) -> Double? {
        guard returns.count >= 2 else { return nil }
        let average = mean(returns)
        // std(r − rf) equals std(r) for a constant rf.
        guard let deviation = standardDeviation(returns, mean: average, estimator: conventions.deviationEstimator),
            deviation > zeroDeviationThreshold
        else { return nil }
        return finite(
            (average - conventions.riskFreeRatePerPeriod) / deviation * conventions.periodsPerYear.squareRoot())
    }

    /// Annualised downside deviation below the target `t` (the per-period risk-free rate):
    /// `√(mean(min(r − t, 0)²)) · √periodsPerYear`, the mean taken over **all** periods, as
    /// empyrical's `downside_risk` and quantstats' Sortino do.
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - conventions: annualisation factor and target (risk-free rate).
    /// - Returns: the deviation (0 when no period fell below the target), or `nil` for an
    ///   empty series.
    /// - Complexity: O(n), no allocation.
    public static func downsideDeviation(returns: [Double], conventions: AnalyticsConventions) -> Double? {
        guard !returns.isEmpty else { return nil }
        return finite(
            periodDownsideDeviation(returns, target: conventions.riskFreeRatePerPeriod)
                * conventions.periodsPerYear.squareRoot())
    }

    /// `√(mean(min(r − target, 0)²))`, not annualised; `returns` must not be empty.
    static func periodDownsideDeviation(_ returns: [Double], target: Double) -> Double {
        var squares = 0.0
        for value in returns {
            let shortfall = Swift.min(value - target, 0)
            squares += shortfall * shortfall
        }
        return (squares / Double(returns.count)).squareRoot()
    }

    /// Annualised Sortino ratio: `mean(r − t) / downsideDeviation · √periodsPerYear` with the
    /// target `t` the per-period risk-free rate (empyrical's `sortino_ratio`).
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - conventions: annualisation factor and target (risk-free rate).
    /// - Returns: the ratio, or `nil` for fewer than two returns or when no period fell below
    ///   the target (empyrical would return inf).
    /// - Complexity: O(n), no allocation.
    public static func sortinoRatio(returns: [Double], conventions: AnalyticsConventions) -> Double? {
        guard returns.count >= 2 else { return nil }
        let target = conventions.riskFreeRatePerPeriod
        let downside = periodDownsideDeviation(returns, target: target)
        guard downside > zeroDeviationThreshold else { return nil }
        return finite((mean(returns) - target) / downside * conventions.periodsPerYear.squareRoot())
    }

    /// Calmar ratio of a returns series: `CAGR / maxDrawdown` (empyrical's `calmar_ratio`).
    /// - Parameters:
    ///   - returns: per-period simple returns.
    ///   - conventions: annualisation factor for the CAGR.
    /// - Returns: the ratio, or `nil` when there was no drawdown or the CAGR is undefined.
    /// - Complexity: O(n), no allocation.
    public static func calmarRatio(returns: [Double], conventions: AnalyticsConventions) -> Double? {
        calmarRatio(
            cagr: cagr(returns: returns, periodsPerYear: conventions.periodsPerYear),
            maxDrawdown: maxDrawdown(returns: returns))
    }

    /// Calmar ratio from precomputed parts: `cagr / |maxDrawdown|`.
    /// - Parameters:
    ///   - cagr: compound annual growth rate, or `nil` if undefined.
    ///   - maxDrawdown: maximum drawdown depth (either sign is accepted; its magnitude is used).
    /// - Returns: the ratio, or `nil` when `cagr` is `nil` or the drawdown is zero.
    /// - Complexity: O(1).
    public static func calmarRatio(cagr: Double?, maxDrawdown: Double) -> Double? {
        guard let cagr, maxDrawdown.magnitude > 0 else { return nil }
        return finite(cagr / maxDrawdown.magnitude)
    }
}
