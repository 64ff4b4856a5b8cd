import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Bot configuration files (seed 002)")
struct BotConfigurationTests {
    /// Seed 002's `0001.json` exactly as the seed writes it, with its `{...}` parameter
    /// placeholders replaced by the parameters the seed lists under "Strategy Configuration".
    static let seedConfiguration = """
        {
            "description": "Strategy description",
            "version": "1.0",
            
            "broker": {
                "type": "binance_paper",
                "initial_balance": 1000.0,
                "commission": 0.001
            },
            
            "trading": {
                "symbol": "BTCUSDT",
                "position_size": 0.1,
                "max_positions": 1,
                "max_drawdown_pct": 20.0,
                "max_exposure": 1.0
            },
            
            "data": {
                "data_source": "binance",
                "symbol": "BTCUSDT",
                "interval": "1h",
                "lookback_bars": 1000,
                "retry_interval": 60
            },
            
            "strategy": {
                "type": "custom",
                "entry_logic": {
                    "name": "RSIBBVolumeEntryMixin",
                    "params": {
                        "e_rsi_period": 14,
                        "e_rsi_oversold": 30,
                        "e_bb_period": 20,
                        "e_bb_dev": 2.0
                    }
                },
                "exit_logic": {
                    "name": "RSIBBExitMixin",
                    "params": {
                        "x_rsi_period": 14,
                        "x_rsi_overbought": 70
                    }
                },
                "position_size": 0.1
            },
            
            "notifications": {
                "enabled": true,
                "telegram": {
                    "enabled": true,
                    "notify_on": ["trade_entry", "trade_exit", "error", "status"]
                },
                "email": {
                    "enabled": false,
                    "notify_on": ["trade_entry", "trade_exit", "error"]
                }
            },
            
            "risk_management": {
                "stop_loss_pct": 5.0,
                "take_profit_pct": 10.0,
                "trailing_stop": {
                    "enabled": false,
                    "activation_pct": 3.0,
                    "trailing_pct": 2.0
                },
                "max_daily_trades": 10,
                "max_daily_loss": 50.0
            },
            
            "logging": {
                "level": "INFO",
                "save_trades": true,
                "save_equity_curve": true,
                "log_file": "logs/live/trading_bot_0001.log"
            }
        }
        """

    static func parse(_ text: String) throws(ConfigError) -> BotConfiguration {
        try BotConfiguration.parse(Data(text.utf8), source: "0001.json")
    }

    /// Every issue of a configuration that must fail, as `path: message` lines.
    static func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try parse(text)
            Issue.record("the configuration was accepted")
            return []
        } catch {
            #expect(error.source == "0001.json")
            return error.issues
        }
    }

    @Test("the seed's own configuration parses into every section's values")
    func seedConfigurationParses() throws {
        let configuration = try Self.parse(Self.seedConfiguration)
        let btc = try Symbol(parsing: "BTC/USDT")
        #expect(configuration.description == "Strategy description")
        #expect(configuration.version == "1.0")
        #expect(configuration.broker.type == .binancePaper)
        #expect(configuration.broker.initialBalance == decimal("1000"))
        #expect(configuration.broker.commission == 0.001)
        #expect(configuration.trading.symbol == btc)
        #expect(configuration.trading.positionSize == 0.1)
        #expect(configuration.trading.maxPositions == 1)
        #expect(configuration.trading.maxDrawdownPct == 20)
        #expect(configuration.trading.maxExposure == 1)
        #expect(configuration.data.dataSource == .binance)
        #expect(configuration.data.symbol == btc)
        #expect(configuration.data.interval == .h1)
        #expect(configuration.data.lookbackBars == 1_000)
        #expect(configuration.data.retryInterval == 60)
        #expect(configuration.strategy.type == "custom")
        #expect(configuration.strategy.entryLogic?.name == "RSIBBVolumeEntryMixin")
        #expect(
            configuration.strategy.entryLogic?.params == [
                "e_rsi_period": .integer(14), "e_rsi_oversold": .integer(30), "e_bb_period": .integer(20),
                "e_bb_dev": .integer(2),
            ])
        #expect(configuration.strategy.exitLogic?.name == "RSIBBExitMixin")
        #expect(
            configuration.strategy.exitLogic?.params == [
                "x_rsi_period": .integer(14), "x_rsi_overbought": .integer(70),
            ])
        #expect(configuration.effectivePositionSize == 0.1)
        #expect(configuration.notifications?.enabled == true)
        #expect(configuration.notifications?.telegram?.enabled == true)
        #expect(configuration.notifications?.telegram?.notifyOn == ["trade_entry", "trade_exit", "error", "status"])
        #expect(configuration.notifications?.email?.enabled == false)
        #expect(configuration.notifications?.email?.notifyOn == ["trade_entry", "trade_exit", "error"])
        // The trading section's limits join the risk section's.
        #expect(
            configuration.risk
                == RiskSettings(
                    stopLossPct: 5, takeProfitPct: 10, trailingStop: nil, maxDailyTrades: 10,
                    maxDailyLoss: decimal("50"),
                    maxDrawdownPct: 20, maxPositions: 1, maxExposure: 1))
        #expect(configuration.logging?.level == "INFO")
        #expect(configuration.logging?.saveTrades == true)
        #expect(configuration.logging?.saveEquityCurve == true)
        #expect(configuration.logging?.logFile == "logs/live/trading_bot_0001.log")
    }

    @Test("an enabled trailing stop is read; it then needs both of its percentages")
    func trailingStop() throws {
        let enabled = Self.seedConfiguration.replacingOccurrences(
            of: "\"enabled\": false,\n            \"activation_pct\"",
            with: "\"enabled\": true,\n            \"activation_pct\"")
        #expect(
            try Self.parse(enabled).risk.trailingStop == RiskSettings.TrailingStop(activationPct: 3, trailingPct: 2))
        let incomplete = enabled.replacingOccurrences(of: "\"trailing_pct\": 2.0", with: "\"unused\": 1")
        #expect(
            Self.issues(incomplete).map(\.path) == [
                "$.risk_management.trailing_stop.unused", "$.risk_management.trailing_stop.trailing_pct",
            ])
    }

    @Test("seed 003's sizing: a fixed trade amount, or the first trade fixed and then compounding")
    func sizing() throws {
        let seed = try Self.parse(Self.seedConfiguration)
        #expect(seed.trading.sizing == .percent)
        #expect(seed.positionSizing == .percentOfEquity(0.1))

        let compounding = ConfigTesting.strategy.setting("trading.sizing", "\"compounding\"")
            .setting("trading.trade_amount", "100")
        let bot = try ConfigTesting.strategyBot(compounding)
        #expect(bot.positionSizing == .compounding(initialAmount: decimal("100")))
        let fixed = try ConfigTesting.strategyBot(
            ConfigTesting.strategy.setting("trading.sizing", "\"fixed\"").setting("trading.trade_amount", "\"25.5\""))
        #expect(fixed.positionSizing == .fixedAmount(decimal("25.5")))

        let missing = ConfigTesting.problems(ConfigTesting.strategy.setting("trading.sizing", "\"fixed\""))
        #expect(missing.count == 1)
        #expect(missing.first?.hasPrefix("$.trading.trade_amount: is missing: sizing 'fixed' needs") == true)
        let misspelt = ConfigTesting.problems(ConfigTesting.strategy.setting("trading.sizing", "\"compoundng\""))
        #expect(misspelt.count == 1)
        #expect(misspelt.first?.contains("did you mean 'compounding'") == true)
        #expect(misspelt.first?.contains("expected one of percent, fixed, compounding") == true)
        let unused = ConfigTesting.problems(ConfigTesting.strategy.setting("trading.trade_amount", "100"))
        #expect(unused.count == 1)
        #expect(
            unused.first?.hasPrefix("$.trading.trade_amount: only used with sizing 'fixed' or 'compounding'") == true)
        let negative = ConfigTesting.problems(compounding.setting("trading.trade_amount", "-5"))
        #expect(negative.count == 1)
        #expect(negative.first?.hasPrefix("$.trading.trade_amount:") == true)
    }

    @Test("a broken configuration reports every problem at once, each with its JSON path")
    func everyProblemAtOnce() {
        let broken = """
            {
                "version": "1.0",
                "broker": {"type": "binance_papr", "initial_balance": 1000.0, "commision": 0.001},
                "trading": {"symbol": "BTCUSDT", "max_positions": 0, "max_drawdown_pct": 150.0, "max_exposure": 1.0},
                "data": {"data_source": "binance", "symbol": "BTCUSDT", "interval": "1h", "lookback_bars": "1000"},
                "strategy": {
                    "type": "custom",
                    "entry_logic": {"name": "RSIBBEntryMixin", "params": {"e_rsi_period": 14}},
                    "exit_logic": {"name": "RSIBBExitMixin", "params": {"x_rsi_period": [14]}},
                    "position_size": 1.5
                },
                "notifications": {
                    "enabled": "yes",
                    "telegram": {"enabled": true, "notify_on": ["trade_entyr", "trade_exit", 5]},
                    "email": {"enabled": false, "notify_on": "error"}
                },
                "risk_management": {"stop_loss_pct": 5.0, "take_profit_pct": -1, "max_daily_trade": 10},
                "logging": {"level": "VERBOSE"},
                "risk_managment": {}
            }
            """
        let issues = Self.issues(broken)
        #expect(
            issues.map(\.path) == [
                "$.risk_managment",
                "$.broker.commision",
                "$.broker.type",
                "$.trading.position_size",
                "$.trading.max_positions",
                "$.trading.max_drawdown_pct",
                "$.data.lookback_bars",
                "$.strategy.position_size",
                "$.strategy.exit_logic.params.x_rsi_period",
                "$.notifications.enabled",
                "$.notifications.telegram.notify_on[0]",
                "$.notifications.telegram.notify_on[2]",
                "$.notifications.email.notify_on",
                "$.logging.level",
                "$.risk_management.max_daily_trade",
                "$.risk_management.take_profit_pct",
            ])
        let messages = Dictionary(issues.map { ($0.path, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(
            messages["$.broker.type"]
                == "'binance_papr' is not allowed (did you mean 'binance_paper'?); expected one of binance_paper, binance, okx, ibkr, mock, paper"
        )
        #expect(
            messages["$.broker.commision"]
                == "unknown key (did you mean 'commission'?); allowed keys: type, initial_balance, commission, base_url, ws_url, account, api_key, api_secret, passphrase, token, demo, leverage, margin_mode"
        )
        #expect(messages["$.risk_managment"]?.hasPrefix("unknown key (did you mean 'risk_management'?)") == true)
        #expect(messages["$.trading.position_size"] == "is missing (a number from 0.0001 to 1 is required)")
        #expect(messages["$.trading.max_positions"] == "0 is out of range (expected an integer from 1 to 1000)")
        #expect(messages["$.trading.max_drawdown_pct"] == "150 is out of range (expected a number from 0.01 to 100)")
        #expect(messages["$.data.lookback_bars"] == "'1000' is not an integer (expected an integer from 1 to 100000)")
        #expect(messages["$.strategy.position_size"] == "1.5 is out of range (expected a number from 0.0001 to 1)")
        #expect(messages["$.strategy.exit_logic.params.x_rsi_period"] == "an array is not a number, boolean or string")
        #expect(messages["$.notifications.enabled"] == "'yes' is not true or false")
        #expect(
            messages["$.notifications.telegram.notify_on[0]"]
                == "'trade_entyr' is not an event (did you mean 'trade_entry'?); expected one of trade_entry, trade_exit, error, status, daily_summary, summary_6h, high_loss, api_failure, risk_warning"
        )
        #expect(
            messages["$.notifications.telegram.notify_on[2]"]?.hasPrefix("5 is not an event; expected one of") == true)
        #expect(messages["$.notifications.email.notify_on"] == "'error' is not an array of event names")
        #expect(
            messages["$.risk_management.max_daily_trade"]?.hasPrefix("unknown key (did you mean 'max_daily_trades'?)")
                == true)
        #expect(
            messages["$.risk_management.take_profit_pct"] == "-1 is out of range (expected a number from 0.01 to 10000)"
        )
        #expect(
            messages["$.logging.level"]
                == "'VERBOSE' is not allowed; expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    }

    @Test("the error text starts with the file and the number of problems, one line each")
    func errorDescription() {
        do {
            _ = try Self.parse(#"{"broker": {"type": "mock", "initial_balance": 100}}"#)
            Issue.record("accepted")
        } catch {
            #expect(
                error.description == """
                    0001.json: 3 problems
                      $.trading: is missing (an object is required)
                      $.data: is missing (an object is required)
                      $.strategy: is missing (an object is required)
                    """)
        }
    }

    @Test("text that is not a JSON object is refused at the root")
    func notAnObject() {
        #expect(Self.issues("{").map(\.path) == ["$"])
        #expect(Self.issues("{").first?.message.hasPrefix("not valid JSON") == true)
        #expect(Self.issues("[1, 2]").map(\.description) == ["$: an array is not an object"])
    }

    @Test("the data section must trade the same symbol as the trading section")
    func symbolsAgree() {
        let mismatched = Self.seedConfiguration.replacingOccurrences(
            of: "\"data_source\": \"binance\",\n        \"symbol\": \"BTCUSDT\"",
            with: "\"data_source\": \"binance\",\n        \"symbol\": \"ETHUSDT\"")
        #expect(
            Self.issues(mismatched).map(\.description) == [
                "$.data.symbol: 'ETHUSDT' differs from $.trading.symbol 'BTCUSDT'"
            ])
    }

    @Test("OKX's demo, leverage and margin mode: read for an okx swap; refused elsewhere, out of range or on spot")
    func okxBrokerOptions() throws {
        func config(_ broker: String, symbol: String) -> String {
            """
            {"broker": {\(broker), "initial_balance": 1000},
             "trading": {"symbol": "\(symbol)", "position_size": 0.1},
             "data": {"data_source": "okx", "symbol": "\(symbol)", "interval": "1h"},
             "strategy": {"type": "rsi_bb"}}
            """
        }
        let keys = #""type": "okx", "api_key": "${K}", "api_secret": "${S}", "passphrase": "${P}""#
        let swap = try Self.parse(
            config(keys + #", "demo": true, "leverage": 5, "margin_mode": "isolated""#, symbol: "BTC-USDT-SWAP"))
        #expect(swap.broker.demo && swap.broker.leverage == 5 && swap.broker.marginMode == "isolated")
        #expect(try Self.parse(config(keys, symbol: "BTC-USDT-SWAP")).broker.leverage == nil)
        #expect(
            Self.issues(config(keys + #", "leverage": 200, "margin_mode": "portfolio""#, symbol: "BTC-USDT-SWAP"))
                .map(\.description) == [
                    "$.broker.leverage: 200 is out of range (expected an integer from 1 to 125)",
                    "$.broker.margin_mode: 'portfolio' is not allowed; expected one of cross, isolated",
                ])
        #expect(
            Self.issues(config(keys + #", "leverage": 3"#, symbol: "BTC-USDT")).map(\.description) == [
                #"$.broker.leverage: applies to perpetual swaps only ("symbol": "BTC-USDT-SWAP"); 'BTCUSDT' is spot"#
            ])
        #expect(
            Self.issues(config(#""type": "paper", "demo": true"#, symbol: "BTC-USDT")).map(\.description) == [
                "$.broker.demo: is only used by the 'okx' broker, not 'paper'"
            ])
    }

    @Test("wrong value types are named with the value and the type expected")
    func wrongTypes() {
        let text = """
            {"broker": {"type": 3, "initial_balance": "lots"},
             "trading": {"symbol": "BTC", "position_size": "0.1"},
             "data": {"data_source": "binance", "symbol": "BTCUSDT", "interval": "2m"},
             "strategy": "rsi_bb"}
            """
        let issues = Self.issues(text)
        #expect(
            issues.map(\.description) == [
                "$.broker.type: 3 is not a string",
                "$.broker.initial_balance: 'lots' is not a decimal from 0.00000001 to 10000000000",
                "$.trading.symbol: \(SymbolError.unrecognised("BTC").description)",
                "$.trading.position_size: '0.1' is not a number (expected a number from 0.0001 to 1)",
                "$.data.interval: '2m' is not allowed (did you mean '1m'?); expected one of \(Timeframe.allowedValues)",
                "$.strategy: 'rsi_bb' is not an object",
            ])
    }

    @Test("a strategy parameter too large for an integer is kept as a number instead of crashing the parser")
    func hugeParameter() throws {
        let text = Self.seedConfiguration.replacingOccurrences(
            of: "\"e_rsi_period\": 14", with: "\"e_rsi_period\": 1e30")
        let configuration = try Self.parse(text)
        #expect(configuration.strategy.entryLogic?.params["e_rsi_period"] == .number(1e30))
        // The rule's schema then refuses it like any out-of-range value.
        let schema = ParameterSchema([.integer("e_rsi_period", default: 14, range: 2...200, "RSI period")])
        #expect(throws: ParameterError.self) { try schema.resolve(["e_rsi_period": .number(1e30)]) }
    }

    @Test("a named strategy carries its own parameters")
    func namedStrategy() throws {
        let text = Self.seedConfiguration.replacing(
            #/"strategy": \{.*?"position_size": 0.1\n    \}/#.dotMatchesNewlines(),
            with:
                #""strategy": {"type": "ma_crossover", "params": {"fast_period": 10, "ma_type": "sma", "bb_dev": 1.5}}"#
        )
        #expect(text != Self.seedConfiguration)
        let configuration = try Self.parse(text)
        #expect(configuration.strategy.type == "ma_crossover")
        #expect(configuration.strategy.entryLogic == nil)
        let expected: [String: ParameterValue] = [
            "fast_period": .integer(10), "ma_type": .text("sma"), "bb_dev": .number(1.5),
        ]
        #expect(configuration.strategy.params == expected)
        #expect(configuration.effectivePositionSize == 0.1)
    }
}
