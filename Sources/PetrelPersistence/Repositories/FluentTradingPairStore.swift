import FluentKit
import PetrelCore
import PetrelRuntime

/// ``TradingPairStore`` on the `trading_pairs` table.
public struct FluentTradingPairStore: TradingPairStore {
    let database: PetrelDatabase

    /// Every pair of `bot`, highest priority first (ties by symbol).
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    public func pairs(bot: String) async throws(StorageError) -> [TradingPairSetting] {
        try await database.read("reading the trading pairs of bot \(bot)", as: DatabaseFailure.storageError) { db in
            try await TradingPairModel.query(on: db).filter(\.$botID == bot).all()
                .map { model throws(DatabaseFailure) in try model.setting() }
                .sorted(by: TradingPairSetting.storeOrder)
        }
    }

    /// Inserts the pair or replaces the stored one's priority and switch, in one transaction.
    /// - Throws: ``StorageError/storage(_:)``.
    public func upsert(_ pair: TradingPairSetting, bot: String) async throws(StorageError) {
        let symbol = pair.symbol.description
        try await database.write(
            "saving trading pair \(symbol) of bot \(bot)", as: DatabaseFailure.storageError
        ) { tx in
            if let stored = try await Self.row(symbol, bot: bot, on: tx) {
                stored.priority = Int64(pair.priority)
                stored.isEnabled = pair.isEnabled
                try await stored.update(on: tx)
            } else {
                try await TradingPairModel(pair, bot: bot).create(on: tx)
            }
        }
    }

    /// Turns a stored pair on or off.
    /// - Throws: ``StorageError/notFound(_:)`` for a pair the bot does not have.
    public func setEnabled(_ isEnabled: Bool, symbol: Symbol, bot: String) async throws(StorageError) {
        let text = symbol.description
        try await database.write(
            "switching trading pair \(text) of bot \(bot)", as: DatabaseFailure.storageError
        ) { tx in
            guard let stored = try await Self.row(text, bot: bot, on: tx) else {
                throw StorageError.notFound("trading pair \(text) of bot \(bot)")
            }
            stored.isEnabled = isEnabled
            try await stored.update(on: tx)
        }
    }

    /// Deletes a stored pair.
    /// - Throws: ``StorageError/notFound(_:)`` for a pair the bot does not have.
    public func remove(symbol: Symbol, bot: String) async throws(StorageError) {
        let text = symbol.description
        try await database.write(
            "removing trading pair \(text) of bot \(bot)", as: DatabaseFailure.storageError
        ) { tx in
            guard let stored = try await Self.row(text, bot: bot, on: tx) else {
                throw StorageError.notFound("trading pair \(text) of bot \(bot)")
            }
            try await stored.delete(on: tx)
        }
    }

    private static func row(_ symbol: String, bot: String, on db: any Database) async throws -> TradingPairModel? {
        try await TradingPairModel.query(on: db).filter(\.$botID == bot).filter(\.$pairSymbol == symbol).first()
    }
}
