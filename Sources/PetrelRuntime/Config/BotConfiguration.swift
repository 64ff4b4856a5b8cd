import PetrelCore

/// Seed 002's bot configuration file (`0001.json`): broker, trading, data, strategy,
/// notifications, risk management and logging.
public struct BotConfiguration: Sendable, Hashable {
    public enum BrokerType: String, Sendable, Hashable, CaseIterable {
        case binancePaper = "binance_paper", binance, okx, ibkr, mock, paper
    }

    public enum DataSource: String, Sendable, Hashable, CaseIterable {
        case binance, yahoo, ibkr, okx, replay, simulated
    }

    public struct Broker: Sendable, Hashable {
        public var type: BrokerType
        public var initialBalance: Money
        /// Fee rate per fill (0.001 = 0.1 %).
        public var commission: Double
    }

    public struct Trading: Sendable, Hashable {
        public var symbol: Symbol
        /// Fraction of capital per position (0.1 = 10 %).
        public var positionSize: Double
        public var maxPositions: Int
        public var maxDrawdownPct: Double?
        public var maxExposure: Double?
    }

    public struct DataSettings: Sendable, Hashable {
        public var dataSource: DataSource
        public var symbol: Symbol
        public var interval: Timeframe
        public var lookbackBars: Int
        /// Seconds between reconnection attempts.
        public var retryInterval: Int
    }

    /// A rule selection: `{"name": "RSIBBEntryMixin", "params": {...}}`.
    public struct RuleSelection: Sendable, Hashable {
        public var name: String
        public var params: [String: ParameterValue]
    }

    public struct StrategySettings: Sendable, Hashable {
        /// `custom` (entry + exit rules) or the name of a built-in strategy.
        public var type: String
        public var entryLogic: RuleSelection?
        public var exitLogic: RuleSelection?
        /// Parameters of a named strategy.
        public var params: [String: ParameterValue]
        public var positionSize: Double?
    }

    public struct Channel: Sendable, Hashable {
        public var enabled: Bool
        public var notifyOn: [String]
    }

    public struct Notifications: Sendable, Hashable {
        public var enabled: Bool
        public var telegram: Channel?
        public var email: Channel?
    }

    public struct Logging: Sendable, Hashable {
        public var level: String
        public var saveTrades: Bool
        public var saveEquityCurve: Bool
        public var logFile: String?
    }

    public var description: String?
    public var version: String?
    public var broker: Broker
    public var trading: Trading
    public var data: DataSettings
    public var strategy: StrategySettings
    public var notifications: Notifications?
    public var risk: RiskSettings
    public var logging: Logging?

    /// Notification events a channel may subscribe to.
    public static let notificationEvents = [
        "trade_entry", "trade_exit", "error", "status", "daily_summary", "summary_6h", "high_loss", "api_failure",
        "risk_warning",
    ]

    /// The position size actually used: the strategy's if given, else the trading section's.
    public var effectivePositionSize: Double { strategy.positionSize ?? trading.positionSize }
}
