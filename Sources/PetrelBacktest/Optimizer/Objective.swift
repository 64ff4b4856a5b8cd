import PetrelAnalytics
import PetrelCore

/// What an optimisation maximises.
public enum Objective: String, Sendable, Hashable, Codable, CaseIterable {
    case sharpe
    case sortino
    case calmar
    /// Total return.
    case profit
    /// Total return minus the maximum drawdown (both fractions): rewards profit, punishes deep dips.
    case drawdownPenalizedProfit = "profit_dd"

    /// The score of an equity curve; runs without a defined value score −∞ (ranked last).
    public func score(equity: [Double], timeframe: Timeframe) -> Double {
        let conventions = AnalyticsConventions(timeframe: timeframe)
        let returns = Analytics.simpleReturns(equity: equity)
        let value: Double?
        switch self {
        case .sharpe: value = Analytics.sharpeRatio(returns: returns, conventions: conventions)
        case .sortino: value = Analytics.sortinoRatio(returns: returns, conventions: conventions)
        case .calmar: value = Analytics.calmarRatio(returns: returns, conventions: conventions)
        case .profit: value = Analytics.totalReturn(equity: equity)
        case .drawdownPenalizedProfit:
            value = Analytics.totalReturn(equity: equity).map { $0 - Analytics.maxDrawdown(equity: equity) }
        }
        guard let value, value.isFinite else { return -.infinity }
        return value
    }
}
