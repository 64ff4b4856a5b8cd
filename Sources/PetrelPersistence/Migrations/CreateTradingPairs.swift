import FluentKit

/// `trading_pairs`: seed 000's `TradingPair` rows, the pairs a portfolio bot watches; one row per
/// (bot, pair).
struct CreateTradingPairs: AsyncMigration {
    var name: String { "CreateTradingPairs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TradingPairModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("pair_symbol", .string, .required)
            .field("priority", .int64, .required)
            .field("is_enabled", .bool, .required)
            .unique(on: "bot_id", "pair_symbol", name: "trading_pairs_bot_pair_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TradingPairModel.schema).delete()
    }
}
