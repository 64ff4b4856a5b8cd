import Foundation
import PetrelAnalytics
import Testing

@Suite("Portfolio risk: exposure and concentration")
struct RiskStatisticsTests {
    @Test("positions are netted per asset and concentration uses the per-asset shares")
    func exposureAndConcentration() {
        let positions: [(asset: String, notional: Double)] = [
            ("BTC", 6_000), ("ETH", -3_000), ("BTC", -1_000), ("SOL", 1_000),
        ]
        let risk = RiskStatistics.compute(returns: [], positions: positions, equity: 10_000)
        // gross = 6000 + 3000 + 1000 + 1000; long = 7000; short = 4000; net = 3000
        #expect(risk.grossExposure == 11_000)
        #expect(risk.longExposure == 7_000)
        #expect(risk.shortExposure == 4_000)
        #expect(risk.netExposure == 3_000)
        #expect(isClose(risk.grossLeverage, 1.1))
        #expect(isClose(risk.netLeverage, 0.3))
        // per asset |net|: BTC 5000, ETH 3000, SOL 1000 of 9000 → shares 5/9, 3/9, 1/9
        // HHI = (25 + 9 + 1) / 81 = 35/81
        #expect(risk.assetCount == 3)
        #expect(isClose(risk.herfindahlIndex, 35.0 / 81.0))
        #expect(isClose(risk.effectiveAssetCount, 81.0 / 35.0))
        #expect(isClose(risk.largestPositionShare, 5.0 / 9.0))
        #expect(risk.largestPositionAsset == "BTC")
    }

    @Test("one asset is fully concentrated and equal assets tie alphabetically")
    func extremes() {
        let single = RiskStatistics.compute(returns: [], positions: [("ETH", -500)])
        #expect(single.herfindahlIndex == 1)
        #expect(single.largestPositionShare == 1)
        #expect(single.grossLeverage == nil)
        let tied = RiskStatistics.compute(returns: [], positions: [("ETH", 100), ("BTC", -100)])
        #expect(tied.herfindahlIndex == 0.5)
        #expect(tied.effectiveAssetCount == 2)
        #expect(tied.largestPositionAsset == "BTC")
    }

    @Test("a hedged asset carries gross but no net exposure and no concentration")
    func hedged() {
        let risk = RiskStatistics.compute(returns: [], positions: [("BTC", 100), ("BTC", -100)], equity: 1_000)
        #expect(risk.grossExposure == 200)
        #expect(risk.netExposure == 0)
        #expect(risk.assetCount == 0)
        #expect(risk.herfindahlIndex == nil)
        #expect(risk.largestPositionAsset == nil)
    }

    @Test("empty inputs give zero exposure, nil tail risk and valid JSON")
    func empty() throws {
        let risk = RiskStatistics.compute(returns: [], positions: [])
        #expect(risk.observations == 0)
        #expect(risk.valueAtRisk95 == nil && risk.conditionalValueAtRisk99 == nil)
        #expect(risk.grossExposure == 0 && risk.netExposure == 0)
        #expect(risk.herfindahlIndex == nil)
        #expect(try sortedJSON(risk) == sortedJSON(risk))
    }

    @Test("tail risk of the returns uses the same VaR and CVaR as the standalone functions")
    func tailRisk() {
        let returns = [0.2, -0.25, 0.2, 0.25, -0.1]
        let risk = RiskStatistics.compute(returns: returns, positions: [("BTC", 1)])
        #expect(risk.valueAtRisk95 == Analytics.valueAtRisk(returns: returns, confidence: 0.95))
        #expect(risk.conditionalValueAtRisk95 == Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.95))
        #expect(risk.valueAtRisk99 == Analytics.valueAtRisk(returns: returns, confidence: 0.99))
        #expect(risk.conditionalValueAtRisk99 == Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.99))
    }
}
