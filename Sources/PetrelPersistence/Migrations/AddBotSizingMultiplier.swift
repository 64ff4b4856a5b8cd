import FluentKit

/// `bots.sizing_multiplier`: the risk multiplier of a tracked symbol, fixed for a bot's state (`NULL`: 1).
struct AddBotSizingMultiplier: AsyncMigration {
    var name: String { "AddBotSizingMultiplier" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BotModel.schema).field("sizing_multiplier", .double).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BotModel.schema).deleteField("sizing_multiplier").update()
    }
}
