import FluentKit

/// `paper_accounts`: a paper exchange's whole state per account, as the opaque bytes its store was given.
struct CreatePaperAccounts: AsyncMigration {
    var name: String { "CreatePaperAccounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PaperAccountModel.schema)
            .field("account", .string, .identifier(auto: false))
            .field("state", .data, .required)
            .field("updated_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PaperAccountModel.schema).delete()
    }
}
