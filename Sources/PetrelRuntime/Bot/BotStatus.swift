import PetrelCore

/// Seed 002's `get_status()`: the data feed, the broker, positions and the last signal.
public struct BotStatus: Sendable, Hashable, Codable {
    /// The data feed.
    public struct Feed: Sendable, Hashable, Codable {
        /// Venue or source name (`replay`, `simulated`, `binance`).
        public var source: String
        public var symbol: Symbol
        public var interval: String
        /// Whether candles are arriving (not disconnected).
        public var connected: Bool
        /// Candles seen so far (warm-up and live).
        public var dataPoints: Int
        /// Open time of the last candle, Unix ms.
        public var lastCandleTime: Int64?
        public var lastPrice: Price?
    }

    /// The broker.
    public struct Broker: Sendable, Hashable, Codable {
        /// The config's broker type.
        public var type: String
        /// Whether orders may go out (reconciled, not blocked).
        public var connected: Bool
        /// Why orders are blocked, if they are.
        public var blockedReason: String?
        /// Cash in the quote asset, as the bot's books show it.
        public var cash: Money
        public var equity: Money
        public var quoteAsset: String
    }

    /// One open position.
    public struct OpenPosition: Sendable, Hashable, Codable {
        public var symbol: Symbol
        public var quantity: Quantity
        public var averagePrice: Price
        public var lastPrice: Price
        public var unrealizedPnL: Money
    }

    /// The last acted-on signal.
    public struct LastSignal: Sendable, Hashable, Codable {
        /// `enter_long`, `exit_long`, …
        public var action: String
        public var reasoning: String
        public var timestamp: Int64
    }

    public var botID: String
    public var lifecycle: BotLifecycle
    public var tradingState: TradingState
    public var paused: Bool
    public var mode: BotMode
    public var feed: Feed
    public var broker: Broker
    public var positions: [OpenPosition]
    public var openOrders: Int
    public var lastSignal: LastSignal?
    public var lastSkip: String?
    public var closedTrades: Int
    public var realizedPnL: Money
    public var lastError: String?
    /// Unix ms when this status was taken.
    public var updatedAt: Int64
}
