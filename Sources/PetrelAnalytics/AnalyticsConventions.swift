import Foundation
import PetrelCore

/// The choices that turn per-period returns into annual statistics.
///
/// Defaults match empyrical: returns are simple returns, volatility uses the sample standard
/// deviation (ddof = 1), the risk-free rate is 0, and the Sortino target is the risk-free rate.
/// Periods per year follow ``PetrelCore/Timeframe/periodsPerYear``: crypto trades every day, so
/// a year is 365 days of bars (365 daily bars, 8 760 hourly bars, 12 monthly bars).
public struct AnalyticsConventions: Sendable, Hashable, Codable {
    /// How a standard deviation divides the sum of squared deviations.
    public enum DeviationEstimator: String, Sendable, Hashable, Codable, CaseIterable {
        /// Divide by n − 1 (ddof = 1): empyrical, quantstats and pandas' default. The default.
        case sample
        /// Divide by n (ddof = 0): NumPy's default.
        case population
    }

    /// How many return periods one year holds; the annualisation factor.
    public var periodsPerYear: Double
    /// Annual risk-free rate as a fraction (0.04 = 4 %); 0 by default.
    public var annualRiskFreeRate: Double
    /// Estimator used for volatility and the Sharpe ratio (and the SQN of trades).
    public var deviationEstimator: DeviationEstimator

    /// Creates conventions from an explicit annualisation factor.
    /// - Parameters:
    ///   - periodsPerYear: return periods per year; must be positive and finite.
    ///   - annualRiskFreeRate: annual risk-free rate as a fraction, above −1; 0 by default.
    ///   - deviationEstimator: sample (ddof = 1, default) or population (ddof = 0).
    /// - Complexity: O(1).
    public init(
        periodsPerYear: Double,
        annualRiskFreeRate: Double = 0,
        deviationEstimator: DeviationEstimator = .sample
    ) {
        precondition(periodsPerYear > 0 && periodsPerYear.isFinite, "periodsPerYear must be positive and finite")
        precondition(annualRiskFreeRate > -1 && annualRiskFreeRate.isFinite, "annualRiskFreeRate must exceed -1")
        self.periodsPerYear = periodsPerYear
        self.annualRiskFreeRate = annualRiskFreeRate
        self.deviationEstimator = deviationEstimator
    }

    /// Creates conventions for one return per candle of `timeframe` (365-day year).
    /// - Parameters:
    ///   - timeframe: the bar length of the equity curve.
    ///   - annualRiskFreeRate: annual risk-free rate as a fraction; 0 by default.
    ///   - deviationEstimator: sample (ddof = 1, default) or population (ddof = 0).
    /// - Complexity: O(1).
    public init(
        timeframe: Timeframe,
        annualRiskFreeRate: Double = 0,
        deviationEstimator: DeviationEstimator = .sample
    ) {
        self.init(
            periodsPerYear: timeframe.periodsPerYear,
            annualRiskFreeRate: annualRiskFreeRate,
            deviationEstimator: deviationEstimator)
    }

    /// Daily returns, 365 periods per year, risk-free 0, sample deviation.
    public static let daily = AnalyticsConventions(periodsPerYear: 365)

    /// The risk-free rate of one period, de-annualised geometrically as quantstats does:
    /// `(1 + annual)^(1 / periodsPerYear) − 1`. Exactly 0 when the annual rate is 0.
    public var riskFreeRatePerPeriod: Double {
        annualRiskFreeRate == 0 ? 0 : Foundation.pow(1 + annualRiskFreeRate, 1 / periodsPerYear) - 1
    }
}
