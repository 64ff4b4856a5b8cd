import FluentKit

/// `symbols`: the instruments the platform tracks (seed 004), one row per venue and venue id.
struct CreateSymbols: AsyncMigration {
    var name: String { "CreateSymbols" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SymbolModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("venue", .string, .required)
            .field("symbol", .string, .required)
            .field("base", .string, .required)
            .field("quote", .string, .required)
            .field("kind", .string, .required)
            .field("is_enabled", .bool, .required)
            .field("risk_multiplier", .double, .required)
            .field("notes", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "venue", "symbol", name: "symbols_venue_symbol_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SymbolModel.schema).delete()
    }
}
