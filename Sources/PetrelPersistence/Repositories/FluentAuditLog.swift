import FluentKit
import PetrelRuntime

/// The `audit_log` table: append and read back, newest first.
public struct FluentAuditLog: Sendable {
    let database: PetrelDatabase

    /// Appends an entry.
    public func append(_ entry: AuditEntry) async throws(StorageError) {
        try await database.write("writing the audit log", as: DatabaseFailure.storageError) { tx in
            try await AuditEntryModel(entry).create(on: tx)
        }
    }

    /// The newest entries, newest first.
    /// - Parameters:
    ///   - limit: at most this many.
    ///   - offset: skip this many newest ones first (paging).
    ///   - action: only this action, if given.
    public func recent(limit: Int, offset: Int = 0, action: String? = nil) async throws(StorageError)
        -> [AuditEntry]
    {
        try await database.read("reading the audit log", as: DatabaseFailure.storageError) { db in
            var query = AuditEntryModel.query(on: db)
            if let action { query = query.filter(\.$action == action) }
            return try await query.sort(\.$id, .descending).range(offset..<(offset + max(0, limit))).all()
                .map(\.entry)
        }
    }
}
