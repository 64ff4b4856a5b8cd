import FluentKit

/// A row of `symbols`.
final class SymbolModel: Model, @unchecked Sendable {
    static let schema = "symbols"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "venue") var venue: String
    @Field(key: "symbol") var symbol: String
    @Field(key: "base") var base: String
    @Field(key: "quote") var quote: String
    @Field(key: "kind") var kind: String
    @Field(key: "is_enabled") var isEnabled: Bool
    @Field(key: "risk_multiplier") var riskMultiplier: Double
    @Field(key: "notes") var notes: String
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    init(_ record: SymbolRecord) {
        assign(record)
    }

    /// Copies every field but the id.
    func assign(_ record: SymbolRecord) {
        venue = record.venue
        symbol = record.symbol
        base = record.base
        quote = record.quote
        kind = record.kind
        isEnabled = record.isEnabled
        riskMultiplier = record.riskMultiplier
        notes = record.notes
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    var record: SymbolRecord {
        SymbolRecord(
            id: id ?? 0, venue: venue, symbol: symbol, base: base, quote: quote, kind: kind, isEnabled: isEnabled,
            riskMultiplier: riskMultiplier, notes: notes, createdAt: createdAt, updatedAt: updatedAt)
    }
}
