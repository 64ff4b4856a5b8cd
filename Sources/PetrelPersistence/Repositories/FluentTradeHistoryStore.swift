import FluentKit
import PetrelRuntime

/// ``TradeHistoryStore`` for one bot on the `trade_history` table (rows with its `bot_id`).
///
/// Ids come from the table's auto-increment key, so they grow with each append across all bots; "newest"
/// is the highest id of the bot.
public struct FluentTradeHistoryStore: TradeHistoryStore {
    let database: PetrelDatabase
    /// The bot whose history this store holds.
    public let botID: String

    /// Stores a new record and assigns its id.
    /// - Throws: ``TradeHistoryError/alreadyStored(id:)``, ``TradeHistoryError/storage(_:)`` (also for a NaN score).
    public func append(_ record: TradeHistoryRecord) async throws(TradeHistoryError) -> TradeHistoryRecord {
        if let id = record.id { throw .alreadyStored(id: id) }
        let bot = botID
        let id = try await database.write("appending a trade of bot \(bot)", as: Self.error) { tx -> Int64 in
            // A new row per attempt: a retried transaction must not reuse a model Fluent saw as saved.
            let row = try TradeHistoryModel(record, bot: bot)
            try await row.create(on: tx)
            guard let id = row.id else { throw DatabaseFailure("the database assigned no id") }
            return id
        }
        var stored = record
        stored.id = id
        return stored
    }

    /// Moves a PENDING record to EXECUTED or FAILED.
    /// - Throws: ``TradeHistoryError/notFound(id:)`` (also for another bot's record),
    ///   ``TradeHistoryError/invalidTransition(id:from:to:)``, ``TradeHistoryError/storage(_:)``.
    public func updateStatus(id: Int64, to status: TradeStatus) async throws(TradeHistoryError) -> TradeHistoryRecord {
        let bot = botID
        return try await database.write("updating trade \(id) of bot \(bot)", as: Self.error) { tx in
            guard
                let stored = try await TradeHistoryModel.query(on: tx).filter(\.$botID == bot).filter(\.$id == id)
                    .first()
            else { throw TradeHistoryError.notFound(id: id) }
            var record = try stored.record()
            guard record.status == .pending, status != .pending else {
                throw TradeHistoryError.invalidTransition(id: id, from: record.status, to: status)
            }
            stored.status = status.rawValue
            try await stored.update(on: tx)
            record.status = status
            return record
        }
    }

    /// The newest records first, at most `limit`.
    /// - Throws: ``TradeHistoryError/invalidLimit(_:)``, ``TradeHistoryError/storage(_:)``.
    public func recent(limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord] {
        guard limit >= 0 else { throw .invalidLimit(limit) }
        guard limit > 0 else { return [] }
        let bot = botID
        return try await database.read("reading the trades of bot \(bot)", as: Self.error) { db in
            try await TradeHistoryModel.query(on: db).filter(\.$botID == bot).sort(\.$id, .descending).limit(limit)
                .all().map { model throws(DatabaseFailure) in try model.record() }
        }
    }

    /// The newest records with `status` first, at most `limit`.
    /// - Throws: ``TradeHistoryError/invalidLimit(_:)``, ``TradeHistoryError/storage(_:)``.
    public func records(status: TradeStatus, limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord] {
        guard limit >= 0 else { throw .invalidLimit(limit) }
        guard limit > 0 else { return [] }
        let bot = botID
        let text = status.rawValue
        return try await database.read("reading the \(text) trades of bot \(bot)", as: Self.error) { db in
            try await TradeHistoryModel.query(on: db).filter(\.$botID == bot).filter(\.$status == text)
                .sort(\.$id, .descending).limit(limit).all().map { model throws(DatabaseFailure) in try model.record() }
        }
    }

    /// Deletes all but the bot's newest `keep` records (0 keeps all), in one transaction.
    /// - Returns: how many were deleted.
    /// - Throws: ``TradeHistoryError/invalidKeep(_:)``, ``TradeHistoryError/storage(_:)``.
    @discardableResult
    public func cleanupOldTrades(keep: Int) async throws(TradeHistoryError) -> Int {
        guard keep >= 0 else { throw .invalidKeep(keep) }
        guard keep > 0 else { return 0 }
        let bot = botID
        return try await database.write("applying retention to the trades of bot \(bot)", as: Self.error) { tx in
            // The id of the oldest record to keep: everything of the bot below it goes.
            let oldestKept = try await TradeHistoryModel.query(on: tx).filter(\.$botID == bot)
                .sort(\.$id, .descending).offset(keep - 1).limit(1).all(\.$id).first
            guard let oldestKept else { return 0 }
            let old = TradeHistoryModel.query(on: tx).filter(\.$botID == bot).filter(\.$id < oldestKept)
            let count = try await old.count()
            guard count > 0 else { return 0 }
            try await TradeHistoryModel.query(on: tx).filter(\.$botID == bot).filter(\.$id < oldestKept).delete()
            return count
        }
    }

    static func error(_ error: any Error, while what: String) -> TradeHistoryError {
        DatabaseFailure.tradeHistoryError(error, while: what)
    }
}
