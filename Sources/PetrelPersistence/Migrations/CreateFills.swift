import FluentKit
import SQLKit

/// `fills`: every execution, applied once: a trade id is unique per (bot, symbol). A fill belongs to an
/// order and goes with it (`ON DELETE CASCADE`).
struct CreateFills: AsyncMigration {
    var name: String { "CreateFills" }

    func prepare(on database: any Database) async throws {
        try await database.schema(FillModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("client_order_id", .string, .required)
            .field("trade_id", .string, .required)
            .field("symbol", .string, .required)
            .field("side", .string, .required)
            .field("price", .int64, .required)
            .field("quantity", .int64, .required)
            .field("fee", .int64, .required)
            .field("fee_asset", .string, .required)
            .field("liquidity", .string, .required)
            .field("timestamp", .int64, .required)
            .unique(on: "bot_id", "symbol", "trade_id", name: "fills_bot_symbol_trade_id_key")
            .foreignKey(
                "client_order_id", references: OrderModel.schema, "client_order_id", onDelete: .cascade,
                name: "fills_client_order_id_fkey"
            )
            .create()
        try await ConnectionSetup.sql(database).create(index: "fills_client_order_id_idx")
            .on(FillModel.schema).column("client_order_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FillModel.schema).delete()
    }
}
