import FluentKit
import Foundation
import PetrelRuntime

/// ``PaperAccountStore`` on the `paper_accounts` table.
public struct FluentPaperAccountStore: PaperAccountStore {
    let database: PetrelDatabase

    /// Replaces the account's stored state (`updated_at` from the configuration's clock).
    /// - Throws: ``StorageError/storage(_:)``.
    public func save(_ state: [UInt8], account: String) async throws(StorageError) {
        let now = database.configuration.clock.now()
        try await database.write("saving paper account \(account)", as: DatabaseFailure.storageError) { tx in
            if let stored = try await PaperAccountModel.find(account, on: tx) {
                stored.state = Data(state)
                stored.updatedAt = now
                try await stored.update(on: tx)
            } else {
                try await PaperAccountModel(account: account, state: state, updatedAt: now).create(on: tx)
            }
        }
    }

    /// The stored state, or `nil` for a new account.
    /// - Throws: ``StorageError/storage(_:)``.
    public func load(account: String) async throws(StorageError) -> [UInt8]? {
        try await database.read("reading paper account \(account)", as: DatabaseFailure.storageError) { db in
            try await PaperAccountModel.find(account, on: db).map { [UInt8]($0.state) }
        }
    }
}
