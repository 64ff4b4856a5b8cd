import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: settings")
struct PortfolioBotSettingsTests {
    static let pair = [TradingPairSetting(symbol: TestQuotes.symbol("BTC/USD"), priority: 100)]

    @Test("the defaults are the seed's: risk 0.5, confidence 0.7, 10 % per trade, window 10, keep 100")
    func defaults() throws {
        let settings = try PortfolioBotSettings(pairs: Self.pair)
        #expect(settings.riskTolerance == 0.5 && settings.minConfidence == 0.7)
        #expect(settings.tradeSize == .fractionOfHolding(decimal("0.1")))
        #expect(settings.volatilityWindow == 10 && settings.historyKeep == 100 && settings.cacheTTLSeconds == 3)
        #expect(settings.feeRate == 0 && PortfolioBotSettings.minimumExpectedReturn == 0.001)
        #expect(settings.rule == TradeRule(minConfidence: 0.7, riskTolerance: 0.5))
    }

    @Test("values at the ends of the seed's ranges are accepted")
    func boundaries() throws {
        _ = try PortfolioBotSettings(
            riskTolerance: 0, minConfidence: 1, tradeSize: .fractionOfHolding(decimal("0.01")), cacheTTLSeconds: 1,
            volatilityWindow: 2, historyKeep: 0, pairs: [])
        _ = try PortfolioBotSettings(
            riskTolerance: 1, minConfidence: 0, tradeSize: .fractionOfHolding(.one), cacheTTLSeconds: 60,
            volatilityWindow: 1_000, feeRate: 0.099, pairs: Self.pair)
    }

    /// One out-of-range value per case, and the seed field it must be reported under.
    enum BadValue: String, CaseIterable, Sendable {
        case riskAboveOne, riskNaN, confidenceNegative, ttlAboveSixty, windowOfOne, feeAtTenPercent
        case keepNegative, negativeFixedAmount

        var field: String {
            switch self {
            case .riskAboveOne, .riskNaN: return "risk_tolerance"
            case .confidenceNegative: return "min_confidence_score"
            case .ttlAboveSixty: return "cache_ttl_seconds"
            case .windowOfOne: return "volatility_window"
            case .feeAtTenPercent: return "fee_rate"
            case .keepNegative: return "history_keep"
            case .negativeFixedAmount: return "trade_size_amount"
            }
        }

        func make() throws(PortfolioBotError) -> PortfolioBotSettings {
            switch self {
            case .riskAboveOne: return try PortfolioBotSettings(riskTolerance: 1.5, pairs: [])
            case .riskNaN: return try PortfolioBotSettings(riskTolerance: .nan, pairs: [])
            case .confidenceNegative: return try PortfolioBotSettings(minConfidence: -0.1, pairs: [])
            case .ttlAboveSixty: return try PortfolioBotSettings(cacheTTLSeconds: 61, pairs: [])
            case .windowOfOne: return try PortfolioBotSettings(volatilityWindow: 1, pairs: [])
            case .feeAtTenPercent: return try PortfolioBotSettings(feeRate: 0.1, pairs: [])
            case .keepNegative: return try PortfolioBotSettings(historyKeep: -1, pairs: [])
            case .negativeFixedAmount:
                return try PortfolioBotSettings(tradeSize: .fixedAmount(decimal("-1")), pairs: [])
            }
        }
    }

    @Test("each out-of-range value is rejected naming its seed field", arguments: BadValue.allCases)
    func rangeErrors(value: BadValue) {
        do {
            _ = try value.make()
            Issue.record("\(value.field) should have been rejected")
        } catch {
            guard case .outOfRange(let reported, _, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reported == value.field)
            #expect(error.description.hasPrefix("\(value.field): "))
        }
    }

    @Test("two entries for the same two assets, or a perpetual swap, are rejected")
    func pairErrors() {
        let btcUSD = TradingPairSetting(symbol: TestQuotes.symbol("BTC/USD"))
        let usdBTC = TradingPairSetting(symbol: TestQuotes.symbol("USD/BTC"), isEnabled: false)
        #expect(throws: PortfolioBotError.duplicatePair(field: "pairs[1]", symbol: "USD/BTC")) {
            try PortfolioBotSettings(pairs: [btcUSD, usdBTC])
        }
        let swap = TradingPairSetting(symbol: TestQuotes.symbol("BTC/USDT:SWAP"))
        #expect(throws: PortfolioBotError.self) { try PortfolioBotSettings(pairs: [swap]) }
    }

    @Test("a portfolio-bot file becomes settings: its thresholds, trade size, window, pairs and retention")
    func fromConfigurationFile() throws {
        let file = try ConfigTesting.portfolioBot(ConfigTesting.portfolio)
        let settings = try PortfolioBotSettings(configuration: file, feeRate: 0.001)
        #expect(settings.riskTolerance == 0.5 && settings.minConfidence == 0.7 && settings.feeRate == 0.001)
        #expect(settings.tradeSize == .fractionOfHolding(decimal("0.1")) && settings.historyKeep == 100)
        #expect(settings.cacheTTLSeconds == 3 && settings.volatilityWindow == 10)
        #expect(settings.pairs.map(\.symbol.description) == ["BTC/USD", "ETH/USD", "XRP/USD"])
        #expect(settings.pairs.map(\.priority) == [100, 90, 50])
        #expect(settings.pairs.map(\.isEnabled) == [true, true, false])
        var fixed = file
        fixed.tradeSize = .amount(decimal("0.05"))
        fixed.tradeHistoryRetention = 0
        let fixedSettings = try PortfolioBotSettings(configuration: fixed)
        #expect(fixedSettings.tradeSize == .fixedAmount(decimal("0.05")) && fixedSettings.historyKeep == 0)
        #expect(
            throws: PortfolioBotError.outOfRange(
                field: "fee_rate", value: "0.2", allowed: "a fraction from 0 up to (not including) 0.1")
        ) {
            try PortfolioBotSettings(configuration: file, feeRate: 0.2)
        }
    }
}
