import PetrelPersistence
import PetrelRuntime
import Synchronization

/// The `bots` table with every row also kept in memory: reads (every bot list, every ownership check)
/// never touch the database, and every write goes to the database first and then to memory, so the two
/// never disagree. The server must be the only writer of its bots; `petrel bot run` on the same data
/// directory while the server runs is not supported.
public final class CachedBotRepository: BotRepository {
    let stored: FluentBotRepository
    private let rows = Mutex<[String: BotRecord]?>(nil)

    init(_ stored: FluentBotRepository) {
        self.stored = stored
    }

    public func save(_ bot: BotRecord) async throws(StorageError) {
        try await stored.save(bot)
        try await refresh(bot.id)
    }

    public func bot(_ id: String) async throws(StorageError) -> BotRecord? {
        try await loaded()[id]
    }

    public func allBots() async throws(StorageError) -> [BotRecord] {
        try await loaded().values.sorted { $0.id < $1.id }
    }

    public func updateLifecycle(_ id: String, to lifecycle: BotLifecycle, error: String?, restartCount: Int?, at: Int64)
        async throws(StorageError)
    {
        try await stored.updateLifecycle(id, to: lifecycle, error: error, restartCount: restartCount, at: at)
        try await refresh(id)
    }

    public func updateTradingState(_ id: String, to state: TradingState, reason: String?, at: Int64)
        async throws(StorageError)
    {
        try await stored.updateTradingState(id, to: state, reason: reason, at: at)
        try await refresh(id)
    }

    public func savePositions(_ positions: [PositionRecord], bot: String) async throws(StorageError) {
        try await stored.savePositions(positions, bot: bot)
    }

    public func positions(bot: String) async throws(StorageError) -> [PositionRecord] {
        try await stored.positions(bot: bot)
    }

    public func delete(_ id: String) async throws(StorageError) {
        try await stored.delete(id)
        _ = rows.withLock { $0?.removeValue(forKey: id) }
    }

    /// Every row, read from the database the first time.
    private func loaded() async throws(StorageError) -> [String: BotRecord] {
        if let rows = rows.withLock({ $0 }) { return rows }
        let all = try await stored.allBots()
        return rows.withLock { current in
            if let current { return current }
            let table = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
            current = table
            return table
        }
    }

    /// Re-reads one row after a write (the database decides what a write leaves behind).
    private func refresh(_ id: String) async throws(StorageError) {
        _ = try await loaded()
        let row = try await stored.bot(id)
        rows.withLock { table in table?[id] = row }
    }
}
