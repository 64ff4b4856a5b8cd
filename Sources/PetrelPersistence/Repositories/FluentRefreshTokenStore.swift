import FluentKit
import PetrelRuntime

/// The `refresh_tokens` table.
public struct FluentRefreshTokenStore: Sendable {
    let database: PetrelDatabase

    /// Stores a new token.
    /// - Throws: ``StorageError/conflict(_:)`` for a hash already stored.
    public func insert(_ token: RefreshTokenRecord) async throws(StorageError) {
        try await database.write("storing a refresh token", as: DatabaseFailure.storageError) { tx in
            guard try await RefreshTokenModel.find(token.tokenHash, on: tx) == nil else {
                throw StorageError.conflict("refresh token already stored")
            }
            try await RefreshTokenModel(token).create(on: tx)
        }
    }

    /// Rotates a token in one transaction: `presented` is revoked and `next` stored in its family.
    ///
    /// - Returns: the presented token as it was before (so the caller can tell an expired, revoked or
    ///   unknown one), or `nil` when no token has that hash. When it was already revoked, its whole family
    ///   is revoked now (a replayed token means it leaked) and `next` is not stored; likewise when it expired.
    public func rotate(presented hash: String, next: RefreshTokenRecord, at now: Int64) async throws(StorageError)
        -> RefreshTokenRecord?
    {
        try await database.write("rotating a refresh token", as: DatabaseFailure.storageError) { tx in
            guard let model = try await RefreshTokenModel.find(hash, on: tx) else { return nil }
            let before = model.record
            if before.revokedAt != nil {
                try await Self.revokeFamily(before.family, at: now, on: tx)
                return before
            }
            model.revokedAt = now
            try await model.update(on: tx)
            guard before.expiresAt > now else { return before }
            var successor = next
            successor.family = before.family
            successor.userID = before.userID
            try await RefreshTokenModel(successor).create(on: tx)
            return before
        }
    }

    /// Revokes every token of the login session the token belongs to (logout).
    /// - Returns: whether a token with that hash exists.
    @discardableResult
    public func revokeSession(of hash: String, at now: Int64) async throws(StorageError) -> Bool {
        try await database.write("revoking a session", as: DatabaseFailure.storageError) { tx in
            guard let model = try await RefreshTokenModel.find(hash, on: tx) else { return false }
            try await Self.revokeFamily(model.family, at: now, on: tx)
            return true
        }
    }

    /// Revokes every token of a user (password change, disabled user).
    public func revokeAll(user: Int64, at now: Int64) async throws(StorageError) {
        try await database.write("revoking the sessions of user \(user)", as: DatabaseFailure.storageError) { tx in
            try await RefreshTokenModel.query(on: tx).filter(\.$userID == user).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: now).update()
        }
    }

    /// Deletes tokens that expired before `cutoff` (housekeeping).
    public func purge(expiredBefore cutoff: Int64) async throws(StorageError) {
        try await database.write("purging refresh tokens", as: DatabaseFailure.storageError) { tx in
            try await RefreshTokenModel.query(on: tx).filter(\.$expiresAt < cutoff).delete()
        }
    }

    /// One token by hash, or `nil`.
    public func token(hash: String) async throws(StorageError) -> RefreshTokenRecord? {
        try await database.read("reading a refresh token", as: DatabaseFailure.storageError) { db in
            try await RefreshTokenModel.find(hash, on: db)?.record
        }
    }

    private static func revokeFamily(_ family: String, at now: Int64, on db: any Database) async throws {
        try await RefreshTokenModel.query(on: db).filter(\.$family == family).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).update()
    }
}
