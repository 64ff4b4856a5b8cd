import PetrelCore

/// One input of a bot's kernel, in the order it was applied.
///
/// The kernel is deterministic, so its whole state (cash, positions, protective orders, daily
/// counters, indicator state, order sequence) is rebuilt after a restart by applying the journal
/// again (see `docs/runtime.md`). Entries are appended after the kernel applied them and before
/// the orders they caused are sent.
public enum BotJournalEntry: Sendable, Hashable, Codable {
    /// The candle of a `candle` or `warmUp` entry.
    public var candle: Candle? {
        switch self {
        case .candle(let candle), .warmUp(let candle): return candle
        case .accepted, .fill, .closed, .halt, .paused: return nil
        }
    }

    /// A closed candle: `beginBar`, `handleCandle`, `endOfBar`.
    case candle(Candle)
    /// A history candle that warms the strategy up; nothing is traded on it.
    case warmUp(Candle)
    /// The operator paused (`true`) or resumed (`false`) new entries.
    case paused(Bool, timestamp: Int64)
    /// The venue acknowledged an order.
    case accepted(ClientOrderID, venueOrderID: String?, timestamp: Int64)
    /// A fill was applied. Boxed: a fill is 128 bytes, and inline it made every entry (mostly
    /// candles, 48 bytes) that large in memory.
    indirect case fill(Fill)
    /// An order reached a terminal status (or was refused before it was sent).
    case closed(ClientOrderID, status: OrderStatus, reason: String?, timestamp: Int64)
    /// The operator's kill switch or emergency stop.
    case halt(reason: String, timestamp: Int64)
}

/// The journal of kernel inputs behind a port (the `bot_journal` table).
public protocol BotJournal: Sendable {
    /// Appends entries after the bot's last one, in one transaction.
    /// - Parameters:
    ///   - entries: the inputs, in the order they were applied.
    ///   - bot: the bot's id.
    ///   - expectedCount: how many entries the writer believes are stored; a different number means
    ///     another writer appended (two processes running one bot) and nothing is written.
    /// - Throws: ``StorageError/conflict(_:)`` when `expectedCount` is wrong.
    func append(_ entries: [BotJournalEntry], bot: String, expectedCount: Int) async throws(StorageError)
    /// Every entry of the bot, oldest first.
    func entries(bot: String) async throws(StorageError) -> [BotJournalEntry]
    /// Number of stored entries.
    func count(bot: String) async throws(StorageError) -> Int
    /// Open time of the newest stored candle (`candle` or `warmUp`), or `nil`: where a restarted
    /// bot's market resumes, without reading the whole journal.
    func lastCandleTime(bot: String) async throws(StorageError) -> Int64?
    /// Deletes the bot's journal (a bot started afresh).
    func reset(bot: String) async throws(StorageError)
}

/// A bot's equity at one bar's close (the `equity_snapshots` table and the equity-curve CSV).
public struct EquitySnapshot: Sendable, Hashable, Codable {
    public var botID: String
    /// Unix ms (the bar's close).
    public var timestamp: Int64
    public var equity: Money
    public var cash: Money
    /// Fraction below the peak, 0…1.
    public var drawdown: Double

    public init(botID: String, timestamp: Int64, equity: Money, cash: Money, drawdown: Double) {
        self.botID = botID
        self.timestamp = timestamp
        self.equity = equity
        self.cash = cash
        self.drawdown = drawdown
    }
}

/// Equity snapshots behind a port.
public protocol EquityStore: Sendable {
    /// Appends snapshots (a snapshot for an already stored bot and timestamp replaces it).
    func append(_ snapshots: [EquitySnapshot]) async throws(StorageError)
    /// The bot's snapshots in time order, from `from` (Unix ms, inclusive), at most `limit` (the newest
    /// ones when `from` is `nil`).
    func snapshots(bot: String, from: Int64?, limit: Int) async throws(StorageError) -> [EquitySnapshot]
}

/// Seed 000's `PriceSnapshot` rows: a pair's price at a time.
public struct PriceSnapshot: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var price: Price
    /// Unix ms.
    public var timestamp: Int64

    public init(symbol: Symbol, price: Price, timestamp: Int64) {
        self.symbol = symbol
        self.price = price
        self.timestamp = timestamp
    }
}

/// The `price_snapshots` table behind a port.
public protocol PriceSnapshotStore: Sendable {
    func append(_ snapshots: [PriceSnapshot]) async throws(StorageError)
    /// The symbol's newest snapshots, oldest first, at most `limit`.
    func recent(symbol: Symbol, limit: Int) async throws(StorageError) -> [PriceSnapshot]
}

/// Where a paper exchange keeps its whole state (balances, orders, fills, last quotes) between
/// restarts: an opaque JSON document per paper account.
public protocol PaperAccountStore: Sendable {
    /// Replaces the account's stored state.
    func save(_ state: [UInt8], account: String) async throws(StorageError)
    /// The stored state, or `nil` for a new account.
    func load(account: String) async throws(StorageError) -> [UInt8]?
}
