import FluentKit

/// `portfolio_settings`: seed 000's `BotConfig`, one row per portfolio bot; exactly one of the two
/// trade-size columns holds a fixed-point raw value.
struct CreatePortfolioSettings: AsyncMigration {
    var name: String { "CreatePortfolioSettings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PortfolioSettingsModel.schema)
            .field("bot_id", .string, .identifier(auto: false))
            .field("risk_tolerance", .double, .required)
            .field("min_confidence", .double, .required)
            .field("trade_size_amount", .int64)
            .field("trade_size_percentage", .int64)
            .field("check_interval_seconds", .int64, .required)
            .field("cache_ttl_seconds", .int64, .required)
            .field("volatility_window", .int64, .required)
            .field("trade_history_retention", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PortfolioSettingsModel.schema).delete()
    }
}
