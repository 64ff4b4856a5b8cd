import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: risk analyser")
struct RiskAnalyzerTests {
    /// Mids 100 → 110 → 99 → 108.9 → 119.79: returns +10 %, −10 %, +10 %, +10 %.
    static let choppyRise = ["100", "110", "99", "108.9", "119.79"].map(decimal)

    @Test("volatility is the sample standard deviation of the window's simple returns")
    func sampleVolatility() throws {
        let analyzer = try RiskAnalyzer(window: 4)
        // returns r = 0.1, −0.1, 0.1, 0.1; mean = 0.2 / 4 = 0.05
        // deviations 0.05, −0.15, 0.05, 0.05; squares 0.0025 + 0.0225 + 0.0025 + 0.0025 = 0.03
        // sample variance 0.03 / (4 − 1) = 0.01; σ = √0.01 = 0.1 (the population σ would be √0.0075 ≈ 0.0866)
        let returns = try #require(analyzer.returns(of: Self.choppyRise))
        #expect(returns.count == 4)
        for (value, expected) in zip(returns, [0.1, -0.1, 0.1, 0.1]) { #expect(abs(value - expected) < 1e-12) }
        #expect(abs(try #require(analyzer.volatility(of: Self.choppyRise)) - 0.1) < 1e-12)
        #expect(abs(try #require(analyzer.momentum(of: Self.choppyRise)) - 0.05) < 1e-12)
    }

    @Test("only the last window + 1 prices count, and fewer give no statistics")
    func windowAndWarmUp() throws {
        let analyzer = try RiskAnalyzer(window: 4)
        // A crash long before the window (1000 → 100) must not change anything.
        let longer = [decimal("1000")] + Self.choppyRise
        #expect(analyzer.volatility(of: longer) == analyzer.volatility(of: Self.choppyRise))
        #expect(analyzer.requiredPrices == 5)
        #expect(analyzer.returns(of: Array(Self.choppyRise.dropFirst())) == nil)
        #expect(analyzer.volatility(of: []) == nil)
        #expect(analyzer.momentum(of: [decimal("1")]) == nil)
    }

    @Test("the default window is 10 returns over 11 prices")
    func defaultWindow() throws {
        let analyzer = try RiskAnalyzer()
        #expect(analyzer.window == 10)
        // +10 % and −10 % alternating, five of each: 100, 110, 99, 108.9, 98.01, …
        let prices = [
            "100", "110", "99", "108.9", "98.01", "107.811", "97.0299", "106.73289", "96.059601", "105.6655611",
            "95.09900499",
        ].map(decimal)
        // mean 0; Σ squares = 10 × 0.01 = 0.1; σ = √(0.1 / 9) = 0.105409255…
        #expect(abs(try #require(analyzer.volatility(of: prices)) - 0.105_409_255_338_945_97) < 1e-12)
        #expect(abs(try #require(analyzer.momentum(of: prices))) < 1e-12)
        #expect(analyzer.volatility(of: Array(prices.dropFirst())) == nil)
    }

    @Test("a window below 2 or above 1000 is rejected with the field name")
    func windowValidation() {
        #expect(
            throws: PortfolioBotError.outOfRange(field: "volatility_window", value: "1", allowed: "2 to 1000 returns")
        ) {
            try RiskAnalyzer(window: 1)
        }
        #expect(throws: PortfolioBotError.self) { try RiskAnalyzer(window: 1_001) }
    }

    @Test("the expected return is the momentum, signed by the side of the base asset")
    func expectedReturnBySide() throws {
        let analyzer = try RiskAnalyzer(window: 4)
        #expect(abs(try #require(analyzer.expectedReturn(of: Self.choppyRise, side: .buy)) - 0.05) < 1e-12)
        #expect(abs(try #require(analyzer.expectedReturn(of: Self.choppyRise, side: .sell)) + 0.05) < 1e-12)
    }

    @Test("confidence is E / (E + σ): 1/3 at E = 0.05, σ = 0.1; 0 for no gain; 1 without volatility")
    func confidenceValues() {
        // 0.05 / (0.05 + 0.1) = 1/3
        #expect(abs(RiskAnalyzer.confidence(expectedReturn: 0.05, volatility: 0.1) - 1.0 / 3.0) < 1e-15)
        // k = E / σ = 3 → 3 / 4
        #expect(abs(RiskAnalyzer.confidence(expectedReturn: 0.03, volatility: 0.01) - 0.75) < 1e-15)
        #expect(RiskAnalyzer.confidence(expectedReturn: 0.01, volatility: 0.01) == 0.5)
        #expect(RiskAnalyzer.confidence(expectedReturn: 0.02, volatility: 0) == 1)
        #expect(RiskAnalyzer.confidence(expectedReturn: 0, volatility: 0) == 0)
        #expect(RiskAnalyzer.confidence(expectedReturn: -0.05, volatility: 0.1) == 0)
    }

    @Test("confidence rises with the expected return and falls with volatility, always within 0…1")
    func confidenceIsMonotonic() {
        let returns = stride(from: -0.02, through: 0.2, by: 0.001).map { $0 }
        let volatilities = stride(from: 0.0, through: 0.5, by: 0.005).map { $0 }
        for sigma in volatilities {
            var previous = -1.0
            for expected in returns {
                let c = RiskAnalyzer.confidence(expectedReturn: expected, volatility: sigma)
                #expect(c >= previous && (0...1).contains(c))
                previous = c
            }
        }
        for expected in returns where expected > 0 {
            var previous = 2.0
            for sigma in volatilities {
                let c = RiskAnalyzer.confidence(expectedReturn: expected, volatility: sigma)
                #expect(c < previous)
                previous = c
            }
        }
    }

    @Test("risk is volatility / (confidence × expected gain)")
    func riskFormula() throws {
        // 0.02 / (0.8 × 0.05) = 0.02 / 0.04 = 0.5
        #expect(
            abs(try #require(RiskAnalyzer.risk(volatility: 0.02, confidence: 0.8, expectedGain: 0.05)) - 0.5) < 1e-15)
        // the choppy rise bought: 0.1 / (1/3 × 0.05) = 6
        let c = RiskAnalyzer.confidence(expectedReturn: 0.05, volatility: 0.1)
        #expect(abs(try #require(RiskAnalyzer.risk(volatility: 0.1, confidence: c, expectedGain: 0.05)) - 6) < 1e-12)
        #expect(RiskAnalyzer.risk(volatility: 0, confidence: 1, expectedGain: 0.01) == 0)
    }

    @Test("risk is undefined, so no trade, when confidence or expected gain is zero or negative")
    func riskGuards() {
        #expect(RiskAnalyzer.risk(volatility: 0.1, confidence: 0, expectedGain: 0.05) == nil)
        #expect(RiskAnalyzer.risk(volatility: 0.1, confidence: 0.9, expectedGain: 0) == nil)
        #expect(RiskAnalyzer.risk(volatility: 0.1, confidence: 0.9, expectedGain: -0.01) == nil)
        #expect(RiskAnalyzer.risk(volatility: 0.1, confidence: -0.1, expectedGain: 0.05) == nil)
        let losing = RiskAssessment(grossReturn: -0.05, volatility: 0.1)
        #expect(losing.confidence == 0 && losing.risk == nil && losing.score == nil)
    }

    @Test("an assessment nets costs from the gross return before confidence and risk")
    func assessmentNetsCosts() throws {
        // E = 0.05 − 0.01 = 0.04; c = 0.04 / 0.14 = 2/7; risk = 0.1 / (2/7 × 0.04) = 8.75
        let a = RiskAssessment(grossReturn: 0.05, costs: 0.01, volatility: 0.1)
        #expect(abs(a.expectedReturn - 0.04) < 1e-15)
        #expect(abs(a.confidence - 2.0 / 7.0) < 1e-15)
        #expect(abs(try #require(a.risk) - 8.75) < 1e-12)
        // score = E × c / (1 + risk) = 0.04 × 2/7 / 9.75
        #expect(abs(try #require(a.score) - 0.04 * (2.0 / 7.0) / 9.75) < 1e-15)
    }
}
