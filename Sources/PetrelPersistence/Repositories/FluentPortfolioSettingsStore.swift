import FluentKit
import PetrelRuntime

/// ``PortfolioSettingsStore`` on the `portfolio_settings` table.
public struct FluentPortfolioSettingsStore: PortfolioSettingsStore {
    let database: PetrelDatabase

    /// The stored settings of `bot`, or `nil`.
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    public func load(bot: String) async throws(StorageError) -> PortfolioSettingsRecord? {
        try await database.read("reading the settings of bot \(bot)", as: DatabaseFailure.storageError) { db in
            try await PortfolioSettingsModel.find(bot, on: db)?.record()
        }
    }

    /// Inserts the settings or replaces the stored ones, in one transaction.
    /// - Throws: ``StorageError/storage(_:)`` (a NaN is refused before anything is written).
    public func save(_ record: PortfolioSettingsRecord) async throws(StorageError) {
        try await database.write("saving the settings of bot \(record.botID)", as: DatabaseFailure.storageError) { tx in
            if let stored = try await PortfolioSettingsModel.find(record.botID, on: tx) {
                try stored.assign(record)
                try await stored.update(on: tx)
            } else {
                try await PortfolioSettingsModel(record).create(on: tx)
            }
        }
    }
}
