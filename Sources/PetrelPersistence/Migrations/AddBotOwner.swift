import FluentKit

/// `bots.owner_id`: the server user who owns a bot (`NULL` for bots started from the command line).
struct AddBotOwner: AsyncMigration {
    var name: String { "AddBotOwner" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BotModel.schema).field("owner_id", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BotModel.schema).deleteField("owner_id").update()
    }
}
