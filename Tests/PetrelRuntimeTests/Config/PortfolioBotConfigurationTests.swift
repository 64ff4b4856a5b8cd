import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot configs (seed 000)")
struct PortfolioBotConfigurationTests {
    let example = ConfigTesting.portfolio
    static let minimal = JSONEdit(
        #"""
        {"bot_type": "portfolio", "broker": {"type": "paper", "initial_balance": 500},
         "trade_size_percentage": 0.25, "trading_pairs": [{"pair_symbol": "BTC-USD"}]}
        """#)

    @Test("the example portfolio bot parses into every field")
    func parsesTheExample() throws {
        let bot = try ConfigTesting.portfolioBot(example)
        #expect(bot.description == "Seed 000's portfolio bot: rotate holdings between BTC, ETH and XRP on Uphold")
        #expect(bot.broker.type == .uphold)
        #expect(bot.broker.token?.name == "UPHOLD_TOKEN")
        #expect(bot.broker.initialBalance == 1_000)
        #expect(bot.riskTolerance == 0.5)
        #expect(bot.minConfidence == 0.7)
        #expect(bot.tradeSize == .fraction(0.1))
        #expect(bot.checkIntervalSeconds == 5)
        #expect(bot.cacheTTLSeconds == 3)
        #expect(bot.volatilityWindow == 10)
        #expect(bot.tradeHistoryRetention == 100)
        let pairs = try ["BTC-USD", "ETH-USD", "XRP-USD"].map { try Symbol(parsing: $0) }
        #expect(
            bot.tradingPairs == [
                .init(symbol: pairs[0], priority: 100, isEnabled: true),
                .init(symbol: pairs[1], priority: 90, isEnabled: true),
                .init(symbol: pairs[2], priority: 50, isEnabled: false),
            ])
        #expect(bot.enabledPairs.map(\.symbol) == [pairs[0], pairs[1]])
        #expect(bot.notifications?.activeChannels.map(\.name) == ["telegram"])
        #expect(bot.logging?.saveEquityCurve == false)
        #expect(bot.secrets.map(\.reference.name) == ["UPHOLD_TOKEN", "TELEGRAM_BOT_TOKEN"])
        #expect(try ConfigTesting.definition(example.text).botType == .portfolio)
    }

    @Test("left-out settings take seed 000's defaults")
    func defaults() throws {
        let bot = try ConfigTesting.portfolioBot(Self.minimal)
        #expect(bot.riskTolerance == 0.5)
        #expect(bot.minConfidence == 0.7)
        #expect(bot.checkIntervalSeconds == 5)
        #expect(bot.cacheTTLSeconds == 3)
        #expect(bot.volatilityWindow == 10)
        #expect(bot.tradeHistoryRetention == 100)
        #expect(bot.tradingPairs.first?.priority == 100)
        #expect(bot.tradingPairs.first?.isEnabled == true)
        #expect(bot.notifications == nil)
        #expect(bot.secrets.isEmpty)
    }

    @Test("a fixed trade amount is an exact decimal")
    func tradeAmount() throws {
        let edit = Self.minimal.removing("trade_size_percentage")
        #expect(
            try ConfigTesting.portfolioBot(edit.setting("trade_size_amount", #""25.12345678""#)).tradeSize
                == .amount(try FixedPoint(parsing: "25.12345678")))
        #expect(
            try ConfigTesting.portfolioBot(edit.setting("trade_size_amount", "0.1")).tradeSize
                == .amount(try FixedPoint(parsing: "0.1")))
    }

    @Test(
        "every portfolio setting is accepted at both ends of its range",
        arguments: [
            ("risk_tolerance", "0"), ("risk_tolerance", "1"), ("min_confidence", "0"), ("min_confidence", "1"),
            ("trade_size_percentage", "0.01"), ("trade_size_percentage", "1"), ("check_interval_seconds", "1"),
            ("check_interval_seconds", "300"), ("cache_ttl_seconds", "1"), ("cache_ttl_seconds", "60"),
            ("volatility_window", "2"), ("volatility_window", "1000"), ("trade_history_retention", "0"),
            ("trade_history_retention", "1000000"), ("trading_pairs.0.priority", "0"),
            ("trading_pairs.0.priority", "1000"),
        ])
    func acceptedEdges(path: String, json: String) throws {
        let bot = try ConfigTesting.portfolioBot(Self.minimal.setting(path, json))
        let read: String
        switch path {
        case "risk_tolerance": read = "\(bot.riskTolerance)"
        case "min_confidence": read = "\(bot.minConfidence)"
        case "trade_size_percentage": read = bot.tradeSize == .fraction(Double(json)!) ? "\(Double(json)!)" : "?"
        case "check_interval_seconds": read = "\(bot.checkIntervalSeconds)"
        case "cache_ttl_seconds": read = "\(bot.cacheTTLSeconds)"
        case "volatility_window": read = "\(bot.volatilityWindow)"
        case "trade_history_retention": read = "\(bot.tradeHistoryRetention)"
        default: read = "\(bot.tradingPairs[0].priority)"
        }
        #expect(Double(read) == Double(json))
    }

    @Test(
        "every portfolio setting past its range is refused with its path, value and range",
        arguments: [
            ("risk_tolerance", "-0.01", "-0.01 is out of range (expected a number from 0 to 1)"),
            ("risk_tolerance", "1.01", "1.01 is out of range (expected a number from 0 to 1)"),
            ("min_confidence", "1.5", "1.5 is out of range (expected a number from 0 to 1)"),
            ("trade_size_percentage", "0.009", "0.009 is out of range (expected a number from 0.01 to 1)"),
            ("trade_size_percentage", "1.01", "1.01 is out of range (expected a number from 0.01 to 1)"),
            ("check_interval_seconds", "0", "0 is out of range (expected an integer from 1 to 300)"),
            ("check_interval_seconds", "301", "301 is out of range (expected an integer from 1 to 300)"),
            ("check_interval_seconds", "2.5", "2.5 is not an integer (expected an integer from 1 to 300)"),
            ("cache_ttl_seconds", "0", "0 is out of range (expected an integer from 1 to 60)"),
            ("cache_ttl_seconds", "61", "61 is out of range (expected an integer from 1 to 60)"),
            ("volatility_window", "1", "1 is out of range (expected an integer from 2 to 1000)"),
            ("volatility_window", "1001", "1001 is out of range (expected an integer from 2 to 1000)"),
            ("trade_history_retention", "-1", "-1 is out of range (expected an integer from 0 to 1000000)"),
            ("trading_pairs.0.priority", "-1", "-1 is out of range (expected an integer from 0 to 1000)"),
            ("trading_pairs.0.priority", "1001", "1001 is out of range (expected an integer from 0 to 1000)"),
            ("trading_pairs.0.is_enabled", "1", "1 is not true or false"),
        ])
    func refusedEdges(path: String, json: String, message: String) {
        let jsonPath = "$." + path.replacingOccurrences(of: ".0.", with: "[0].")
        #expect(ConfigTesting.problems(Self.minimal.setting(path, json)) == ["\(jsonPath): \(message)"])
    }

    @Test("the trade size is exactly one of a fixed amount and a fraction")
    func tradeSizeIsExactlyOne() {
        #expect(
            ConfigTesting.problems(Self.minimal.setting("trade_size_amount", "10")) == [
                "$.trade_size_amount: conflicts with $.trade_size_percentage: set exactly one (a fixed amount or a fraction of the holding)"
            ])
        #expect(
            ConfigTesting.problems(Self.minimal.removing("trade_size_percentage")) == [
                "$: trade_size_amount (a fixed amount per trade) or trade_size_percentage (0.01 to 1 of the holding) is required"
            ])
        #expect(
            ConfigTesting.problems(Self.minimal.removing("trade_size_percentage").setting("trade_size_amount", "0"))
                == [
                    "$.trade_size_amount: 0 is out of range (expected a number from 0.00000001 to 10000000000)"
                ])
    }

    @Test(
        "trading pairs must be a non-empty list of distinct spot pairs with at least one enabled",
        arguments: [
            (
                nil,
                "$.trading_pairs: is missing (an array of {\"pair_symbol\": \"BTC-USD\", \"priority\": 100, \"is_enabled\": true} is required)"
            ),
            (
                "{}",
                "$.trading_pairs: an object is not an array of {\"pair_symbol\": \"BTC-USD\", \"priority\": 100, \"is_enabled\": true}"
            ),
            ("[]", "$.trading_pairs: is empty (a portfolio bot needs at least one pair)"),
            (
                #"["BTC-USD"]"#,
                "$.trading_pairs[0]: 'BTC-USD' is not an object (expected {\"pair_symbol\": \"BTC-USD\", …})"
            ),
            (
                #"[{"pair_symbol": "BTC-USD"}, {"pair_symbol": "ETH-USD"}, {"pair_symbol": "BTC/USD"}]"#,
                "$.trading_pairs[2].pair_symbol: 'BTC/USD' repeats $.trading_pairs[0].pair_symbol (list each pair once)"
            ),
            (
                #"[{"pair_symbol": "BTC-USDT-SWAP"}]"#,
                "$.trading_pairs[0].pair_symbol: 'BTC/USDT:SWAP' is a perpetual swap; a portfolio bot trades spot pairs"
            ),
            (
                #"[{"pair_symbol": "BTC-USD", "is_enabled": false}]"#,
                "$.trading_pairs: no pair is enabled (a portfolio bot needs at least one with \"is_enabled\": true)"
            ),
            (#"[{"priority": 5}]"#, "$.trading_pairs[0].pair_symbol: is missing (a string is required)"),
            (
                #"[{"pair_symbol": "BTC"}]"#,
                "$.trading_pairs[0].pair_symbol: 'BTC' is not a symbol (expected BASE/QUOTE such as BTC/USDT, BTC-USDT, BTC-USDT-SWAP or BTCUSDT)"
            ),
            (
                #"[{"pair_symbol": "BTC-USD", "is_enable": true}]"#,
                "$.trading_pairs[0].is_enable: unknown key (did you mean 'is_enabled'?); allowed keys: pair_symbol, priority, is_enabled"
            ),
        ] as [(String?, String)])
    func pairProblems(pairs: String?, problem: String) {
        #expect(ConfigTesting.problems(Self.minimal.setting("trading_pairs", pairs)) == [problem])
    }

    @Test("seed 000 spellings and strategy-bot keys are explained, not just refused")
    func foreignKeys() {
        let problems = ConfigTesting.problems(
            Self.minimal.setting("check_interval", "5").setting("min_confidence_score", "0.7").setting(
                "is_active", "true"
            )
            .setting("strategy", "{}"))
        let allowed =
            "allowed keys: bot_type, description, version, broker, risk_tolerance, min_confidence, trade_size_amount, trade_size_percentage, check_interval_seconds, cache_ttl_seconds, volatility_window, trading_pairs, trade_history_retention, notifications, logging"
        #expect(
            problems == [
                "$.check_interval: unknown key (write check_interval_seconds); \(allowed)",
                "$.is_active: unknown key (whether a bot runs is its lifecycle state, not part of its file); \(allowed)",
                "$.min_confidence_score: unknown key (seed 000's admin name; write min_confidence); \(allowed)",
                "$.strategy: unknown key (a strategy bot key, but this file has \"bot_type\": \"portfolio\"); \(allowed)",
            ])
    }

    @Test("a portfolio bot may use any broker, uphold included, with its credentials")
    func brokers() throws {
        #expect(
            ConfigTesting.problems(example.removing("broker.token")) == [
                "$.broker: a live 'uphold' broker needs credentials: \"account\" (a stored exchange account) or token as ${ENV_VAR} references"
            ])
        let account = try ConfigTesting.portfolioBot(
            example.removing("broker.token").setting("broker.account", #""uphold-main""#))
        #expect(account.broker.account == "uphold-main")
        let binance = try ConfigTesting.portfolioBot(
            example.setting("broker", #"{"type": "binance_paper", "initial_balance": 100}"#))
        #expect(binance.broker.type == .binancePaper)
    }

    @Test("a portfolio file is not a strategy bot for the backtester, and the other way round")
    func wrongKind() throws {
        do {
            _ = try BotConfiguration.parse(Data(example.text.utf8), source: "p.json")
            Issue.record("accepted")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "$.bot_type: 'portfolio' bots are not strategy bots: this command needs \"bot_type\": \"strategy\" (or no bot_type)"
                ])
        }
        #expect(throws: ConfigError.self) {
            try PortfolioBotConfiguration.parse(Data(ConfigFixtures.strategyExample.utf8), source: "0001.json")
        }
        #expect(try PortfolioBotConfiguration.parse(Data(example.text.utf8), source: "p.json").tradingPairs.count == 3)
    }
}
