import FluentKit
import PetrelRuntime

/// The `users` table.
public struct FluentUserStore: Sendable {
    let database: PetrelDatabase

    /// Adds a user.
    /// - Returns: the stored user with its new id.
    /// - Throws: ``StorageError/conflict(_:)`` when the name is taken; ``StorageError/storage(_:)``.
    public func create(username: String, passwordHash: String, role: UserRole, at: Int64) async throws(StorageError)
        -> UserRecord
    {
        try await database.write("creating user \(username)", as: DatabaseFailure.storageError) { tx in
            guard try await UserModel.query(on: tx).filter(\.$username == username).count() == 0 else {
                throw StorageError.conflict("the username '\(username)' is taken")
            }
            let model = UserModel(username: username, passwordHash: passwordHash, role: role, at: at)
            try await model.create(on: tx)
            return try model.record()
        }
    }

    /// One user by id, or `nil`.
    public func user(id: Int64) async throws(StorageError) -> UserRecord? {
        try await database.read("reading user \(id)", as: DatabaseFailure.storageError) { db in
            try await UserModel.find(id, on: db)?.record()
        }
    }

    /// One user by name, or `nil`.
    public func user(named username: String) async throws(StorageError) -> UserRecord? {
        try await database.read("reading user \(username)", as: DatabaseFailure.storageError) { db in
            try await UserModel.query(on: db).filter(\.$username == username).first()?.record()
        }
    }

    /// Every user, by id.
    public func all() async throws(StorageError) -> [UserRecord] {
        try await database.read("reading the users", as: DatabaseFailure.storageError) { db in
            try await UserModel.query(on: db).sort(\.$id).all().map { model throws(DatabaseFailure) in
                try model.record()
            }
        }
    }

    /// How many users exist.
    public func count() async throws(StorageError) -> Int {
        try await database.read("counting the users", as: DatabaseFailure.storageError) { db in
            try await UserModel.query(on: db).count()
        }
    }

    /// Changes a user's role, password hash or disabled switch (`nil`: unchanged).
    /// - Returns: the stored user.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown id.
    public func update(
        id: Int64, role: UserRole? = nil, passwordHash: String? = nil, isDisabled: Bool? = nil, at: Int64
    ) async throws(StorageError) -> UserRecord {
        try await database.write("updating user \(id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await UserModel.find(id, on: tx) else { throw StorageError.notFound("user \(id)") }
            if let role { model.role = role.rawValue }
            if let passwordHash { model.passwordHash = passwordHash }
            if let isDisabled { model.isDisabled = isDisabled }
            model.updatedAt = at
            try await model.update(on: tx)
            return try model.record()
        }
    }

    /// Deletes a user and their refresh tokens.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown id.
    public func delete(id: Int64) async throws(StorageError) {
        try await database.write("deleting user \(id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await UserModel.find(id, on: tx) else { throw StorageError.notFound("user \(id)") }
            try await RefreshTokenModel.query(on: tx).filter(\.$userID == id).delete()
            try await model.delete(on: tx)
        }
    }
}
