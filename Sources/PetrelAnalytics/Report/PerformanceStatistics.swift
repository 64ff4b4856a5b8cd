/// Performance and risk summary of a run (backtest, paper or live): the numbers a report,
/// the API and the optimiser show.
///
/// Build it with ``compute(equity:trades:timeInMarket:benchmark:feesPaid:conventions:)``.
/// Every statistic that can be undefined (too few points, zero volatility, no losing trade…)
/// is `nil` rather than NaN or an infinity, so `JSONEncoder` always produces valid JSON; with
/// `.sortedKeys` the bytes are deterministic. `nil` fields are omitted from the JSON.
///
/// Sign conventions: returns and ratios are signed; drawdown depths, VaR and CVaR are positive
/// loss fractions. `docs/analytics.md` gives every formula.
public struct PerformanceStatistics: Sendable, Hashable, Codable {
    /// The conventions the statistics were computed with (annualisation, risk-free rate).
    public var conventions: AnalyticsConventions
    /// Timestamp of the first equity point (Unix ms); `nil` without timestamps or points.
    public var startTime: Int64?
    /// Timestamp of the last equity point (Unix ms); `nil` without timestamps or points.
    public var endTime: Int64?
    /// Number of equity points.
    public var pointCount: Int
    /// Number of return periods (`pointCount − 1`, or 0).
    public var periods: Int
    /// Equity of the first point.
    public var startEquity: Double?
    /// Equity of the last point.
    public var finalEquity: Double?

    /// `finalEquity / startEquity − 1`; `nil` without points or with a non-positive start.
    public var totalReturn: Double?
    /// Compound annual growth rate `(final / start)^(periodsPerYear / periods) − 1`; −1 after
    /// ruin; `nil` for fewer than two points or when it overflows (span too short).
    public var cagr: Double?
    /// Annualised volatility of the per-period returns (sample std · √periodsPerYear).
    public var annualVolatility: Double?
    /// Annualised Sharpe ratio; `nil` for fewer than two returns or zero volatility.
    public var sharpeRatio: Double?
    /// Annualised Sortino ratio; `nil` for fewer than two returns or no downside.
    public var sortinoRatio: Double?
    /// `cagr / maxDrawdown`; `nil` without a drawdown or a CAGR.
    public var calmarRatio: Double?

    /// Maximum drawdown depth as a positive fraction (0 when the equity never fell); `nil`
    /// without points.
    public var maxDrawdown: Double?
    /// The deepest drawdown: peak, trough, recovery (if any), duration in bars and ms.
    public var maxDrawdownEpisode: DrawdownEpisode?
    /// The longest drawdown (peak to recovery, or to the end if not recovered).
    public var longestDrawdownEpisode: DrawdownEpisode?

    /// Historical VaR of the per-period returns at 95 %, positive loss fraction.
    public var valueAtRisk95: Double?
    /// Historical CVaR (expected shortfall) at 95 %, positive loss fraction.
    public var conditionalValueAtRisk95: Double?
    /// Historical VaR at 99 %, positive loss fraction.
    public var valueAtRisk99: Double?
    /// Historical CVaR at 99 %, positive loss fraction.
    public var conditionalValueAtRisk99: Double?
    /// Best single-period return.
    public var bestPeriodReturn: Double?
    /// Worst single-period return.
    public var worstPeriodReturn: Double?

    /// Fraction of the run with an open position, in 0…1; `nil` if unknown.
    public var exposureTime: Double?
    /// Fees paid over the run, in quote currency.
    public var feesPaid: Double?
    /// Buy-and-hold change of the traded market over the run; `nil` without a benchmark.
    public var buyAndHoldReturn: Double?
    /// Closed-trade statistics (win rate, profit factor, expectancy, SQN, streaks…).
    public var trades: TradeStatistics

    /// Statistics of nothing: every value `nil`, every count 0.
    /// - Parameter conventions: the conventions to record.
    /// - Complexity: O(1).
    public init(conventions: AnalyticsConventions) {
        self.conventions = conventions
        self.pointCount = 0
        self.periods = 0
        self.trades = .empty
    }
}
