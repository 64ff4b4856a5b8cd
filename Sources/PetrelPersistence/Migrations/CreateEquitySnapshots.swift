import FluentKit

/// `equity_snapshots`: a bot's equity at each bar's close, one row per (bot, timestamp).
struct CreateEquitySnapshots: AsyncMigration {
    var name: String { "CreateEquitySnapshots" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EquitySnapshotModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("timestamp", .int64, .required)
            .field("equity", .int64, .required)
            .field("cash", .int64, .required)
            .field("drawdown", .double, .required)
            .unique(on: "bot_id", "timestamp", name: "equity_snapshots_bot_timestamp_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EquitySnapshotModel.schema).delete()
    }
}
