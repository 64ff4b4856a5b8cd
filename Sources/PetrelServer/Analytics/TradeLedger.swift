import PetrelPersistence
import PetrelRuntime
import Synchronization

/// Each bot's closed trades and open positions, found by replaying its stored journal on a fresh kernel
/// (``JournalReplay``): the same trades the bot made, whether it runs now or not. A replay is kept until
/// the journal grows, so polling the analytics of an idle bot costs one count query.
final class TradeLedger: Sendable {
    let database: PetrelDatabase
    let loader: AssemblyLoader
    private let cache = Mutex<[String: (entries: Int, outcome: JournalReplay.Outcome)]>([:])

    init(database: PetrelDatabase, loader: AssemblyLoader) {
        self.database = database
        self.loader = loader
    }

    /// The bot's replayed journal.
    /// - Throws: ``APIError`` (409) when the bot's config can no longer be built (for example its data
    ///   file is gone), or a storage error.
    func outcome(bot id: String) async throws -> JournalReplay.Outcome {
        try await replay(bot: id).outcome
    }

    /// The bot's assembly (its config, market and channels) and its replayed journal.
    /// - Throws: as ``outcome(bot:)``.
    func replay(bot id: String) async throws -> (assembly: BotAssembly, outcome: JournalReplay.Outcome) {
        let assembly: BotAssembly
        do {
            assembly = try await loader.assembly(id)
        } catch let error as FleetError {
            throw error
        } catch {
            throw APIError.conflict("bot '\(id)' cannot be replayed for its trades: \(error)")
        }
        let count = try await database.journal.count(bot: id)
        if let cached = cache.withLock({ $0[id] }), cached.entries == count { return (assembly, cached.outcome) }
        let outcome = try await assembly.replayJournal(database: database)
        cache.withLock { $0[id] = (count, outcome) }
        return (assembly, outcome)
    }

    /// Forgets a bot's replay (its config or state changed).
    func forget(_ id: String) {
        _ = cache.withLock { $0.removeValue(forKey: id) }
    }
}
