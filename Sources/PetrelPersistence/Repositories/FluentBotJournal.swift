import FluentKit
import PetrelCore
import PetrelRuntime

/// ``BotJournal`` on the `bot_journal` table.
public struct FluentBotJournal: BotJournal {
    let database: PetrelDatabase

    /// Appends entries after the bot's last one, all in one transaction, numbering them on from the count.
    /// - Throws: ``StorageError/conflict(_:)`` when the stored count is not `expectedCount` (nothing is
    ///   written), ``StorageError/storage(_:)``.
    /// - Complexity: one count and one insert; both use the `(bot_id, seq)` index.
    public func append(_ entries: [BotJournalEntry], bot: String, expectedCount: Int) async throws(StorageError) {
        try await database.write("appending to the journal of bot \(bot)", as: Self.error) { tx in
            let count = try await JournalEntryModel.query(on: tx).filter(\.$botID == bot).count()
            guard count == expectedCount else {
                throw StorageError.conflict(
                    "journal of bot \(bot) has \(count) entries, the writer expected \(expectedCount)")
            }
            guard !entries.isEmpty else { return }
            var rows: [JournalEntryModel] = []
            rows.reserveCapacity(entries.count)
            for (offset, entry) in entries.enumerated() {
                rows.append(try JournalEntryModel(entry, bot: bot, seq: Int64(count + offset)))
            }
            try await rows.create(on: tx)
        }
    }

    /// Every entry of the bot, oldest first.
    /// - Throws: ``StorageError/storage(_:)``, naming the row that does not decode.
    public func entries(bot: String) async throws(StorageError) -> [BotJournalEntry] {
        try await database.read("reading the journal of bot \(bot)", as: DatabaseFailure.storageError) { db in
            try await JournalEntryModel.query(on: db).filter(\.$botID == bot).sort(\.$seq).all()
                .map { model throws(DatabaseFailure) in try model.entry() }
        }
    }

    /// Number of stored entries.
    /// - Throws: ``StorageError/storage(_:)``.
    public func count(bot: String) async throws(StorageError) -> Int {
        try await database.read("counting the journal of bot \(bot)", as: DatabaseFailure.storageError) { db in
            try await JournalEntryModel.query(on: db).filter(\.$botID == bot).count()
        }
    }

    /// Open time of the newest `candle` or `warm_up` entry.
    /// - Throws: ``StorageError/storage(_:)``.
    /// - Complexity: one row read backwards along the `(bot_id, seq)` index.
    public func lastCandleTime(bot: String) async throws(StorageError) -> Int64? {
        try await database.read("reading the last candle of bot \(bot)", as: DatabaseFailure.storageError) { db in
            let row = try await JournalEntryModel.query(on: db).filter(\.$botID == bot)
                .filter(\.$kind ~~ JournalEntryModel.candleKinds).sort(\.$seq, .descending)
                .first()
            return try row.map { model throws(DatabaseFailure) in try model.entry() }?.candle?.timestamp
        }
    }

    /// Deletes the bot's journal.
    /// - Throws: ``StorageError/storage(_:)``.
    public func reset(bot: String) async throws(StorageError) {
        try await database.write("resetting the journal of bot \(bot)", as: DatabaseFailure.storageError) { tx in
            try await JournalEntryModel.query(on: tx).filter(\.$botID == bot).delete()
        }
    }

    /// A second writer that slipped past the count (another process) breaks the `(bot_id, seq)` key: that is
    /// the same conflict as a wrong count.
    static func error(_ error: any Error, while what: String) -> StorageError {
        if DatabaseFailure.isConstraintViolation(error) {
            return .conflict("\(what): another writer appended at the same position")
        }
        return DatabaseFailure.storageError(error, while: what)
    }
}
