/// An order from intent to terminal state, with its fills summarised.
///
/// Status changes go through ``transition(to:at:)`` or ``apply(_:)``, which enforce the table in
/// ``OrderStatus/allowedNextStatuses``; an illegal move throws and changes nothing.
public struct Order: Sendable, Hashable, Codable {
    public let clientOrderID: ClientOrderID
    /// The venue's id, once acknowledged.
    public var venueOrderID: String?
    public let symbol: Symbol
    public let side: OrderSide
    public let type: OrderType
    public let quantity: Quantity
    /// Limit price (limit and stop-limit orders).
    public let price: Price?
    /// Trigger price (stop-market and stop-limit orders).
    public let stopPrice: Price?
    public let timeInForce: TimeInForce
    /// Only reduces an existing position; never opens or flips one.
    public let reduceOnly: Bool
    public private(set) var status: OrderStatus
    public private(set) var filledQuantity: Quantity
    /// Σ price × quantity over fills, for the average price.
    public private(set) var filledNotional: Money
    public private(set) var fees: Money
    /// Unix ms of creation and of the last change.
    public let createdAt: Int64
    public private(set) var updatedAt: Int64
    /// Why the venue or the risk engine rejected it.
    public private(set) var rejectReason: String?
    /// A free-text tag (the strategy signal's reasoning, "stop_loss", …).
    public var tag: String?

    /// Creates an order in the `intent` status after checking that its fields fit its type.
    /// - Throws: ``OrderError`` when a needed price is missing or the quantity is not positive.
    public init(
        clientOrderID: ClientOrderID, symbol: Symbol, side: OrderSide, type: OrderType, quantity: Quantity,
        price: Price? = nil, stopPrice: Price? = nil, timeInForce: TimeInForce = .gtc, reduceOnly: Bool = false,
        createdAt: Int64, tag: String? = nil
    ) throws(OrderError) {
        guard quantity.isPositive else { throw .quantityNotPositive(quantity) }
        if type.needsLimitPrice, price == nil { throw .missingPrice(type) }
        if type.needsStopPrice, stopPrice == nil { throw .missingStopPrice(type) }
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = type.needsLimitPrice ? price : nil
        self.stopPrice = type.needsStopPrice ? stopPrice : nil
        self.timeInForce = timeInForce
        self.reduceOnly = reduceOnly
        self.status = .intent
        self.filledQuantity = .zero
        self.filledNotional = .zero
        self.fees = .zero
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.tag = tag
    }

    /// What is left to fill.
    public var remainingQuantity: Quantity { quantity - filledQuantity }

    /// Volume-weighted average fill price, rounded half-even; `nil` before the first fill.
    public var averageFillPrice: Price? {
        guard filledQuantity.isPositive else { return nil }
        return try? filledNotional.divided(by: filledQuantity)
    }

    /// Moves to `next` if the transition table allows it.
    /// - Parameters:
    ///   - next: the new status.
    ///   - timestamp: Unix ms of the change.
    ///   - reason: stored for `rejected`.
    /// - Throws: ``OrderError/illegalTransition(_:from:to:)``; the order is unchanged.
    public mutating func transition(to next: OrderStatus, at timestamp: Int64, reason: String? = nil)
        throws(OrderError)
    {
        guard status.canTransition(to: next) else {
            throw .illegalTransition(clientOrderID, from: status, to: next)
        }
        if next == .filled && filledQuantity != quantity {
            throw .illegalTransition(clientOrderID, from: status, to: next)
        }
        status = next
        updatedAt = timestamp
        if next == .rejected { rejectReason = reason }
    }

    /// Applies a fill: adds to the filled quantity and moves to `partially_filled` or `filled`.
    /// - Throws: ``OrderError`` for a fill of another order, an overfill or an illegal status.
    public mutating func apply(_ fill: Fill) throws(OrderError) {
        guard fill.clientOrderID == clientOrderID else { throw .fillMismatch(clientOrderID, "different client id") }
        guard fill.side == side else { throw .fillMismatch(clientOrderID, "side \(fill.side.rawValue)") }
        guard fill.quantity.isPositive else { throw .quantityNotPositive(fill.quantity) }
        let newFilled: Quantity
        let newNotional: Money
        let newFees: Money
        do {
            newFilled = try filledQuantity.adding(fill.quantity)
            newNotional = try filledNotional.adding(try fill.price.multiplied(by: fill.quantity))
            newFees = try fees.adding(fill.fee)
        } catch {
            throw .arithmetic(error)
        }
        guard newFilled <= quantity else { throw .overfill(clientOrderID, ordered: quantity, filled: newFilled) }
        let next: OrderStatus = newFilled == quantity ? .filled : .partiallyFilled
        guard status.canTransition(to: next) else { throw .illegalTransition(clientOrderID, from: status, to: next) }
        filledQuantity = newFilled
        filledNotional = newNotional
        fees = newFees
        status = next
        updatedAt = fill.timestamp
    }
}
