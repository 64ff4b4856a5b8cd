import FluentKit
import SQLKit

/// `orders`: every order of every bot. The client order id is unique across bots (it embeds the bot id); a
/// venue order id is unique within a bot, and absent until the venue acknowledges the order.
struct CreateOrders: AsyncMigration {
    var name: String { "CreateOrders" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OrderModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("client_order_id", .string, .required)
            .field("venue_order_id", .string)
            .field("symbol", .string, .required)
            .field("side", .string, .required)
            .field("type", .string, .required)
            .field("status", .string, .required)
            .field("quantity", .int64, .required)
            .field("filled_quantity", .int64, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .field("data", .string, .required)
            .unique(on: "client_order_id", name: "orders_client_order_id_key")
            .unique(on: "bot_id", "venue_order_id", name: "orders_bot_venue_order_id_key")
            .create()
        try await ConnectionSetup.sql(database).create(index: "orders_bot_status_idx")
            .on(OrderModel.schema).column("bot_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrderModel.schema).delete()
    }
}
