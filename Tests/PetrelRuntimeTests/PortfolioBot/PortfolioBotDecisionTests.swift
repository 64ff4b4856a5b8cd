import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: one decision step")
struct PortfolioBotDecisionTests {
    typealias Fixture = PortfolioOptimizerTests
    static let start = TestCandles.newYear2024
    /// ETH +2 % per step (σ ≈ 0) and BTC choppy (μ = 0.05, σ = 0.1): buying ETH is the only trade that passes.
    static let steps = TestQuotes.steps([
        "BTC/USD": PortfolioOptimizerRankingTests.btcChoppy, "ETH/USD": PortfolioOptimizerRankingTests.ethSteady,
    ])

    static func settings(window: Int = 4, keep: Int = 100, pairs: [TradingPairSetting]? = nil) throws
        -> PortfolioBotSettings
    {
        try PortfolioBotSettings(
            cacheTTLSeconds: 10, volatilityWindow: window, historyKeep: keep,
            pairs: pairs ?? [Fixture.btcUSD, Fixture.ethUSD])
    }

    /// Runs every step; returns the decisions.
    static func run(_ bot: inout PortfolioBotDecision, holdings: [String: Money] = Fixture.threeAssets)
        -> [PortfolioBotDecision.Decision]
    {
        steps.enumerated().map { index, quotes in
            bot.decide(holdings: holdings, quotes: quotes, now: start + Int64(index) * 5_000)
        }
    }

    @Test("holds while the price history warms up, then buys and writes one PENDING record")
    func tradesAfterWarmUp() throws {
        var bot = PortfolioBotDecision(settings: try Self.settings())
        let decisions = Self.run(&bot)
        for early in decisions.dropLast() {
            #expect(early.decision == .hold && early.records.isEmpty && !early.shouldExecute)
            #expect(early.reasoning.hasPrefix("HOLD: no trade meets the rule; best candidate: "))
            #expect(early.reasoning.contains("prices of BTC/USD needed for volatility"))
        }
        let last = try #require(decisions.last)
        #expect(last.decision == .buy && last.shouldExecute && !last.isDryRun)
        let trade = try #require(last.trade)
        #expect(trade.route.description == "USD→ETH [ETH/USD buy]" && trade.amount == decimal("1000"))
        #expect(last.opportunities.count == 6)
        let record = try #require(last.records.first)
        #expect(last.records.count == 1)
        #expect(record.id == nil && record.status == .pending && record.decision == .buy)
        #expect(record.fromPair == "USD" && record.toPair == "ETH" && record.amount == decimal("1000"))
        #expect(record.createdAt == Self.start + 20_000 && record.reasoning == trade.reasoning)
        #expect(record.confidence == trade.confidence && record.risk == trade.risk)
        #expect(record.expectedReturn == trade.expectedReturn && record.volatility == trade.volatility)
    }

    @Test("a dry run decides the same trade, records it PENDING and executes nothing")
    func dryRun() throws {
        var live = PortfolioBotDecision(settings: try Self.settings())
        var dry = PortfolioBotDecision(settings: try Self.settings(), dryRun: true)
        let liveLast = try #require(Self.run(&live).last)
        let dryLast = try #require(Self.run(&dry).last)
        #expect(dryLast.trade == liveLast.trade)
        #expect(dryLast.isDryRun && !dryLast.shouldExecute)
        let record = try #require(dryLast.records.first)
        #expect(record.status == .pending && record.reasoning == "[dry run] " + liveLast.reasoning)
    }

    @Test("the HOLD reasoning names the best rejected candidate, or why there is none")
    func holdReasons() throws {
        var bot = PortfolioBotDecision(settings: try Self.settings())
        // Holding only BTC in a choppy rise: selling it or converting to ETH loses, nothing passes.
        let last = try #require(Self.run(&bot, holdings: ["BTC": decimal("1")]).last)
        #expect(last.decision == .hold && last.records.isEmpty)
        #expect(last.reasoning == "HOLD: no trade meets the rule; best candidate: " + last.opportunities[0].reasoning)
        #expect(
            last.opportunities.map(\.route.description) == [
                "BTC→ETH [BTC/USD sell, ETH/USD buy]", "BTC→USD [BTC/USD sell]",
            ])
        var nothingHeld = PortfolioBotDecision(settings: try Self.settings())
        #expect(
            Self.run(&nothingHeld, holdings: ["DOGE": decimal("5")]).last?.reasoning
                == "HOLD: no asset held that an enabled pair trades")
        var noPairs = PortfolioBotDecision(settings: try Self.settings(pairs: []))
        #expect(Self.run(&noPairs).last?.reasoning == "HOLD: no enabled trading pairs")
    }

    @Test("executing the step's records through the store keeps the history at history_keep")
    func decisionsThroughTheStore() async throws {
        var bot = PortfolioBotDecision(settings: try Self.settings(keep: 2))
        let store = InMemoryTradeHistoryStore()
        let holdings = Fixture.threeAssets
        var now = Self.start
        for quotes in Self.steps { _ = bot.decide(holdings: holdings, quotes: quotes, now: now); now += 5_000 }
        // Keep deciding on the same (still fresh, unchanged) quotes: the same trade each step.
        for _ in 0..<4 {
            let decision = bot.decide(holdings: holdings, quotes: [], now: now)
            for record in decision.records {
                let id = try #require(try await store.append(record).id)
                if decision.shouldExecute {
                    try await store.settle(id: id, status: .executed, keep: bot.settings.historyKeep)
                }
            }
            now += 1_000
        }
        #expect(try await store.recent(limit: 10).map(\.id) == [4, 3])
        #expect(try await store.records(status: .executed, limit: 10).count == 2)
    }

    @Test("the cache tells which pairs need a quote; new settings keep the price history")
    func cacheMissesAndSettingsUpdate() throws {
        var bot = PortfolioBotDecision(settings: try Self.settings())
        #expect(bot.symbolsNeedingQuotes(now: Self.start) == [Fixture.btcUSD.symbol, Fixture.ethUSD.symbol])
        _ = Self.run(&bot)
        let lastStep = Self.start + 20_000
        #expect(bot.symbolsNeedingQuotes(now: lastStep).isEmpty)
        #expect(bot.symbolsNeedingQuotes(now: lastStep + 10_000).count == 2)
        bot.update(settings: try Self.settings(window: 2))
        #expect(bot.cache.prices(for: Fixture.ethUSD.symbol) == ["52.02", "53.0604", "54.121608"].map(decimal))
        #expect(bot.decide(holdings: Fixture.threeAssets, quotes: [], now: lastStep).decision == .buy)
    }
}
