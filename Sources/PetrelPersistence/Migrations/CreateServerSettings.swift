import FluentKit

/// `server_settings`: groups of the server's own settings (its notification channels), by name, with
/// their secrets sealed.
struct CreateServerSettings: AsyncMigration {
    var name: String { "CreateServerSettings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ServerSettingModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("sealed", .string, .required)
            .field("updated_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServerSettingModel.schema).delete()
    }
}
