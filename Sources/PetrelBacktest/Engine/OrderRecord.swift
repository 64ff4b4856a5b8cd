import PetrelCore
import PetrelRuntime

/// An order as it ended in a backtest, for the result's order list.
public struct OrderRecord: Sendable, Hashable, Codable {
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    public var price: Price?
    public var stopPrice: Price?
    public var reduceOnly: Bool
    public var status: OrderStatus
    public var filledQuantity: Quantity
    public var averageFillPrice: Price?
    public var fees: Money
    public var createdAt: Int64
    public var updatedAt: Int64
    public var tag: String?
    /// Why it was rejected or cancelled.
    public var reason: String?

    init(order: Order) {
        clientOrderID = order.clientOrderID.rawValue
        symbol = order.symbol
        side = order.side
        type = order.type
        quantity = order.quantity
        price = order.price
        stopPrice = order.stopPrice
        reduceOnly = order.reduceOnly
        status = order.status
        filledQuantity = .zero
        averageFillPrice = nil
        fees = .zero
        createdAt = order.createdAt
        updatedAt = order.createdAt
        tag = order.tag
        reason = nil
    }
}

/// A journal line: a signal, a skipped entry or a trading-state change.
public struct JournalEntry: Sendable, Hashable, Codable {
    public var timestamp: Int64
    public var symbol: String?
    /// `signal`, `skipped` or `state`.
    public var kind: String
    public var message: String
}
