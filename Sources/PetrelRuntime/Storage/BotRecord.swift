import PetrelCore

/// Where a bot is in its life (DESIGN §3): `stopped → starting → reconciling → running ⇄ paused →
/// stopping → stopped`, plus `crashed` (the supervisor restarts it with capped back-off).
public enum BotLifecycle: String, Sendable, Hashable, Codable, CaseIterable {
    case stopped
    case starting
    case reconciling
    case running
    case paused
    case stopping
    case crashed

    /// Whether the bot's task is alive in this state.
    public var isActive: Bool {
        switch self {
        case .starting, .reconciling, .running, .paused, .stopping: return true
        case .stopped, .crashed: return false
        }
    }
}

/// How a bot trades.
public enum BotMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Simulated fills against live or replayed quotes (`paper`, `binance_paper`, `mock` brokers).
    case paper
    /// Real orders at a venue.
    case live
    /// Decisions are made and logged, nothing is sent (`--dry-run`).
    case dryRun = "dry_run"
}

/// One bot as stored: its configuration and its persisted state.
public struct BotRecord: Sendable, Hashable, Codable {
    /// The bot's id: part of every client order id, the key of its orders, journal and logs.
    public var id: String
    /// A human name (seed 002's config has none; defaults to the id).
    public var name: String
    /// The bot configuration JSON exactly as given (validated before it is stored).
    public var configuration: String
    public var mode: BotMode
    public var lifecycle: BotLifecycle
    public var tradingState: TradingState
    /// Why the trading state is what it is (a limit, an operator), or `nil`.
    public var stateReason: String?
    /// The last crash or start failure, or `nil`.
    public var lastError: String?
    /// Restarts after crashes since the bot was last started by a user.
    public var restartCount: Int
    /// Unix ms.
    public var createdAt: Int64
    /// Unix ms of the last change.
    public var updatedAt: Int64
    /// The user who owns the bot (a server user's id), or `nil` for a bot started from the command line,
    /// which only administrators see through the API.
    public var ownerID: Int64?
    /// The factor its position sizes are scaled by (a tracked symbol's risk multiplier), fixed when the bot
    /// starts without stored state and kept until its state is reset, so a restart rebuilds the same
    /// books; `nil` until then (1).
    public var sizingMultiplier: Double?

    public init(
        id: String, name: String? = nil, configuration: String, mode: BotMode, lifecycle: BotLifecycle = .stopped,
        tradingState: TradingState = .active, stateReason: String? = nil, lastError: String? = nil,
        restartCount: Int = 0, createdAt: Int64, updatedAt: Int64? = nil, ownerID: Int64? = nil,
        sizingMultiplier: Double? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.configuration = configuration
        self.mode = mode
        self.lifecycle = lifecycle
        self.tradingState = tradingState
        self.stateReason = stateReason
        self.lastError = lastError
        self.restartCount = restartCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.ownerID = ownerID
        self.sizingMultiplier = sizingMultiplier
    }
}

/// A bot's open position as last stored (for status pages; the journal is the source of truth).
public struct PositionRecord: Sendable, Hashable, Codable {
    public var botID: String
    public var symbol: Symbol
    /// Signed: negative is short.
    public var quantity: Quantity
    public var averagePrice: Price
    public var realizedPnL: Money
    /// Unix ms.
    public var updatedAt: Int64

    public init(
        botID: String, symbol: Symbol, quantity: Quantity, averagePrice: Price, realizedPnL: Money, updatedAt: Int64
    ) {
        self.botID = botID
        self.symbol = symbol
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.realizedPnL = realizedPnL
        self.updatedAt = updatedAt
    }
}

/// The `bots` and `positions` tables behind a port.
public protocol BotRepository: Sendable {
    /// Inserts the bot or replaces the stored one with the same id.
    func save(_ bot: BotRecord) async throws(StorageError)
    /// One bot, or `nil`.
    func bot(_ id: String) async throws(StorageError) -> BotRecord?
    /// Every bot, ordered by id.
    func allBots() async throws(StorageError) -> [BotRecord]
    /// Stores a lifecycle change (and the error that caused it, if any; `nil` keeps the last one
    /// unless the new state is `running`, which clears it).
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown bot.
    func updateLifecycle(_ id: String, to lifecycle: BotLifecycle, error: String?, restartCount: Int?, at: Int64)
        async throws(StorageError)
    /// Stores a trading-state change with its reason.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown bot.
    func updateTradingState(_ id: String, to state: TradingState, reason: String?, at: Int64) async throws(StorageError)
    /// Replaces the bot's stored positions (flat ones are removed).
    func savePositions(_ positions: [PositionRecord], bot: String) async throws(StorageError)
    /// The bot's stored positions, by symbol.
    func positions(bot: String) async throws(StorageError) -> [PositionRecord]
    /// Deletes the bot and everything stored under its id (orders, fills, journal, snapshots).
    func delete(_ id: String) async throws(StorageError)
}
