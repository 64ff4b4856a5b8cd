import FluentKit
import SQLKit

/// `price_snapshots`: seed 000's `PriceSnapshot` rows (a pair's price at a time), shared by every bot.
struct CreatePriceSnapshots: AsyncMigration {
    var name: String { "CreatePriceSnapshots" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PriceSnapshotModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("symbol", .string, .required)
            .field("price", .int64, .required)
            .field("timestamp", .int64, .required)
            .create()
        try await ConnectionSetup.sql(database).create(index: "price_snapshots_symbol_timestamp_idx")
            .on(PriceSnapshotModel.schema).column("symbol").column("timestamp").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PriceSnapshotModel.schema).delete()
    }
}
