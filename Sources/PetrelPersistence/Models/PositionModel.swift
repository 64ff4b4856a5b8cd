import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `positions`; amounts are ``FixedPoint`` raw values (value × 10^8).
final class PositionModel: Model, @unchecked Sendable {
    static let schema = "positions"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "symbol") var symbol: String
    @Field(key: "quantity") var quantity: Int64
    @Field(key: "average_price") var averagePrice: Int64
    @Field(key: "realized_pnl") var realizedPnL: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    /// A row holding `record` under `bot` (the port's argument wins over the record's own bot id).
    init(_ record: PositionRecord, bot: String) {
        botID = bot
        symbol = record.symbol.description
        quantity = record.quantity.rawValue
        averagePrice = record.averagePrice.rawValue
        realizedPnL = record.realizedPnL.rawValue
        updatedAt = record.updatedAt
    }

    /// The stored position.
    func record() throws(DatabaseFailure) -> PositionRecord {
        PositionRecord(
            botID: botID, symbol: try StoredColumn.symbol(symbol, "symbol", row: "positions[\(id ?? 0)]"),
            quantity: FixedPoint(rawValue: quantity), averagePrice: FixedPoint(rawValue: averagePrice),
            realizedPnL: FixedPoint(rawValue: realizedPnL), updatedAt: updatedAt)
    }
}
