import FluentKit

/// `bots`: one row per bot, keyed by its id; enums are stored as their raw text.
struct CreateBots: AsyncMigration {
    var name: String { "CreateBots" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BotModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("configuration", .string, .required)
            .field("mode", .string, .required)
            .field("lifecycle", .string, .required)
            .field("trading_state", .string, .required)
            .field("state_reason", .string)
            .field("last_error", .string)
            .field("restart_count", .int64, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BotModel.schema).delete()
    }
}
