import FluentKit
import PetrelCore
import PetrelRuntime

/// ``BotRepository`` on the `bots` and `positions` tables.
public struct FluentBotRepository: BotRepository {
    let database: PetrelDatabase

    /// Inserts the bot or replaces the stored one with the same id.
    /// - Throws: ``StorageError/storage(_:)``.
    public func save(_ bot: BotRecord) async throws(StorageError) {
        try await database.write("saving bot \(bot.id)", as: DatabaseFailure.storageError) { tx in
            if let stored = try await BotModel.find(bot.id, on: tx) {
                stored.assign(bot)
                try await stored.update(on: tx)
            } else {
                try await BotModel(bot).create(on: tx)
            }
        }
    }

    /// One bot, or `nil`.
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    public func bot(_ id: String) async throws(StorageError) -> BotRecord? {
        try await database.read("reading bot \(id)", as: DatabaseFailure.storageError) { db in
            try await BotModel.find(id, on: db)?.record()
        }
    }

    /// Every bot, ordered by id.
    /// - Throws: ``StorageError/storage(_:)``.
    public func allBots() async throws(StorageError) -> [BotRecord] {
        try await database.read("reading the bots", as: DatabaseFailure.storageError) { db in
            try await BotModel.query(on: db).sort(\.$id).all().map { model throws(DatabaseFailure) in
                try model.record()
            }
        }
    }

    /// Stores a lifecycle change; `error` replaces the last error when given, `running` clears it.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown bot.
    public func updateLifecycle(_ id: String, to lifecycle: BotLifecycle, error: String?, restartCount: Int?, at: Int64)
        async throws(StorageError)
    {
        try await database.write("updating the lifecycle of bot \(id)", as: DatabaseFailure.storageError) { tx in
            guard let stored = try await BotModel.find(id, on: tx) else { throw StorageError.notFound("bot \(id)") }
            stored.lifecycle = lifecycle.rawValue
            if let error {
                stored.lastError = error
            } else if lifecycle == .running {
                stored.lastError = nil
            }
            if let restartCount { stored.restartCount = Int64(restartCount) }
            stored.updatedAt = at
            try await stored.update(on: tx)
        }
    }

    /// Stores a trading-state change with its reason.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown bot.
    public func updateTradingState(_ id: String, to state: TradingState, reason: String?, at: Int64)
        async throws(StorageError)
    {
        try await database.write("updating the trading state of bot \(id)", as: DatabaseFailure.storageError) { tx in
            guard let stored = try await BotModel.find(id, on: tx) else { throw StorageError.notFound("bot \(id)") }
            stored.tradingState = state.rawValue
            stored.stateReason = reason
            stored.updatedAt = at
            try await stored.update(on: tx)
        }
    }

    /// Replaces the bot's positions in one transaction; flat ones are not stored, and of two positions for
    /// one symbol the last wins.
    /// - Throws: ``StorageError/storage(_:)``.
    public func savePositions(_ positions: [PositionRecord], bot: String) async throws(StorageError) {
        var bySymbol: [Symbol: PositionRecord] = [:]
        for position in positions where !position.quantity.isZero { bySymbol[position.symbol] = position }
        let rows = bySymbol.values.sorted { $0.symbol < $1.symbol }
        try await database.write("saving the positions of bot \(bot)", as: DatabaseFailure.storageError) { tx in
            try await PositionModel.query(on: tx).filter(\.$botID == bot).delete()
            guard !rows.isEmpty else { return }
            try await rows.map { PositionModel($0, bot: bot) }.create(on: tx)
        }
    }

    /// The bot's positions, by symbol.
    /// - Throws: ``StorageError/storage(_:)``.
    public func positions(bot: String) async throws(StorageError) -> [PositionRecord] {
        try await database.read("reading the positions of bot \(bot)", as: DatabaseFailure.storageError) { db in
            try await PositionModel.query(on: db).filter(\.$botID == bot).sort(\.$symbol).all()
                .map { model throws(DatabaseFailure) in try model.record() }
        }
    }

    /// Deletes the bot and, in the same transaction, everything stored under its id: orders and their
    /// fills, journal, positions, equity snapshots, trade history and its paper account.
    /// - Throws: ``StorageError/storage(_:)``; then nothing was deleted.
    public func delete(_ id: String) async throws(StorageError) {
        try await database.write("deleting bot \(id)", as: DatabaseFailure.storageError) { tx in
            try await FillModel.query(on: tx).filter(\.$botID == id).delete()
            try await OrderModel.query(on: tx).filter(\.$botID == id).delete()
            try await JournalEntryModel.query(on: tx).filter(\.$botID == id).delete()
            try await PositionModel.query(on: tx).filter(\.$botID == id).delete()
            try await EquitySnapshotModel.query(on: tx).filter(\.$botID == id).delete()
            try await TradeHistoryModel.query(on: tx).filter(\.$botID == id).delete()
            try await PaperAccountModel.query(on: tx).filter(\.$id == id).delete()
            try await BotModel.query(on: tx).filter(\.$id == id).delete()
        }
    }
}
