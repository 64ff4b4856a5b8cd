import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: assessing and ranking opportunities")
struct PortfolioOptimizerRankingTests {
    typealias Fixture = PortfolioOptimizerTests
    /// BTC: +10 %, −10 %, +10 %, +10 % → μ = 0.05, σ = 0.1 (see RiskAnalyzerTests).
    static let btcChoppy = ["100", "110", "99", "108.9", "119.79"]
    /// ETH: +2 % every step → μ = 0.02, σ = 0 (up to rounding, ~1e-16).
    static let ethSteady = ["50", "51", "52.02", "53.0604", "54.121608"]
    /// ETH: +20 %, −20 %, +20 %, +20 % → μ = 0.1, σ = 0.2.
    static let ethChoppy = ["100", "120", "96", "115.2", "138.24"]

    @Test("each opportunity of a 3-asset portfolio gets the hand-computed statistics and verdict")
    func threeAssetVerdicts() throws {
        let (cache, now) = try Fixture.cache(["BTC/USD": Self.btcChoppy, "ETH/USD": Self.ethSteady])
        let selection = try Fixture.optimizer().findBestTrade(holdings: Fixture.threeAssets, cache: cache, now: now)
        let byRoute = Dictionary(uniqueKeysWithValues: selection.opportunities.map { ($0.route.description, $0) })

        // Buy ETH: E = 0.02 (spread cost ~2e-10), σ ≈ 0 → c ≈ 1, risk ≈ 0: passes.
        let buyETH = try #require(byRoute["USD→ETH [ETH/USD buy]"])
        #expect(abs(try #require(buyETH.expectedReturn) - 0.02) < 1e-8)
        #expect(abs(try #require(buyETH.confidence) - 1) < 1e-8)
        #expect(abs(try #require(buyETH.risk)) < 1e-8)
        #expect(buyETH.isAccepted && buyETH.amount == decimal("1000"))
        #expect(selection.best == buyETH)

        // Buy BTC: E = 0.05, σ = 0.1 → c = 0.05 / 0.15 = 1/3, risk = 0.1 / (1/3 × 0.05) = 6.
        let buyBTC = try #require(byRoute["USD→BTC [BTC/USD buy]"])
        #expect(abs(try #require(buyBTC.confidence) - 1.0 / 3.0) < 1e-8)
        #expect(abs(try #require(buyBTC.risk) - 6) < 1e-6)
        #expect(buyBTC.rejections.count == 2)

        // ETH → BTC via USD: E = −0.02 + 0.05 = 0.03, σ = √(0.1² + 0²) = 0.1,
        // c = 0.03 / 0.13 = 0.230769…, risk = 0.1 / (0.230769… × 0.03) = 14.444…
        let ethToBTC = try #require(byRoute["ETH→BTC [ETH/USD sell, BTC/USD buy]"])
        #expect(abs(try #require(ethToBTC.expectedReturn) - 0.03) < 1e-8)
        #expect(abs(try #require(ethToBTC.volatility) - 0.1) < 1e-8)
        #expect(abs(try #require(ethToBTC.confidence) - 0.03 / 0.13) < 1e-8)
        #expect(abs(try #require(ethToBTC.risk) - 130.0 / 9.0) < 1e-5)
        #expect(ethToBTC.amount == decimal("1"))  // 10 % of 10 ETH

        // Selling into a rise loses: E = −0.05, −0.02, −0.03 → confidence 0, risk undefined.
        for route in ["BTC→USD [BTC/USD sell]", "ETH→USD [ETH/USD sell]", "BTC→ETH [BTC/USD sell, ETH/USD buy]"] {
            let losing = try #require(byRoute[route])
            #expect(losing.confidence == 0 && losing.risk == nil && losing.rejections.count == 3)
        }
        // Ranked by score (≈0.02, 0.05 × ⅓ / 7, 0.03 × 0.2308 / 15.44), then unscored by E (−0.02, −0.03, −0.05).
        #expect(
            selection.opportunities.map(\.route.description) == [
                "USD→ETH [ETH/USD buy]", "USD→BTC [BTC/USD buy]", "ETH→BTC [ETH/USD sell, BTC/USD buy]",
                "ETH→USD [ETH/USD sell]", "BTC→ETH [BTC/USD sell, ETH/USD buy]", "BTC→USD [BTC/USD sell]",
            ])
        #expect(buyBTC.reasoning.hasPrefix("BUY BTC with 1000 USD on BTC/USD: expected return 5.0000 %"))
        #expect(
            buyBTC.reasoning.hasSuffix("rejected: confidence 0.3333 < minimum 0.7000; risk 6.0000 > tolerance 0.5000"))
    }

    @Test("a conversion adds the legs' returns and variances and pays both legs' costs")
    func conversionStatistics() throws {
        // Four steps with one-unit spreads, then a last step whose quotes are 0.1 either side of the mid.
        var (cache, now) = try Fixture.cache(
            ["BTC/USD": Array(Self.btcChoppy.prefix(4)), "ETH/USD": Array(Self.ethChoppy.prefix(4))])
        now += 5_000
        cache.update(TestQuotes.quote("BTC/USD", mid: "119.79", halfSpread: "0.1", at: now), now: now)
        cache.update(TestQuotes.quote("ETH/USD", mid: "138.24", halfSpread: "0.1", at: now), now: now)
        let optimizer = try Fixture.optimizer(fee: 0.001)
        let conversion = try #require(
            optimizer.evaluate(holdings: ["BTC": decimal("2")], cache: cache, now: now)
                .first { $0.decision == .convert })
        let a = try #require(conversion.assessment)
        // gross = −0.05 (sell BTC) + 0.1 (buy ETH) = 0.05
        #expect(abs(a.grossReturn - 0.05) < 1e-12)
        // costs = (1 − 119.69 / 119.79) + 0.001 + (138.34 / 138.24 − 1) + 0.001
        let costs = (0.1 / 119.79 + 0.001) + (0.1 / 138.24 + 0.001)
        #expect(abs(a.costs - costs) < 1e-12)
        #expect(abs(a.expectedReturn - (0.05 - costs)) < 1e-12)
        // σ = √(0.1² + 0.2²) = √0.05 = 0.2236…
        #expect(abs(a.volatility - 0.05.squareRoot()) < 1e-12)
        let c = (0.05 - costs) / (0.05 - costs + 0.05.squareRoot())
        #expect(abs(a.confidence - c) < 1e-12)
        #expect(abs(try #require(a.risk) - 0.05.squareRoot() / (c * (0.05 - costs))) < 1e-9)
        #expect(
            conversion.legs == [
                TradeLeg(symbol: TestQuotes.symbol("BTC/USD"), side: .sell),
                TradeLeg(symbol: TestQuotes.symbol("ETH/USD"), side: .buy),
            ])
        #expect(conversion.amount == decimal("0.2"))
        #expect(conversion.reasoning.hasPrefix("CONVERT 0.2 BTC to ETH via USD (BTC/USD sell, ETH/USD buy)"))
    }

    @Test("a conversion through USD wins when it beats selling for USD")
    func conversionIsChosen() throws {
        let btcFalling = ["100", "99", "98.01", "97.0299", "96.059601"]
        let (cache, now) = try Fixture.cache(["BTC/USD": btcFalling, "ETH/USD": Self.ethSteady])
        let selection = try Fixture.optimizer().findBestTrade(holdings: ["BTC": decimal("2")], cache: cache, now: now)
        // BTC → ETH: E = 0.01 + 0.02 = 0.03, σ ≈ 0; BTC → USD: E = 0.01, σ ≈ 0; both pass, the conversion scores more.
        #expect(selection.opportunities.map(\.isAccepted) == [true, true])
        let best = try #require(selection.best)
        #expect(best.route.description == "BTC→ETH [BTC/USD sell, ETH/USD buy]")
        #expect(abs(try #require(best.expectedReturn) - 0.03) < 1e-8)
    }

    @Test("missing quotes and short histories are reasons, not crashes")
    func missingData() throws {
        let (cache, now) = try Fixture.cache(["BTC/USD": Array(Self.btcChoppy.prefix(3))])
        let ranked = try Fixture.optimizer().evaluate(holdings: Fixture.threeAssets, cache: cache, now: now)
        let sellBTC = try #require(ranked.first { $0.route.description == "BTC→USD [BTC/USD sell]" })
        #expect(sellBTC.assessment == nil)
        #expect(sellBTC.rejections == [.insufficientHistory(symbol: TestQuotes.symbol("BTC/USD"), have: 3, need: 5)])
        let sellETH = try #require(ranked.first { $0.route.description == "ETH→USD [ETH/USD sell]" })
        #expect(sellETH.rejections == [.noFreshQuote(symbol: TestQuotes.symbol("ETH/USD"))])
        #expect(sellETH.reasoning == "SELL 1 ETH for USD on ETH/USD; rejected: no fresh quote for ETH/USD")
        let stale = try Fixture.optimizer().evaluate(holdings: Fixture.threeAssets, cache: cache, now: now + 10_000)
        // 10 s later the BTC quote has expired too: every opportunity lacks a fresh quote.
        #expect(stale.allSatisfy { $0.rejections.contains { if case .noFreshQuote = $0 { true } else { false } } })
    }

    @Test("ranking is the same whatever order the opportunities come in")
    func rankingIsDeterministic() throws {
        func opportunity(_ from: String, _ to: String, _ pair: String, priority: Int, _ a: RiskAssessment?)
            -> TradeOpportunity
        {
            let side: OrderSide = TestQuotes.symbol(pair).base == to ? .buy : .sell
            let route = TradeRoute(
                from: from, to: to, legs: [TradeLeg(symbol: TestQuotes.symbol(pair), side: side)], priority: priority)
            return TradeOpportunity(route: route, amount: .one, assessment: a, rejections: [], reasoning: "")
        }
        let good = RiskAssessment(grossReturn: 0.01, volatility: 0.001)
        let items = [
            opportunity("USD", "ETH", "ETH/USD", priority: 90, good),
            opportunity("USD", "BTC", "BTC/USD", priority: 100, good),  // same score, higher priority
            opportunity("EUR", "BTC", "BTC/EUR", priority: 90, good),  // same score and priority: text order
            opportunity("BTC", "USD", "BTC/USD", priority: 100, RiskAssessment(grossReturn: -0.01, volatility: 0)),
            opportunity("BTC", "EUR", "BTC/EUR", priority: 100, nil),
            opportunity("USD", "SOL", "SOL/USD", priority: 1, RiskAssessment(grossReturn: 0.02, volatility: 0.001)),
        ]
        let expected = [
            "USD→SOL [SOL/USD buy]", "USD→BTC [BTC/USD buy]", "EUR→BTC [BTC/EUR buy]", "USD→ETH [ETH/USD buy]",
            "BTC→USD [BTC/USD sell]", "BTC→EUR [BTC/EUR sell]",
        ]
        // Every rotation, and every rotation reversed.
        for shift in 0..<items.count {
            let rotated = Array(items[shift...] + items[..<shift])
            #expect(PortfolioOptimizer.rank(rotated).map(\.route.description) == expected)
            #expect(PortfolioOptimizer.rank(rotated.reversed()).map(\.route.description) == expected)
        }
    }

    @Test("the same inputs give the same ranking, whatever the order of the configured pairs")
    func evaluationIsDeterministic() throws {
        let (cache, now) = try Fixture.cache(["BTC/USD": Self.btcChoppy, "ETH/USD": Self.ethChoppy])
        let forward = try Fixture.optimizer().evaluate(holdings: Fixture.threeAssets, cache: cache, now: now)
        let again = try Fixture.optimizer().evaluate(holdings: Fixture.threeAssets, cache: cache, now: now)
        let reversed = try Fixture.optimizer([Fixture.ethUSD, Fixture.btcUSD])
            .evaluate(holdings: Fixture.threeAssets, cache: cache, now: now)
        #expect(forward == again)
        #expect(forward.map(\.route.description) == reversed.map(\.route.description))
    }
}
