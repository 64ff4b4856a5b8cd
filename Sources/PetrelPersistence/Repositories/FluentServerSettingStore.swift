import FluentKit
import PetrelRuntime

/// The `server_settings` table.
public struct FluentServerSettingStore: Sendable {
    let database: PetrelDatabase

    /// The stored group `key`, or `nil`.
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    public func setting(_ key: String) async throws(StorageError) -> ServerSettingRecord? {
        try await database.read("reading the server setting \(key)", as: DatabaseFailure.storageError) { db in
            try await ServerSettingModel.find(key, on: db)?.record()
        }
    }

    /// Inserts the group or replaces the stored one, in one transaction.
    /// - Throws: ``StorageError/storage(_:)``.
    public func save(_ record: ServerSettingRecord) async throws(StorageError) {
        try await database.write("saving the server setting \(record.key)", as: DatabaseFailure.storageError) { tx in
            if let stored = try await ServerSettingModel.find(record.key, on: tx) {
                stored.assign(record)
                try await stored.update(on: tx)
            } else {
                try await ServerSettingModel(record).create(on: tx)
            }
        }
    }

    /// Removes the group.
    /// - Returns: whether it was stored.
    /// - Throws: ``StorageError/storage(_:)``.
    @discardableResult
    public func delete(_ key: String) async throws(StorageError) -> Bool {
        try await database.write("deleting the server setting \(key)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await ServerSettingModel.find(key, on: tx) else { return false }
            try await model.delete(on: tx)
            return true
        }
    }
}
