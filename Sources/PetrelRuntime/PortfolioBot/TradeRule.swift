/// Seed 000's trade decision rule: execute only if `confidence ≥ min_confidence_score`,
/// `risk ≤ risk_tolerance` and `expected return > 0.1 %`.
public struct TradeRule: Sendable, Hashable {
    /// Lowest acceptable confidence (inclusive).
    public var minConfidence: Double
    /// Highest acceptable risk score (inclusive).
    public var riskTolerance: Double
    /// The expected return must exceed this (exclusive): 0.001.
    public var minimumExpectedReturn: Double { PortfolioBotSettings.minimumExpectedReturn }

    /// Creates the rule with the bot's thresholds.
    public init(minConfidence: Double, riskTolerance: Double) {
        self.minConfidence = minConfidence
        self.riskTolerance = riskTolerance
    }

    /// Every part of the rule that `assessment` fails, in the seed's order; empty when it passes.
    /// - Parameter assessment: the opportunity's statistics.
    /// - Returns: the failed checks.
    public func rejections(for assessment: RiskAssessment) -> [TradeRejection] {
        var failed: [TradeRejection] = []
        if !(assessment.confidence >= minConfidence) {
            failed.append(.confidenceBelowMinimum(confidence: assessment.confidence, minimum: minConfidence))
        }
        if let risk = assessment.risk {
            if !(risk <= riskTolerance) {
                failed.append(.riskAboveTolerance(risk: risk, tolerance: riskTolerance))
            }
        } else {
            failed.append(.riskUndefined(expectedReturn: assessment.expectedReturn))
        }
        if !(assessment.expectedReturn > minimumExpectedReturn) {
            failed.append(
                .expectedReturnTooLow(expectedReturn: assessment.expectedReturn, minimum: minimumExpectedReturn))
        }
        return failed
    }

    /// Whether `assessment` passes every check.
    public func passes(_ assessment: RiskAssessment) -> Bool { rejections(for: assessment).isEmpty }
}
