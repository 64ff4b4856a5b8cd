import PetrelRuntime
import Testing

@Suite("Portfolio bot: the seed's decision rule")
struct TradeRuleTests {
    static let rule = TradeRule(minConfidence: 0.7, riskTolerance: 0.5)

    /// An assessment with chosen statistics (not derived from each other) to probe each threshold alone.
    static func assessment(confidence: Double = 0.9, risk: Double? = 0.1, expectedReturn: Double = 0.01)
        -> RiskAssessment
    {
        var a = RiskAssessment(grossReturn: expectedReturn, volatility: 0)
        a.confidence = confidence
        a.risk = risk
        return a
    }

    @Test("confidence equal to the minimum passes, the next smaller double fails")
    func confidenceThreshold() {
        #expect(Self.rule.passes(Self.assessment(confidence: 0.7)))
        #expect(
            Self.rule.rejections(for: Self.assessment(confidence: 0.7.nextDown)) == [
                .confidenceBelowMinimum(confidence: 0.7.nextDown, minimum: 0.7)
            ])
    }

    @Test("risk equal to the tolerance passes, the next larger double fails")
    func riskThreshold() {
        #expect(Self.rule.passes(Self.assessment(risk: 0.5)))
        #expect(
            Self.rule.rejections(for: Self.assessment(risk: 0.5.nextUp)) == [
                .riskAboveTolerance(risk: 0.5.nextUp, tolerance: 0.5)
            ])
        #expect(Self.rule.rejections(for: Self.assessment(risk: nil)) == [.riskUndefined(expectedReturn: 0.01)])
    }

    @Test("an expected return of exactly 0.1 % fails, the next larger double passes")
    func expectedReturnThreshold() {
        #expect(
            Self.rule.rejections(for: Self.assessment(expectedReturn: 0.001)) == [
                .expectedReturnTooLow(expectedReturn: 0.001, minimum: 0.001)
            ])
        #expect(Self.rule.passes(Self.assessment(expectedReturn: 0.001.nextUp)))
    }

    @Test("every failed check is reported, in the seed's order")
    func allFailures() {
        let failures = Self.rule.rejections(for: Self.assessment(confidence: 0.2, risk: 3, expectedReturn: 0.0005))
        #expect(
            failures == [
                .confidenceBelowMinimum(confidence: 0.2, minimum: 0.7), .riskAboveTolerance(risk: 3, tolerance: 0.5),
                .expectedReturnTooLow(expectedReturn: 0.0005, minimum: 0.001),
            ])
        #expect(failures.map(\.explanation)[0] == "confidence 0.2000 < minimum 0.7000")
        #expect(failures.map(\.explanation)[2] == "expected return 0.0500 % not above 0.1000 %")
    }

    @Test("a losing trade fails all three checks")
    func losingTrade() {
        let losing = RiskAssessment(grossReturn: -0.02, volatility: 0.01)
        #expect(
            Self.rule.rejections(for: losing) == [
                .confidenceBelowMinimum(confidence: 0, minimum: 0.7), .riskUndefined(expectedReturn: -0.02),
                .expectedReturnTooLow(expectedReturn: -0.02, minimum: 0.001),
            ])
    }

    @Test("with the default thresholds the risk check binds at an expected return of 1 + √3 volatilities")
    func defaultsBindOnRisk() {
        // c = k / (1 + k) and risk = (1 + k) / k² with k = E / σ; risk ≤ 0.5 ⇔ k ≥ 1 + √3 ≈ 2.732.
        // k = 2.74: c = 2.74 / 3.74 = 0.7326, risk = 3.74 / 7.5076 = 0.4982 → passes.
        let above = RiskAssessment(grossReturn: 0.0274, volatility: 0.01)
        #expect(Self.rule.passes(above))
        // k = 2.72: c = 0.7312 still ≥ 0.7, but risk = 3.72 / 7.3984 = 0.5028 > 0.5.
        let below = RiskAssessment(grossReturn: 0.0272, volatility: 0.01)
        #expect(below.confidence >= 0.7)
        let rejections = Self.rule.rejections(for: below)
        #expect(rejections.count == 1)
        guard case .riskAboveTolerance(let risk, _) = rejections.first else {
            Issue.record("expected a risk rejection, got \(rejections)")
            return
        }
        #expect(abs(risk - 3.72 / (2.72 * 2.72)) < 1e-9)
    }
}
