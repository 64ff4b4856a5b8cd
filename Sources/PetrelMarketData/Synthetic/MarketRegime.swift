/// The state of the synthetic market's hidden Markov chain.
public enum MarketRegime: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rising prices, moderate volatility.
    case bull
    /// Falling prices, high volatility.
    case bear
    /// No trend, low volatility.
    case sideways
}

/// How prices behave in one regime and how long the regime tends to last.
public struct RegimeParameters: Sendable, Hashable, Codable {
    /// Annualised drift of the log price (0.5 = +50 % a year before volatility drag).
    public var annualDrift: Double
    /// Annualised volatility of log returns (0.6 = 60 %), the long-run level GARCH reverts to.
    public var annualVolatility: Double
    /// Mean time spent in the regime before switching, in days (switching is memoryless).
    public var meanDurationDays: Double

    /// Creates regime parameters.
    /// - Parameters:
    ///   - annualDrift: yearly drift of the log price.
    ///   - annualVolatility: yearly volatility, greater than zero.
    ///   - meanDurationDays: mean stay in days, greater than zero.
    public init(annualDrift: Double, annualVolatility: Double, meanDurationDays: Double) {
        self.annualDrift = annualDrift
        self.annualVolatility = annualVolatility
        self.meanDurationDays = meanDurationDays
    }
}
