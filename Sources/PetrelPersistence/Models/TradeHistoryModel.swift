import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `trade_history`: every field of seed 000's `TradeHistory`, per bot; `amount` is a
/// ``FixedPoint`` raw value.
final class TradeHistoryModel: Model, @unchecked Sendable {
    static let schema = "trade_history"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "from_pair") var fromPair: String
    @Field(key: "to_pair") var toPair: String
    @Field(key: "decision") var decision: String
    @Field(key: "status") var status: String
    @Field(key: "confidence") var confidence: Double
    @Field(key: "risk") var risk: Double
    @Field(key: "volatility") var volatility: Double
    @Field(key: "amount") var amount: Int64
    @Field(key: "expected_return") var expectedReturn: Double
    @Field(key: "reasoning") var reasoning: String
    @Field(key: "created_at") var createdAt: Int64

    init() {}

    /// A row holding `record` for `bot` (its id is assigned by the database).
    init(_ record: TradeHistoryRecord, bot: String) throws(DatabaseFailure) {
        botID = bot
        fromPair = record.fromPair
        toPair = record.toPair
        decision = record.decision.rawValue
        status = record.status.rawValue
        confidence = try StoredColumn.storable(record.confidence, "trade_history.confidence")
        risk = try StoredColumn.storable(record.risk, "trade_history.risk")
        volatility = try StoredColumn.storable(record.volatility, "trade_history.volatility")
        amount = record.amount.rawValue
        expectedReturn = try StoredColumn.storable(record.expectedReturn, "trade_history.expected_return")
        reasoning = record.reasoning
        createdAt = record.createdAt
    }

    /// The stored record.
    func record() throws(DatabaseFailure) -> TradeHistoryRecord {
        let row = "trade_history[\(id ?? 0)]"
        return TradeHistoryRecord(
            id: id, fromPair: fromPair, toPair: toPair,
            decision: try StoredColumn.value(decision, "decision", row: row),
            status: try StoredColumn.value(status, "status", row: row), confidence: confidence, risk: risk,
            volatility: volatility, amount: FixedPoint(rawValue: amount), expectedReturn: expectedReturn,
            reasoning: reasoning, createdAt: createdAt)
    }
}
