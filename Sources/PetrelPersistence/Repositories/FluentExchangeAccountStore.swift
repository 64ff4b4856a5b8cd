import FluentKit
import PetrelRuntime

/// The `exchange_accounts` table (ciphertext only; sealing is the server's).
public struct FluentExchangeAccountStore: Sendable {
    let database: PetrelDatabase

    /// Adds an account.
    /// - Returns: the stored account with its id.
    /// - Throws: ``StorageError/conflict(_:)`` when the owner already has an account with the name.
    public func create(_ account: ExchangeAccountRecord) async throws(StorageError) -> ExchangeAccountRecord {
        try await database.write("storing exchange account \(account.name)", as: DatabaseFailure.storageError) { tx in
            let taken = try await ExchangeAccountModel.query(on: tx).filter(\.$ownerID == account.ownerID)
                .filter(\.$name == account.name).count()
            guard taken == 0 else { throw StorageError.conflict("an exchange account named '\(account.name)' exists") }
            let model = ExchangeAccountModel(account)
            try await model.create(on: tx)
            return model.record
        }
    }

    /// Every account of `owner` (every account when `nil`), by id.
    public func accounts(owner: Int64?) async throws(StorageError) -> [ExchangeAccountRecord] {
        try await database.read("reading exchange accounts", as: DatabaseFailure.storageError) { db in
            var query = ExchangeAccountModel.query(on: db)
            if let owner { query = query.filter(\.$ownerID == owner) }
            return try await query.sort(\.$id).all().map(\.record)
        }
    }

    /// One account, or `nil`.
    public func account(id: Int64) async throws(StorageError) -> ExchangeAccountRecord? {
        try await database.read("reading exchange account \(id)", as: DatabaseFailure.storageError) { db in
            try await ExchangeAccountModel.find(id, on: db)?.record
        }
    }

    /// Replaces a stored account (same id).
    /// - Throws: ``StorageError/notFound(_:)``; ``StorageError/conflict(_:)`` for a name the owner uses elsewhere.
    public func update(_ account: ExchangeAccountRecord) async throws(StorageError) {
        try await database.write("updating exchange account \(account.id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await ExchangeAccountModel.find(account.id, on: tx) else {
                throw StorageError.notFound("exchange account \(account.id)")
            }
            let clash = try await ExchangeAccountModel.query(on: tx).filter(\.$ownerID == account.ownerID)
                .filter(\.$name == account.name).filter(\.$id != account.id).count()
            guard clash == 0 else { throw StorageError.conflict("an exchange account named '\(account.name)' exists") }
            model.assign(account)
            try await model.update(on: tx)
        }
    }

    /// Deletes an account.
    /// - Throws: ``StorageError/notFound(_:)``.
    public func delete(id: Int64) async throws(StorageError) {
        try await database.write("deleting exchange account \(id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await ExchangeAccountModel.find(id, on: tx) else {
                throw StorageError.notFound("exchange account \(id)")
            }
            try await model.delete(on: tx)
        }
    }
}
