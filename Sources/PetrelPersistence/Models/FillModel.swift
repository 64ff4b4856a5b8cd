import FluentKit
import PetrelCore

/// A row of `fills`: every field of a ``Fill`` as a column; amounts are ``FixedPoint`` raw values.
final class FillModel: Model, @unchecked Sendable {
    static let schema = "fills"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "client_order_id") var clientOrderID: String
    @Field(key: "trade_id") var tradeID: String
    @Field(key: "symbol") var symbol: String
    @Field(key: "side") var side: String
    @Field(key: "price") var price: Int64
    @Field(key: "quantity") var quantity: Int64
    @Field(key: "fee") var fee: Int64
    @Field(key: "fee_asset") var feeAsset: String
    @Field(key: "liquidity") var liquidity: String
    @Field(key: "timestamp") var timestamp: Int64

    init() {}

    /// A row holding `fill` for `bot`.
    init(_ fill: Fill, bot: String) {
        botID = bot
        clientOrderID = fill.clientOrderID.rawValue
        tradeID = fill.tradeID
        symbol = fill.symbol.description
        side = fill.side.rawValue
        price = fill.price.rawValue
        quantity = fill.quantity.rawValue
        fee = fill.fee.rawValue
        feeAsset = fill.feeAsset
        liquidity = fill.liquidity.rawValue
        timestamp = fill.timestamp
    }

    /// The stored fill.
    func fill() throws(DatabaseFailure) -> Fill {
        let row = "fills[\(id ?? 0)]"
        return Fill(
            tradeID: tradeID, clientOrderID: try StoredColumn.clientOrderID(clientOrderID, "client_order_id", row: row),
            symbol: try StoredColumn.symbol(symbol, "symbol", row: row),
            side: try StoredColumn.value(side, "side", row: row), price: FixedPoint(rawValue: price),
            quantity: FixedPoint(rawValue: quantity), fee: FixedPoint(rawValue: fee), feeAsset: feeAsset,
            liquidity: try StoredColumn.value(liquidity, "liquidity", row: row, allowed: ["maker", "taker"]),
            timestamp: timestamp)
    }
}
