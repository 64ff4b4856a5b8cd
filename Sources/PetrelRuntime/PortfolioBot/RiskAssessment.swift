/// The statistics of one trade opportunity: what it is expected to earn, how noisy that is, and the
/// confidence and risk derived from both.
public struct RiskAssessment: Sendable, Hashable, Codable {
    /// Sum of the legs' signed momentum, before costs.
    public var grossReturn: Double
    /// Sum of the legs' costs (half-spread plus fee), as a fraction.
    public var costs: Double
    /// `E = grossReturn − costs`.
    public var expectedReturn: Double
    /// `σ`; for two legs `√(σ₁² + σ₂²)`.
    public var volatility: Double
    /// ``RiskAnalyzer/confidence(expectedReturn:volatility:)``.
    public var confidence: Double
    /// ``RiskAnalyzer/risk(volatility:confidence:expectedGain:)``; `nil` when undefined.
    public var risk: Double?

    /// Derives confidence and risk from the return and volatility.
    /// - Parameters:
    ///   - grossReturn: expected return before costs.
    ///   - costs: costs as a fraction (`≥ 0`).
    ///   - volatility: `σ ≥ 0`.
    public init(grossReturn: Double, costs: Double = 0, volatility: Double) {
        self.grossReturn = grossReturn
        self.costs = costs
        expectedReturn = grossReturn - costs
        self.volatility = volatility
        confidence = RiskAnalyzer.confidence(expectedReturn: expectedReturn, volatility: volatility)
        risk = RiskAnalyzer.risk(volatility: volatility, confidence: confidence, expectedGain: expectedReturn)
    }

    /// The ranking score `E × c / (1 + risk)`; `nil` when the risk is undefined.
    ///
    /// It grows with the expected return and the confidence and shrinks with risk, and since the
    /// rule already caps risk at the tolerance, it mostly orders acceptable trades by `E × c`.
    public var score: Double? {
        risk.map { expectedReturn * confidence / (1 + $0) }
    }
}
