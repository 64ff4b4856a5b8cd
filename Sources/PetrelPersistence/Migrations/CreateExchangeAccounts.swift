import FluentKit

/// `exchange_accounts`: users' venue credentials, sealed (AES-GCM) by the server; one name per owner.
struct CreateExchangeAccounts: AsyncMigration {
    var name: String { "CreateExchangeAccounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ExchangeAccountModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("owner_id", .int64, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("venue", .string, .required)
            .field("sealed_key", .data, .required)
            .field("sealed_secret", .data, .required)
            .field("sealed_passphrase", .data)
            .field("key_hint", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "owner_id", "name", name: "exchange_accounts_owner_name_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExchangeAccountModel.schema).delete()
    }
}
