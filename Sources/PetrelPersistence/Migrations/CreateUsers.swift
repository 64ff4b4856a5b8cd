import FluentKit

/// `users`: the server's accounts, with a unique name and a bcrypt password hash.
struct CreateUsers: AsyncMigration {
    var name: String { "CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("is_disabled", .bool, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "username", name: "users_username_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).delete()
    }
}
