import PetrelAnalytics
import PetrelCore
import Testing

@Suite("Historical VaR, CVaR and the linear quantile")
struct ValueAtRiskTests {
    /// The hand curve's returns; sorted: −0.25, −0.10, 0.20, 0.20, 0.25.
    let returns = [0.2, -0.25, 0.2, 0.25, -0.1]

    @Test("VaR is the negated linear-interpolated tail quantile, as numpy.percentile computes it")
    func valueAtRisk() {
        // 95 %: h = (5 − 1) · 0.05 = 0.2 → −0.25 + 0.2 · (−0.10 + 0.25) = −0.22 → VaR 0.22
        #expect(isClose(Analytics.valueAtRisk(returns: returns, confidence: 0.95), 0.22))
        // 99 %: h = 4 · 0.01 = 0.04 → −0.25 + 0.04 · 0.15 = −0.244 → VaR 0.244
        #expect(isClose(Analytics.valueAtRisk(returns: returns, confidence: 0.99), 0.244))
        #expect(Analytics.valueAtRisk(returns: returns) == Analytics.valueAtRisk(returns: returns, confidence: 0.95))
    }

    @Test("CVaR averages the worst floor((n − 1)(1 − c)) + 1 returns, as empyrical does")
    func conditionalValueAtRisk() {
        // k = ⌊4 · 0.05⌋ = 0 → mean of {−0.25} → CVaR 0.25 at both levels
        #expect(isClose(Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.95), 0.25))
        #expect(isClose(Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.99), 0.25))
        // 41 values −20…20 (in %): k = ⌊40 · 0.05⌋ = 2 → mean(−0.20, −0.19, −0.18) = −0.19
        let ramp = (-20...20).reversed().map { Double($0) / 100 }
        #expect(isClose(Analytics.conditionalValueAtRisk(returns: ramp, confidence: 0.95), 0.19))
        // VaR there: h = 40 · 0.05 = 2 → x[2] = −0.18 exactly
        #expect(isClose(Analytics.valueAtRisk(returns: ramp, confidence: 0.95), 0.18))
    }

    @Test("CVaR is never smaller than VaR")
    func cvarAtLeastVar() throws {
        var generator = SplitMix64(seed: 7)
        let series = (0..<500).map { _ in generator.nextUniform() * 0.1 - 0.05 }
        for confidence in [0.9, 0.95, 0.99] {
            let valueAtRisk = try #require(Analytics.valueAtRisk(returns: series, confidence: confidence))
            let shortfall = try #require(Analytics.conditionalValueAtRisk(returns: series, confidence: confidence))
            #expect(shortfall >= valueAtRisk - 1e-15)
        }
    }

    @Test("VaR turns negative when even the tail is a gain")
    func allGains() {
        #expect(isClose(Analytics.valueAtRisk(returns: [0.01, 0.02, 0.03], confidence: 0.95), -0.011))
    }

    @Test("quantiles hit the extremes exactly and ignore NaN")
    func quantileEnds() {
        let values = [3.0, 1, .nan, 2]
        #expect(Analytics.quantile(values, probability: 0) == 1)
        #expect(Analytics.quantile(values, probability: 1) == 3)
        #expect(Analytics.quantile(values, probability: 0.5) == 2)
        #expect(Analytics.quantile([], probability: 0.5) == nil)
        #expect(Analytics.valueAtRisk(returns: []) == nil)
        #expect(Analytics.conditionalValueAtRisk(returns: []) == nil)
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func nextUniform() -> Double { nextUnitInterval() }
}
