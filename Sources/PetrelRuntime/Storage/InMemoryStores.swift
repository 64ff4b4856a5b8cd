import PetrelCore
import Synchronization

// The in-memory stores are shared by every bot of a process and written on each bot's hot path
// (every candle appends to the journal and the equity store and saves the paper account). As actors,
// a bot that found one busy on the other core was queued behind every other runnable task of the
// process before it could go on (milliseconds with 1,000 bots); a lock held for a dictionary update
// costs nanoseconds. The methods stay `async` for the ports and run on the caller's executor
// (`nonisolated(nonsending)`), so calling them never hops.

/// ``BotRepository`` in memory: the reference implementation for tests and benchmarks.
///
/// ``delete(_:)`` also clears the bot's entries in the journal and equity store given at creation, as the
/// SQL repository deletes every row under the bot id. (In-memory order stores and trade histories are one
/// instance per bot; whoever deletes the bot drops them.)
public final class InMemoryBotRepository: BotRepository {
    struct State {
        var bots: [String: BotRecord] = [:]
        var stored: [String: [Symbol: PositionRecord]] = [:]
    }

    let state = Mutex(State())
    let journal: InMemoryBotJournal?
    let equity: InMemoryEquityStore?

    /// Creates an empty repository.
    /// - Parameters:
    ///   - journal: the journal whose entries ``delete(_:)`` removes with the bot.
    ///   - equity: the equity store whose snapshots ``delete(_:)`` removes with the bot.
    public init(journal: InMemoryBotJournal? = nil, equity: InMemoryEquityStore? = nil) {
        self.journal = journal
        self.equity = equity
    }

    nonisolated(nonsending) public func save(_ bot: BotRecord) async throws(StorageError) {
        state.withLock { $0.bots[bot.id] = bot }
    }

    nonisolated(nonsending) public func bot(_ id: String) async throws(StorageError) -> BotRecord? {
        state.withLock { $0.bots[id] }
    }

    nonisolated(nonsending) public func allBots() async throws(StorageError) -> [BotRecord] {
        state.withLock { $0.bots.values.sorted { $0.id < $1.id } }
    }

    nonisolated(nonsending) public func updateLifecycle(
        _ id: String, to lifecycle: BotLifecycle, error: String?, restartCount: Int?, at: Int64
    ) async throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            guard var bot = state.bots[id] else { throw .notFound("bot \(id)") }
            bot.lifecycle = lifecycle
            if let error { bot.lastError = error } else if lifecycle == .running { bot.lastError = nil }
            if let restartCount { bot.restartCount = restartCount }
            bot.updatedAt = at
            state.bots[id] = bot
        }
    }

    nonisolated(nonsending) public func updateTradingState(
        _ id: String, to tradingState: TradingState, reason: String?, at: Int64
    ) async throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            guard var bot = state.bots[id] else { throw .notFound("bot \(id)") }
            bot.tradingState = tradingState
            bot.stateReason = reason
            bot.updatedAt = at
            state.bots[id] = bot
        }
    }

    nonisolated(nonsending) public func savePositions(_ positions: [PositionRecord], bot: String)
        async throws(StorageError)
    {
        let kept = Dictionary(
            positions.filter { !$0.quantity.isZero }.map { ($0.symbol, $0) }, uniquingKeysWith: { _, last in last })
        state.withLock { $0.stored[bot] = kept }
    }

    nonisolated(nonsending) public func positions(bot: String) async throws(StorageError) -> [PositionRecord] {
        state.withLock { ($0.stored[bot] ?? [:]).values.sorted { $0.symbol < $1.symbol } }
    }

    nonisolated(nonsending) public func delete(_ id: String) async throws(StorageError) {
        state.withLock { state in
            state.bots[id] = nil
            state.stored[id] = nil
        }
        try await journal?.reset(bot: id)
        await equity?.remove(bot: id)
    }
}

/// ``BotJournal`` in memory.
public final class InMemoryBotJournal: BotJournal {
    let journals = Mutex<[String: [BotJournalEntry]]>([:])

    public init() {}

    nonisolated(nonsending) public func append(_ entries: [BotJournalEntry], bot: String, expectedCount: Int)
        async throws(StorageError)
    {
        try journals.withLock { (journals) throws(StorageError) in
            let count = journals[bot]?.count ?? 0
            guard count == expectedCount else {
                throw .conflict("journal of bot \(bot) has \(count) entries, the writer expected \(expectedCount)")
            }
            journals[bot, default: []] += entries
        }
    }

    nonisolated(nonsending) public func entries(bot: String) async throws(StorageError) -> [BotJournalEntry] {
        journals.withLock { $0[bot] ?? [] }
    }

    nonisolated(nonsending) public func count(bot: String) async throws(StorageError) -> Int {
        journals.withLock { $0[bot]?.count ?? 0 }
    }

    nonisolated(nonsending) public func lastCandleTime(bot: String) async throws(StorageError) -> Int64? {
        journals.withLock { $0[bot]?.last { $0.candle != nil }?.candle?.timestamp }
    }

    nonisolated(nonsending) public func reset(bot: String) async throws(StorageError) {
        journals.withLock { $0[bot] = nil }
    }
}

/// ``EquityStore`` in memory: each bot's snapshots in timestamp order, without the bot id repeated
/// in every one (32 bytes a snapshot: a live bot appends one per candle, for as long as it runs).
public final class InMemoryEquityStore: EquityStore {
    struct Point {
        var timestamp: Int64
        var equity: Money
        var cash: Money
        var drawdown: Double
    }

    let series = Mutex<[String: [Point]]>([:])

    public init() {}

    /// - Complexity: O(1) for a snapshot newer than the bot's last one.
    nonisolated(nonsending) public func append(_ snapshots: [EquitySnapshot]) async throws(StorageError) {
        series.withLock { series in
            for snapshot in snapshots {
                let point = Point(
                    timestamp: snapshot.timestamp, equity: snapshot.equity, cash: snapshot.cash,
                    drawdown: snapshot.drawdown)
                series[snapshot.botID, default: []].insertOrReplace(point)
            }
        }
    }

    /// Forgets the bot's snapshots (its deletion).
    nonisolated(nonsending) func remove(bot: String) async { series.withLock { $0[bot] = nil } }

    nonisolated(nonsending) public func snapshots(bot: String, from: Int64?, limit: Int)
        async throws(StorageError) -> [EquitySnapshot]
    {
        let points = series.withLock { series -> ArraySlice<Point> in
            let all = series[bot] ?? []
            guard let from else { return all.suffix(max(0, limit)) }
            return all[all.partitioningIndex(before: from)...].prefix(max(0, limit))
        }
        return points.map {
            EquitySnapshot(botID: bot, timestamp: $0.timestamp, equity: $0.equity, cash: $0.cash, drawdown: $0.drawdown)
        }
    }
}

extension [InMemoryEquityStore.Point] {
    /// The index of the first point at or after `timestamp`.
    func partitioningIndex(before timestamp: Int64) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Appends a point, or puts it in its place; one with the same timestamp replaces the stored one.
    mutating func insertOrReplace(_ point: InMemoryEquityStore.Point) {
        if let last, last.timestamp < point.timestamp {
            append(point)
            return
        }
        let index = partitioningIndex(before: point.timestamp)
        if index < endIndex, self[index].timestamp == point.timestamp {
            self[index] = point
        } else {
            insert(point, at: index)
        }
    }
}

/// ``PriceSnapshotStore`` in memory: each symbol's snapshots in timestamp order (equal timestamps in
/// append order), so "newest" means the latest time, as in SQL.
public final class InMemoryPriceSnapshotStore: PriceSnapshotStore {
    let series = Mutex<[Symbol: [PriceSnapshot]]>([:])

    public init() {}

    /// - Complexity: O(1) for a snapshot no older than the symbol's last one.
    nonisolated(nonsending) public func append(_ snapshots: [PriceSnapshot]) async throws(StorageError) {
        series.withLock { series in
            for snapshot in snapshots {
                var list = series[snapshot.symbol, default: []]
                series[snapshot.symbol] = nil
                var index = list.endIndex
                while index > list.startIndex, list[index - 1].timestamp > snapshot.timestamp { index -= 1 }
                list.insert(snapshot, at: index)
                series[snapshot.symbol] = list
            }
        }
    }

    nonisolated(nonsending) public func recent(symbol: Symbol, limit: Int) async throws(StorageError)
        -> [PriceSnapshot]
    {
        series.withLock { Array(($0[symbol] ?? []).suffix(max(0, limit))) }
    }
}

/// ``PaperAccountStore`` in memory.
public final class InMemoryPaperAccountStore: PaperAccountStore {
    let accounts = Mutex<[String: [UInt8]]>([:])

    public init() {}

    nonisolated(nonsending) public func save(_ state: [UInt8], account: String) async throws(StorageError) {
        accounts.withLock { $0[account] = state }
    }

    nonisolated(nonsending) public func load(account: String) async throws(StorageError) -> [UInt8]? {
        accounts.withLock { $0[account] }
    }
}
