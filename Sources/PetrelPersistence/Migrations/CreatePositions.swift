import FluentKit

/// `positions`: a bot's open positions, one row per (bot, symbol); amounts are fixed-point raw values.
struct CreatePositions: AsyncMigration {
    var name: String { "CreatePositions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PositionModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("symbol", .string, .required)
            .field("quantity", .int64, .required)
            .field("average_price", .int64, .required)
            .field("realized_pnl", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "bot_id", "symbol", name: "positions_bot_symbol_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PositionModel.schema).delete()
    }
}
