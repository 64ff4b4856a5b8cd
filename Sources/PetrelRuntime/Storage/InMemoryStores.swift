import PetrelCore

/// ``BotRepository`` in memory: the reference implementation for tests and benchmarks.
///
/// ``delete(_:)`` also clears the bot's entries in the journal and equity store given at creation, as the
/// SQL repository deletes every row under the bot id. (In-memory order stores and trade histories are one
/// instance per bot; whoever deletes the bot drops them.)
public actor InMemoryBotRepository: BotRepository {
    var bots: [String: BotRecord] = [:]
    var stored: [String: [Symbol: PositionRecord]] = [:]
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

    public func save(_ bot: BotRecord) throws(StorageError) { bots[bot.id] = bot }

    public func bot(_ id: String) throws(StorageError) -> BotRecord? { bots[id] }

    public func allBots() throws(StorageError) -> [BotRecord] { bots.values.sorted { $0.id < $1.id } }

    public func updateLifecycle(
        _ id: String, to lifecycle: BotLifecycle, error: String?, restartCount: Int?, at: Int64
    ) throws(StorageError) {
        guard var bot = bots[id] else { throw .notFound("bot \(id)") }
        bot.lifecycle = lifecycle
        if let error { bot.lastError = error } else if lifecycle == .running { bot.lastError = nil }
        if let restartCount { bot.restartCount = restartCount }
        bot.updatedAt = at
        bots[id] = bot
    }

    public func updateTradingState(_ id: String, to state: TradingState, reason: String?, at: Int64)
        throws(StorageError)
    {
        guard var bot = bots[id] else { throw .notFound("bot \(id)") }
        bot.tradingState = state
        bot.stateReason = reason
        bot.updatedAt = at
        bots[id] = bot
    }

    public func savePositions(_ positions: [PositionRecord], bot: String) throws(StorageError) {
        stored[bot] = Dictionary(
            positions.filter { !$0.quantity.isZero }.map { ($0.symbol, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func positions(bot: String) throws(StorageError) -> [PositionRecord] {
        (stored[bot] ?? [:]).values.sorted { $0.symbol < $1.symbol }
    }

    public func delete(_ id: String) async throws(StorageError) {
        bots[id] = nil
        stored[id] = nil
        try await journal?.reset(bot: id)
        await equity?.remove(bot: id)
    }
}

/// ``BotJournal`` in memory.
public actor InMemoryBotJournal: BotJournal {
    var journals: [String: [BotJournalEntry]] = [:]

    public init() {}

    public func append(_ entries: [BotJournalEntry], bot: String, expectedCount: Int) throws(StorageError) {
        let count = journals[bot]?.count ?? 0
        guard count == expectedCount else {
            throw .conflict("journal of bot \(bot) has \(count) entries, the writer expected \(expectedCount)")
        }
        journals[bot, default: []] += entries
    }

    public func entries(bot: String) throws(StorageError) -> [BotJournalEntry] { journals[bot] ?? [] }

    public func count(bot: String) throws(StorageError) -> Int { journals[bot]?.count ?? 0 }

    public func lastCandleTime(bot: String) throws(StorageError) -> Int64? {
        journals[bot]?.last { $0.candle != nil }?.candle?.timestamp
    }

    public func reset(bot: String) throws(StorageError) { journals[bot] = nil }
}

/// ``EquityStore`` in memory.
public actor InMemoryEquityStore: EquityStore {
    var series: [String: [Int64: EquitySnapshot]] = [:]

    public init() {}

    public func append(_ snapshots: [EquitySnapshot]) throws(StorageError) {
        for snapshot in snapshots { series[snapshot.botID, default: [:]][snapshot.timestamp] = snapshot }
    }

    /// Forgets the bot's snapshots (its deletion).
    func remove(bot: String) { series[bot] = nil }

    public func snapshots(bot: String, from: Int64?, limit: Int) throws(StorageError) -> [EquitySnapshot] {
        let all = (series[bot] ?? [:]).values.sorted { $0.timestamp < $1.timestamp }
        guard let from else { return Array(all.suffix(max(0, limit))) }
        return Array(all.filter { $0.timestamp >= from }.prefix(max(0, limit)))
    }
}

/// ``PriceSnapshotStore`` in memory: each symbol's snapshots in timestamp order (equal timestamps in
/// append order), so "newest" means the latest time, as in SQL.
public actor InMemoryPriceSnapshotStore: PriceSnapshotStore {
    var series: [Symbol: [PriceSnapshot]] = [:]

    public init() {}

    /// - Complexity: O(1) for a snapshot no older than the symbol's last one.
    public func append(_ snapshots: [PriceSnapshot]) throws(StorageError) {
        for snapshot in snapshots {
            var list = series[snapshot.symbol, default: []]
            series[snapshot.symbol] = nil
            var index = list.endIndex
            while index > list.startIndex, list[index - 1].timestamp > snapshot.timestamp { index -= 1 }
            list.insert(snapshot, at: index)
            series[snapshot.symbol] = list
        }
    }

    public func recent(symbol: Symbol, limit: Int) throws(StorageError) -> [PriceSnapshot] {
        Array((series[symbol] ?? []).suffix(max(0, limit)))
    }
}

/// ``PaperAccountStore`` in memory.
public actor InMemoryPaperAccountStore: PaperAccountStore {
    var accounts: [String: [UInt8]] = [:]

    public init() {}

    public func save(_ state: [UInt8], account: String) throws(StorageError) { accounts[account] = state }

    public func load(account: String) throws(StorageError) -> [UInt8]? { accounts[account] }
}
