import FluentKit

/// `bot_journal`: the kernel inputs of each bot in order; `seq` counts from 0 per bot and never repeats.
struct CreateBotJournal: AsyncMigration {
    var name: String { "CreateBotJournal" }

    func prepare(on database: any Database) async throws {
        try await database.schema(JournalEntryModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("bot_id", .string, .required)
            .field("seq", .int64, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .unique(on: "bot_id", "seq", name: "bot_journal_bot_seq_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JournalEntryModel.schema).delete()
    }
}
