import FluentKit
import PetrelCore
import PetrelRuntime

/// ``PriceSnapshotStore`` on the `price_snapshots` table.
public struct FluentPriceSnapshotStore: PriceSnapshotStore {
    let database: PetrelDatabase

    /// Appends snapshots with one multi-row insert (atomic by itself).
    /// - Throws: ``StorageError/storage(_:)``.
    public func append(_ snapshots: [PriceSnapshot]) async throws(StorageError) {
        guard !snapshots.isEmpty else { return }
        try await database.statement("appending price snapshots", as: DatabaseFailure.storageError) { db in
            try await snapshots.map(PriceSnapshotModel.init).create(on: db)
        }
    }

    /// The symbol's newest `limit` snapshots by timestamp (ties in append order), oldest first.
    /// - Throws: ``StorageError/storage(_:)``.
    public func recent(symbol: Symbol, limit: Int) async throws(StorageError) -> [PriceSnapshot] {
        guard limit > 0 else { return [] }
        let text = symbol.description
        return try await database.read("reading the prices of \(symbol)", as: DatabaseFailure.storageError) { db in
            try await PriceSnapshotModel.query(on: db).filter(\.$symbol == text)
                .sort(\.$timestamp, .descending).sort(\.$id, .descending).limit(limit).all()
                .reversed().map { model throws(DatabaseFailure) in try model.snapshot() }
        }
    }
}
