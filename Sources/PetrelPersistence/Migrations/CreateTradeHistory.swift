import FluentKit
import SQLKit

/// `trade_history`: seed 000's `TradeHistory` with every one of its fields, per bot. Ids grow with each
/// append, so "newest" is the highest id.
struct CreateTradeHistory: AsyncMigration {
    var name: String { "CreateTradeHistory" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TradeHistoryModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("from_pair", .string, .required)
            .field("to_pair", .string, .required)
            .field("decision", .string, .required)
            .field("status", .string, .required)
            .field("confidence", .double, .required)
            .field("risk", .double, .required)
            .field("volatility", .double, .required)
            .field("amount", .int64, .required)
            .field("expected_return", .double, .required)
            .field("reasoning", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await ConnectionSetup.sql(database).create(index: "trade_history_bot_status_idx")
            .on(TradeHistoryModel.schema).column("bot_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TradeHistoryModel.schema).delete()
    }
}
