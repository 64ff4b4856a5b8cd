import FluentKit

/// `refresh_tokens`: login sessions' rotating refresh tokens, by hash; deleted with their user.
struct CreateRefreshTokens: AsyncMigration {
    var name: String { "CreateRefreshTokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RefreshTokenModel.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .int64, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("family", .string, .required)
            .field("expires_at", .int64, .required)
            .field("revoked_at", .int64)
            .field("created_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RefreshTokenModel.schema).delete()
    }
}
