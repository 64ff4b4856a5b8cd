import FluentKit
import PetrelCore

/// A row of `orders`: the fields queries need as columns, and the whole ``Order`` as JSON in `data` (the
/// source of truth when read back: ``Order`` keeps its status and fill totals behind its transitions, so
/// the codable form is how it is rebuilt exactly). Quantities are ``FixedPoint`` raw values.
final class OrderModel: Model, @unchecked Sendable {
    static let schema = "orders"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "client_order_id") var clientOrderID: String
    @OptionalField(key: "venue_order_id") var venueOrderID: String?
    @Field(key: "symbol") var symbol: String
    @Field(key: "side") var side: String
    @Field(key: "type") var type: String
    @Field(key: "status") var status: String
    @Field(key: "quantity") var quantity: Int64
    @Field(key: "filled_quantity") var filledQuantity: Int64
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64
    @Field(key: "data") var data: String

    init() {}

    /// A row holding `order` for `bot`.
    init(_ order: Order, bot: String) throws(DatabaseFailure) {
        botID = bot
        clientOrderID = order.clientOrderID.rawValue
        symbol = order.symbol.description
        side = order.side.rawValue
        type = order.type.rawValue
        quantity = order.quantity.rawValue
        createdAt = order.createdAt
        try assign(order)
    }

    /// Copies the fields an order changes over its life.
    func assign(_ order: Order) throws(DatabaseFailure) {
        venueOrderID = order.venueOrderID
        status = order.status.rawValue
        filledQuantity = order.filledQuantity.rawValue
        updatedAt = order.updatedAt
        data = try StoredColumn.jsonText(order, "orders.data")
    }

    /// The stored order.
    func order() throws(DatabaseFailure) -> Order {
        let row = "orders[\(clientOrderID)]"
        let order = try StoredColumn.json(data, as: Order.self, "data", row: row)
        guard order.clientOrderID.rawValue == clientOrderID else {
            throw DatabaseFailure(
                "bad row \(row): column data holds order \(order.clientOrderID), not \(clientOrderID)")
        }
        return order
    }
}
