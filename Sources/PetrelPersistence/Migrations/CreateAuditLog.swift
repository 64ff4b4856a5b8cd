import FluentKit

/// `audit_log`: logins, config changes, starts and stops, key and user changes. Rows are only ever added.
struct CreateAuditLog: AsyncMigration {
    var name: String { "CreateAuditLog" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("at", .int64, .required)
            .field("user_id", .int64)
            .field("username", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("detail", .string, .required)
            .field("address", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntryModel.schema).delete()
    }
}
