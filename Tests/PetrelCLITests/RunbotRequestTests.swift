import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@testable import petrel

/// `petrel runbot`'s flags (seed 000's `--risk-level --min-confidence --interval --dry-run --add-pair`)
/// and how they are layered over stored and file settings, without starting anything.
@Suite("petrel runbot flags and settings")
struct RunbotRequestTests {
    static func request(
        risk: String? = nil, confidence: String? = nil, interval: String? = nil, dryRun: Bool = false,
        pairs: [String] = [], config: String? = nil
    ) throws -> RunbotRequest {
        try RunbotRequest.parse(
            riskLevel: risk, minConfidence: confidence, interval: interval, dryRun: dryRun, addPairs: pairs,
            config: config)
    }

    static func symbol(_ text: String) -> Symbol { TestQuotes.symbol(text) }

    @Test("valid flags are read exactly; a pair given twice in any spelling is added once")
    func validFlags() throws {
        let request = try Self.request(
            risk: "0.7", confidence: "0.75", interval: "3", dryRun: true, pairs: ["BTC-USD", "ETH-USD", "BTC/USD"])
        #expect(request.riskLevel == 0.7)
        #expect(request.minConfidence == 0.75)
        #expect(request.intervalSeconds == 3)
        #expect(request.dryRun)
        #expect(request.addPairs == [Self.symbol("BTC/USD"), Self.symbol("ETH/USD")])
        #expect(try Self.request(risk: "0", confidence: "1", interval: "300").intervalSeconds == 300)
    }

    @Test("--add-pair alone only adds pairs; any flag that affects a run makes it a run")
    func addPairsOnly() throws {
        #expect(try Self.request(pairs: ["BTC-USD"]).isAddPairsOnly)
        #expect(!(try Self.request().isAddPairsOnly))
        #expect(!(try Self.request(risk: "0.5", pairs: ["BTC-USD"]).isAddPairsOnly))
        #expect(!(try Self.request(confidence: "0.5", pairs: ["BTC-USD"]).isAddPairsOnly))
        #expect(!(try Self.request(interval: "5", pairs: ["BTC-USD"]).isAddPairsOnly))
        #expect(!(try Self.request(dryRun: true, pairs: ["BTC-USD"]).isAddPairsOnly))
        #expect(!(try Self.request(pairs: ["BTC-USD"], config: "bot.json").isAddPairsOnly))
    }

    @Test(
        "a value out of range names the flag, the value and the allowed range",
        arguments: [
            ("--risk-level", "2", "a number from 0 to 1"), ("--risk-level", "-0.1", "a number from 0 to 1"),
            ("--risk-level", "nan", "a number from 0 to 1"), ("--risk-level", "inf", "a number from 0 to 1"),
            ("--risk-level", "high", "a number from 0 to 1"), ("--min-confidence", "1.01", "a number from 0 to 1"),
            ("--interval", "0", "whole seconds from 1 to 300"), ("--interval", "301", "whole seconds from 1 to 300"),
            ("--interval", "2.5", "whole seconds from 1 to 300"), ("--interval", "", "whole seconds from 1 to 300"),
        ])
    func outOfRange(flag: String, value: String, allowed: String) throws {
        let error = #expect(throws: CLIError.self) {
            switch flag {
            case "--risk-level": _ = try Self.request(risk: value)
            case "--min-confidence": _ = try Self.request(confidence: value)
            default: _ = try Self.request(interval: value)
            }
        }
        #expect(error?.description == "\(flag) '\(value)' is out of range: expected \(allowed)")
    }

    @Test("a pair that is not a spot pair is refused, naming the flag and the value")
    func badPairs() throws {
        let swap = #expect(throws: CLIError.self) { _ = try Self.request(pairs: ["BTC-USDT-SWAP"]) }
        #expect(swap?.description.hasPrefix("--add-pair 'BTC-USDT-SWAP' is a perpetual swap") == true)
        let junk = #expect(throws: CLIError.self) { _ = try Self.request(pairs: ["BTC-USD", "!!"]) }
        #expect(junk?.description.hasPrefix("--add-pair '!!' is not a trading pair") == true)
    }

    static let file = """
        {"bot_type": "portfolio", "broker": {"type": "paper", "initial_balance": 500},
         "risk_tolerance": 0.4, "min_confidence": 0.6, "trade_size_percentage": 0.2,
         "check_interval_seconds": 7, "cache_ttl_seconds": 2, "volatility_window": 4,
         "trading_pairs": [{"pair_symbol": "ETH-USD", "priority": 90},
                           {"pair_symbol": "XRP-USD", "priority": 50, "is_enabled": false}]}
        """

    static func plan(
        _ request: RunbotRequest, file: String? = nil, stored: PortfolioSettingsRecord? = nil,
        pairs: [TradingPairSetting] = []
    ) throws -> RunbotPlan {
        let configuration = try file.map { try PortfolioBotConfiguration.parse(Data($0.utf8), source: "bot.json") }
        return try RunbotPlan.make(
            request: request, configuration: configuration, stored: stored, storedPairs: pairs, botID: "portfolio",
            feeRate: 0.001, now: 1_000)
    }

    @Test("without stored settings, file or flags the seed's defaults apply")
    func defaults() throws {
        let plan = try Self.plan(try Self.request(pairs: ["BTC-USD"]))
        #expect(
            plan.record
                == PortfolioSettingsRecord(
                    botID: "portfolio", riskTolerance: 0.5, minConfidence: 0.7, tradeSize: .default,
                    checkIntervalSeconds: 5, cacheTTLSeconds: 3, volatilityWindow: 10, historyKeep: 100,
                    updatedAt: 1_000))
        #expect(plan.settings.feeRate == 0.001)
        #expect(plan.pairChanges == [.added(TradingPairSetting(symbol: Self.symbol("BTC/USD"), priority: 100))])
    }

    @Test("stored settings are overridden by the file, and the file by the flags")
    func layering() throws {
        let stored = PortfolioSettingsRecord(
            botID: "portfolio", riskTolerance: 0.9, minConfidence: 0.9, tradeSize: .fixedAmount(decimal("5")),
            checkIntervalSeconds: 60, cacheTTLSeconds: 9, volatilityWindow: 20, historyKeep: 0, updatedAt: 1)
        let btc = TradingPairSetting(symbol: Self.symbol("BTC/USD"), priority: 100)
        let onlyStored = try Self.plan(try Self.request(), stored: stored, pairs: [btc])
        #expect(onlyStored.record.riskTolerance == 0.9)
        #expect(onlyStored.record.tradeSize == .fixedAmount(decimal("5")))
        #expect(onlyStored.upserts.isEmpty)

        let withFile = try Self.plan(
            try Self.request(risk: "0.8", interval: "2"), file: Self.file, stored: stored, pairs: [btc])
        #expect(
            withFile.record
                == PortfolioSettingsRecord(
                    botID: "portfolio", riskTolerance: 0.8, minConfidence: 0.6,
                    tradeSize: .fractionOfHolding(decimal("0.2")), checkIntervalSeconds: 2, cacheTTLSeconds: 2,
                    volatilityWindow: 4, historyKeep: 100, updatedAt: 1_000))
        #expect(withFile.settings.riskTolerance == 0.8)
        #expect(withFile.pairs.map(\.symbol.description) == ["BTC/USD", "ETH/USD", "XRP/USD"])
        #expect(withFile.settings.enabledPairs.map(\.symbol.description) == ["BTC/USD", "ETH/USD"])
    }

    @Test("--add-pair adds a new pair, switches a disabled one on keeping its priority, leaves an enabled one")
    func addPairChanges() throws {
        let stored = [
            TradingPairSetting(symbol: Self.symbol("ETH/USD"), priority: 90, isEnabled: false),
            TradingPairSetting(symbol: Self.symbol("BTC/USD"), priority: 100),
        ]
        let plan = try Self.plan(try Self.request(pairs: ["BTC-USD", "ETH-USD", "SOL-USD"]), pairs: stored)
        #expect(
            plan.pairChanges == [
                .unchanged(TradingPairSetting(symbol: Self.symbol("BTC/USD"), priority: 100)),
                .enabled(TradingPairSetting(symbol: Self.symbol("ETH/USD"), priority: 90)),
                .added(TradingPairSetting(symbol: Self.symbol("SOL/USD"), priority: 100)),
            ])
        #expect(plan.upserts.map(\.symbol.description) == ["ETH/USD", "SOL/USD"])
        #expect(plan.pairs.map(\.symbol.description) == ["BTC/USD", "SOL/USD", "ETH/USD"])
    }

    @Test("a pair trading the same two assets as a stored one is refused with the reason")
    func reversedPairRefused() throws {
        let stored = [TradingPairSetting(symbol: Self.symbol("BTC/USD"), priority: 100)]
        let error = #expect(throws: CLIError.self) {
            _ = try Self.plan(try Self.request(pairs: ["USD-BTC"]), pairs: stored)
        }
        #expect(error?.description.contains("trades the same two assets as an earlier pair") == true)
    }

    @Test("the newest stored order's sequence is where the bot's client order ids continue")
    func lastSequence() throws {
        let order = try Order(
            clientOrderID: ClientOrderID(botID: "portfolio", sequence: 71), symbol: Self.symbol("BTC/USD"),
            side: .buy, type: .market, quantity: decimal("1"), price: nil, stopPrice: nil, createdAt: 0, tag: nil)
        #expect(RunbotAssembly.lastSequence([order], botID: "portfolio") == 71)
        #expect(RunbotAssembly.lastSequence([], botID: "portfolio") == 0)
    }
}
