import PetrelCore

/// Seed 000's portfolio bot (`"bot_type": "portfolio"`): it watches a set of trading pairs, scores
/// every trade its holdings allow and executes the best one when confidence and risk allow.
public struct PortfolioBotConfiguration: Sendable, Hashable {
    /// How much one trade moves.
    public enum TradeSize: Sendable, Hashable {
        /// A fixed amount per trade (`trade_size_amount`), in the quote asset of the traded pair.
        case amount(Money)
        /// A fraction of the holding being traded (`trade_size_percentage`, 0.01 to 1).
        case fraction(Double)
    }

    /// One pair the bot watches (seed 000's `TradingPair`).
    public struct TradingPair: Sendable, Hashable {
        /// `pair_symbol`, e.g. `BTC-USD`.
        public var symbol: Symbol
        /// 0 to 1000; higher pairs are checked first and more often.
        public var priority: Int
        /// Whether the bot trades the pair (`is_enabled`).
        public var isEnabled: Bool

        /// A pair with its priority and switch.
        public init(symbol: Symbol, priority: Int = 100, isEnabled: Bool = true) {
            self.symbol = symbol
            self.priority = priority
            self.isEnabled = isEnabled
        }
    }

    /// Free text.
    public var description: String?
    /// Free text.
    public var version: String?
    /// Where orders go (`uphold` allowed).
    public var broker: BotConfiguration.Broker
    /// Highest risk score a trade may have (0 conservative … 1 aggressive).
    public var riskTolerance: Double
    /// Lowest confidence a trade needs (0 … 1).
    public var minConfidence: Double
    /// `trade_size_amount` or `trade_size_percentage`.
    public var tradeSize: TradeSize
    /// Seconds between decisions (1 … 300).
    public var checkIntervalSeconds: Int
    /// Seconds a fetched price stays fresh (1 … 60).
    public var cacheTTLSeconds: Int
    /// Price samples in the volatility estimate (2 … 1000).
    public var volatilityWindow: Int
    /// Every pair in file order, enabled or not.
    public var tradingPairs: [TradingPair]
    /// Trade-history rows kept; 0 keeps all.
    public var tradeHistoryRetention: Int
    /// Who hears about what.
    public var notifications: BotConfiguration.Notifications?
    /// Log level and files.
    public var logging: BotConfiguration.Logging?
    /// Every `${ENV_VAR}` the file refers to, with its path.
    public var secrets: [ConfigSecret]

    /// Seed 000's default `risk_tolerance`.
    public static let defaultRiskTolerance = 0.5
    /// Seed 000's default `min_confidence`.
    public static let defaultMinConfidence = 0.7
    /// Seed 000's default check interval, in seconds.
    public static let defaultCheckIntervalSeconds = 5
    /// Seed 000's default price-cache lifetime, in seconds.
    public static let defaultCacheTTLSeconds = 3
    /// Seed 000's volatility window.
    public static let defaultVolatilityWindow = 10
    /// Seed 000's trade-history retention.
    public static let defaultTradeHistoryRetention = 100

    /// The enabled pairs, highest priority first (ties in file order).
    public var enabledPairs: [TradingPair] {
        tradingPairs.enumerated().filter(\.element.isEnabled)
            .sorted { ($0.element.priority, -$0.offset) > ($1.element.priority, -$1.offset) }.map(\.element)
    }
}
