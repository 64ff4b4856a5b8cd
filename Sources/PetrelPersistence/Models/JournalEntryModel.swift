import FluentKit
import PetrelRuntime

/// A row of `bot_journal`: the entry's kind for humans and queries, the whole ``BotJournalEntry`` as JSON.
final class JournalEntryModel: Model, @unchecked Sendable {
    static let schema = "bot_journal"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "seq") var seq: Int64
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String

    init() {}

    /// A row holding `entry` as the bot's `seq`-th.
    init(_ entry: BotJournalEntry, bot: String, seq: Int64) throws(DatabaseFailure) {
        botID = bot
        self.seq = seq
        kind = Self.kind(of: entry)
        payload = try StoredColumn.jsonText(entry, "bot_journal.payload")
    }

    /// The stored entry.
    func entry() throws(DatabaseFailure) -> BotJournalEntry {
        try StoredColumn.json(payload, as: BotJournalEntry.self, "payload", row: "bot_journal[\(botID) #\(seq)]")
    }

    /// The kinds of entries that carry a candle.
    static let candleKinds = ["candle", "warm_up"]

    static func kind(of entry: BotJournalEntry) -> String {
        switch entry {
        case .candle: return "candle"
        case .accepted: return "accepted"
        case .fill: return "fill"
        case .closed: return "closed"
        case .halt: return "halt"
        case .warmUp: return "warm_up"
        case .paused: return "paused"
        }
    }
}
