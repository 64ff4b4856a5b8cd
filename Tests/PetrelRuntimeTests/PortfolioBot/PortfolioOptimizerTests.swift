import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: optimiser")
struct PortfolioOptimizerTests {
    static let start = TestCandles.newYear2024
    static let btcUSD = TradingPairSetting(symbol: TestQuotes.symbol("BTC/USD"), priority: 100)
    static let ethUSD = TradingPairSetting(symbol: TestQuotes.symbol("ETH/USD"), priority: 90)
    static let threeAssets: [String: Money] = ["BTC": decimal("1"), "ETH": decimal("10"), "USD": decimal("10000")]

    static func optimizer(
        _ pairs: [TradingPairSetting] = [btcUSD, ethUSD], window: Int = 4, size: TradeSize = .default,
        fee: Double = 0
    ) throws -> PortfolioOptimizer {
        PortfolioOptimizer(
            settings: try PortfolioBotSettings(tradeSize: size, volatilityWindow: window, feeRate: fee, pairs: pairs))
    }

    /// A cache fed one quote per symbol per 5-second step; `now` of the last step is returned too.
    static func cache(_ mids: KeyValuePairs<String, [String]>, window: Int = 4) throws -> (PriceCache, Int64) {
        var cache = try PriceCache(ttlSeconds: 10, historyCapacity: window + 1)
        var now = start
        for (index, quotes) in TestQuotes.steps(mids, start: start).enumerated() {
            now = start + Int64(index) * 5_000
            for quote in quotes { cache.update(quote, now: now) }
        }
        return (cache, now)
    }

    @Test("a 3-asset portfolio gets every sell, buy and conversion through USD, nothing else")
    func everyTradeOfThreeAssets() throws {
        let routes = try Self.optimizer().routes(holdings: Self.threeAssets)
        #expect(
            routes.map(\.description) == [
                "BTC→USD [BTC/USD sell]", "USD→BTC [BTC/USD buy]", "ETH→USD [ETH/USD sell]", "USD→ETH [ETH/USD buy]",
                "BTC→ETH [BTC/USD sell, ETH/USD buy]", "ETH→BTC [ETH/USD sell, BTC/USD buy]",
            ])
        #expect(routes.map(\.decision) == [.sell, .buy, .sell, .buy, .convert, .convert])
        #expect(routes.map(\.priority) == [100, 100, 90, 90, 90, 90])
        #expect(routes[4].intermediate == "USD")
    }

    @Test("only held assets are given up; disabled pairs trade nothing")
    func onlyHeldAssetsAndEnabledPairs() throws {
        let onlyBTC = try Self.optimizer().routes(holdings: ["BTC": decimal("0.5"), "USD": .zero, "ETH": decimal("-1")])
        #expect(onlyBTC.map(\.description) == ["BTC→USD [BTC/USD sell]", "BTC→ETH [BTC/USD sell, ETH/USD buy]"])
        var disabled = Self.ethUSD
        disabled.isEnabled = false
        let withDisabled = try Self.optimizer([Self.btcUSD, disabled]).routes(holdings: Self.threeAssets)
        #expect(withDisabled.map(\.description) == ["BTC→USD [BTC/USD sell]", "USD→BTC [BTC/USD buy]"])
        #expect(try Self.optimizer([]).routes(holdings: Self.threeAssets).isEmpty)
    }

    @Test("with a cross pair, conversions go through any shared asset, base or quote")
    func conversionsThroughSharedAssets() throws {
        let ethBTC = TradingPairSetting(symbol: TestQuotes.symbol("ETH/BTC"), priority: 50)
        let routes = try Self.optimizer([Self.btcUSD, Self.ethUSD, ethBTC]).routes(holdings: Self.threeAssets)
        #expect(
            Set(routes.map(\.description)) == [
                "BTC→USD [BTC/USD sell]", "USD→BTC [BTC/USD buy]", "ETH→USD [ETH/USD sell]", "USD→ETH [ETH/USD buy]",
                "ETH→BTC [ETH/BTC sell]", "BTC→ETH [ETH/BTC buy]",
                "BTC→ETH [BTC/USD sell, ETH/USD buy]", "USD→ETH [BTC/USD buy, ETH/BTC buy]",
                "ETH→BTC [ETH/USD sell, BTC/USD buy]", "USD→BTC [ETH/USD buy, ETH/BTC sell]",
                "ETH→USD [ETH/BTC sell, BTC/USD sell]", "BTC→USD [ETH/BTC buy, ETH/USD sell]",
            ])
        #expect(routes.count == 12)
    }

    @Test("percentage sizing takes an exact fraction of the holding, rounded down")
    func percentageAmounts() throws {
        // 10 % of 1.23456789 = 0.123456789 → 0.12345678 (the 9th digit is cut, not rounded)
        #expect(TradeSize.default.amount(of: decimal("1.23456789")) == decimal("0.12345678"))
        // 33 % of 10 = 3.3 exactly
        #expect(TradeSize.fractionOfHolding(decimal("0.33")).amount(of: decimal("10")) == decimal("3.3"))
        // 100 % of 0.00000003 = all of it; 1 % of 0.00000099 = 0.0000000099 → 0
        #expect(TradeSize.fractionOfHolding(.one).amount(of: decimal("0.00000003")) == decimal("0.00000003"))
        #expect(TradeSize.fractionOfHolding(decimal("0.01")).amount(of: decimal("0.00000099")) == .zero)
        let (cache, now) = try Self.cache(["BTC/USD": ["100", "101", "102", "103", "104"]])
        let dust = try Self.optimizer([Self.btcUSD], size: .fractionOfHolding(decimal("0.01")))
            .evaluate(holdings: ["BTC": decimal("0.00000099")], cache: cache, now: now)
        #expect(dust.map(\.amount) == [.zero])
        #expect(dust[0].rejections.first == .amountTooSmall(asset: "BTC", holding: decimal("0.00000099")))
    }

    @Test("fixed sizing trades the amount of the from-asset and rejects it above the holding")
    func fixedAmounts() throws {
        let (cache, now) = try Self.cache(["BTC/USD": ["100", "101", "102", "103", "104"]])
        let optimizer = try Self.optimizer([Self.btcUSD], size: .fixedAmount(decimal("0.5")))
        let fits = optimizer.evaluate(holdings: ["BTC": decimal("1")], cache: cache, now: now)
        #expect(fits.map(\.amount) == [decimal("0.5")])
        #expect(!fits[0].rejections.contains { if case .insufficientBalance = $0 { true } else { false } })
        let short = optimizer.evaluate(holdings: ["BTC": decimal("0.49999999")], cache: cache, now: now)
        #expect(
            short[0].rejections.first
                == .insufficientBalance(asset: "BTC", needed: decimal("0.5"), available: decimal("0.49999999")))
    }

    @Test("trade sizes outside the seed's ranges are rejected with the field name")
    func tradeSizeValidation() {
        #expect(
            throws: PortfolioBotError.outOfRange(
                field: "trade_size_percentage", value: "0.009", allowed: "0.01 to 1")
        ) { try TradeSize.fractionOfHolding(decimal("0.009")).validate() }
        #expect(throws: PortfolioBotError.self) { try TradeSize.fractionOfHolding(decimal("1.00000001")).validate() }
        #expect(throws: PortfolioBotError.self) { try TradeSize.fixedAmount(.zero).validate() }
        #expect(throws: Never.self) { try TradeSize.fractionOfHolding(decimal("0.01")).validate() }
    }
}
