import FluentKit
import PetrelRuntime

/// The `symbols` table.
public struct FluentSymbolStore: Sendable {
    let database: PetrelDatabase

    /// Adds a symbol.
    /// - Returns: the stored symbol with its id.
    /// - Throws: ``StorageError/conflict(_:)`` when the venue's symbol is tracked already.
    public func create(_ symbol: SymbolRecord) async throws(StorageError) -> SymbolRecord {
        try await database.write("storing symbol \(symbol.symbol)", as: DatabaseFailure.storageError) { tx in
            let taken = try await SymbolModel.query(on: tx).filter(\.$venue == symbol.venue)
                .filter(\.$symbol == symbol.symbol).count()
            guard taken == 0 else {
                throw StorageError.conflict("\(symbol.symbol) on \(symbol.venue) is tracked already")
            }
            let model = SymbolModel(symbol)
            try await model.create(on: tx)
            return model.record
        }
    }

    /// The tracked symbols, by venue and symbol.
    /// - Parameters:
    ///   - enabled: only enabled (`true`) or disabled (`false`) ones.
    ///   - venue: only this venue's.
    public func symbols(enabled: Bool? = nil, venue: String? = nil) async throws(StorageError) -> [SymbolRecord] {
        try await database.read("reading symbols", as: DatabaseFailure.storageError) { db in
            var query = SymbolModel.query(on: db)
            if let enabled { query = query.filter(\.$isEnabled == enabled) }
            if let venue { query = query.filter(\.$venue == venue) }
            return try await query.sort(\.$venue).sort(\.$symbol).all().map(\.record)
        }
    }

    /// One symbol, or `nil`.
    public func symbol(id: Int64) async throws(StorageError) -> SymbolRecord? {
        try await database.read("reading symbol \(id)", as: DatabaseFailure.storageError) { db in
            try await SymbolModel.find(id, on: db)?.record
        }
    }

    /// Replaces a stored symbol (same id).
    /// - Throws: ``StorageError/notFound(_:)``.
    public func update(_ symbol: SymbolRecord) async throws(StorageError) {
        try await database.write("updating symbol \(symbol.id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await SymbolModel.find(symbol.id, on: tx) else {
                throw StorageError.notFound("symbol \(symbol.id)")
            }
            model.assign(symbol)
            try await model.update(on: tx)
        }
    }

    /// Enables or disables several symbols in one transaction; all must exist, or nothing changes.
    /// - Returns: the symbols as stored now.
    /// - Throws: ``StorageError/notFound(_:)`` naming the first missing id.
    public func setEnabled(_ enabled: Bool, ids: [Int64], at now: Int64) async throws(StorageError) -> [SymbolRecord] {
        try await database.write("changing symbols", as: DatabaseFailure.storageError) { tx in
            var changed: [SymbolRecord] = []
            for id in ids {
                guard let model = try await SymbolModel.find(id, on: tx) else {
                    throw StorageError.notFound("symbol \(id)")
                }
                if model.isEnabled != enabled {
                    model.isEnabled = enabled
                    model.updatedAt = now
                    try await model.update(on: tx)
                }
                changed.append(model.record)
            }
            return changed
        }
    }

    /// Deletes a symbol.
    /// - Throws: ``StorageError/notFound(_:)``.
    public func delete(id: Int64) async throws(StorageError) {
        try await database.write("deleting symbol \(id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await SymbolModel.find(id, on: tx) else {
                throw StorageError.notFound("symbol \(id)")
            }
            try await model.delete(on: tx)
        }
    }
}
