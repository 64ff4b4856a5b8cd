import PetrelCore

/// Seed 002's bot configuration file (`0001.json`): broker, trading, data, strategy,
/// notifications, risk management and logging (`"bot_type": "strategy"`, the default).
public struct BotConfiguration: Sendable, Hashable {
    /// Where orders go. `uphold` serves portfolio bots only.
    public enum BrokerType: String, Sendable, Hashable, CaseIterable {
        case binancePaper = "binance_paper", binance, okx, ibkr, mock, paper, uphold

        /// The broker types a strategy bot accepts (every type but `uphold`).
        public static let strategyTypes: [BrokerType] = allCases.filter { $0 != .uphold }

        /// Whether orders reach a real venue with real money (as opposed to a simulation).
        public var isLive: Bool {
            switch self {
            case .binance, .okx, .ibkr, .uphold: return true
            case .binancePaper, .mock, .paper: return false
            }
        }
    }

    /// Where candles come from.
    public enum DataSource: String, Sendable, Hashable, CaseIterable {
        case binance, yahoo, ibkr, okx, replay, simulated

        /// Whether the source is a venue reached over the network (so `base_url`/`ws_url` apply).
        public var isNetwork: Bool { self != .replay && self != .simulated }
    }

    /// How fast a `replay` source plays its file.
    public enum ReplaySpeed: Sendable, Hashable {
        /// A multiple of real time (`1` = candles arrive at their real pace).
        case multiple(Double)
        /// As fast as the bot consumes them (`"max"`).
        case unlimited
    }

    /// The `broker` section.
    public struct Broker: Sendable, Hashable {
        /// Which broker (paper or live venue).
        public var type: BrokerType
        /// The paper balance, and the reference capital of performance figures for live brokers.
        public var initialBalance: Money
        /// Fee rate per fill (0.001 = 0.1 %).
        public var commission: Double
        /// REST endpoint override (testnets, local fakes).
        public var baseURL: String?
        /// WebSocket endpoint override.
        public var wsURL: String?
        /// A stored exchange account whose encrypted keys the bot uses.
        public var account: String?
        /// The venue API key, by reference.
        public var apiKey: SecretReference?
        /// The venue API secret, by reference.
        public var apiSecret: SecretReference?
        /// OKX's API passphrase.
        public var passphrase: SecretReference?
        /// Uphold's bearer (personal access) token.
        public var token: SecretReference?
        /// OKX demo trading (`x-simulated-trading: 1`; needs a demo API key).
        public var demo = false
        /// OKX swaps: leverage set before the first order (`nil`: the account's setting).
        public var leverage: Int?
        /// OKX swaps: `cross` (default) or `isolated` margin.
        public var marginMode: String?
    }

    /// The `trading` section.
    public struct Trading: Sendable, Hashable {
        /// The instrument traded.
        public var symbol: Symbol
        /// Fraction of capital per position (0.1 = 10 %).
        public var positionSize: Double
        /// Concurrent open positions allowed.
        public var maxPositions: Int
        /// Drawdown from the equity peak, in percent, that halts the bot.
        public var maxDrawdownPct: Double?
        /// Gross position value / equity allowed (1 = 100 %).
        public var maxExposure: Double?
        /// How entries are sized (`sizing`): a fraction of equity by default.
        public var sizing: Sizing = .percent
        /// Seed 003's `trade_amount` in the quote asset, for `fixed` and `compounding`.
        public var tradeAmount: Money?
    }

    /// `trading.sizing`.
    public enum Sizing: String, Sendable, Hashable, CaseIterable {
        /// `position_size` of equity per entry.
        case percent
        /// `trade_amount` per entry.
        case fixed
        /// Seed 003: the first entry uses `trade_amount`, every later one all available cash.
        case compounding
    }

    /// The kernel's sizing for this config.
    public var positionSizing: PositionSizing {
        switch trading.sizing {
        case .percent: return .percentOfEquity(effectivePositionSize)
        case .fixed: return .fixedAmount(trading.tradeAmount ?? .zero)
        case .compounding: return .compounding(initialAmount: trading.tradeAmount ?? .zero)
        }
    }

    /// The `data` section.
    public struct DataSettings: Sendable, Hashable {
        /// Where candles come from.
        public var dataSource: DataSource
        /// The instrument, the same as the trading section's.
        public var symbol: Symbol
        /// Candle length.
        public var interval: Timeframe
        /// Warm-up candles loaded before trading starts.
        public var lookbackBars: Int
        /// Seconds between reconnection attempts.
        public var retryInterval: Int
        /// The candle file a `replay` source plays.
        public var file: String?
        /// REST endpoint override of a network source.
        public var baseURL: String?
        /// WebSocket endpoint override of a network source.
        public var wsURL: String?
        /// Replay pace (`replay` only; default real time).
        public var speed: ReplaySpeed?
    }

    /// A rule selection: `{"name": "RSIBBEntryMixin", "params": {...}}`.
    public struct RuleSelection: Sendable, Hashable {
        /// The rule, e.g. `RSIBBEntryMixin`.
        public var name: String
        /// The values the file sets; the rest take their defaults.
        public var params: [String: ParameterValue]

        /// A rule by name with parameters (tests, the API).
        public init(name: String, params: [String: ParameterValue] = [:]) {
            self.name = name
            self.params = params
        }
    }

    /// The `strategy` section.
    public struct StrategySettings: Sendable, Hashable {
        /// `custom` (entry + exit rules) or the name of a built-in strategy.
        public var type: String
        /// The entry rule of a `custom` strategy.
        public var entryLogic: RuleSelection?
        /// The exit rule of a `custom` strategy.
        public var exitLogic: RuleSelection?
        /// Parameters of a named strategy.
        public var params: [String: ParameterValue]
        /// Overrides the trading section's position size.
        public var positionSize: Double?
        /// The key that named the strategy (`type` or `name`), so messages point at what the file says.
        public var typeKey = "type"

        /// Settings for a strategy from its parts (tests, the API).
        public init(
            type: String, entryLogic: RuleSelection? = nil, exitLogic: RuleSelection? = nil,
            params: [String: ParameterValue] = [:], positionSize: Double? = nil
        ) {
            self.type = type
            self.entryLogic = entryLogic
            self.exitLogic = exitLogic
            self.params = params
            self.positionSize = positionSize
        }
    }

    /// Free text.
    public var description: String?
    /// Free text (`"1.0"`).
    public var version: String?
    /// Where orders go.
    public var broker: Broker
    /// What is traded and how much.
    public var trading: Trading
    /// Where candles come from.
    public var data: DataSettings
    /// The rules or the named strategy.
    public var strategy: StrategySettings
    /// Who hears about what.
    public var notifications: Notifications?
    /// `risk_management` joined with the trading section's limits.
    public var risk: RiskSettings
    /// Log level and files.
    public var logging: Logging?
    /// Every `${ENV_VAR}` the file refers to, with its path.
    public var secrets: [ConfigSecret]

    /// Notification events a channel may subscribe to.
    public static let notificationEvents = [
        "trade_entry", "trade_exit", "error", "status", "daily_summary", "summary_6h", "high_loss", "api_failure",
        "risk_warning",
    ]

    /// The position size actually used: the strategy's if given, else the trading section's.
    public var effectivePositionSize: Double { strategy.positionSize ?? trading.positionSize }
}
