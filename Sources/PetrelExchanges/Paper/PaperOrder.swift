import PetrelCore
import PetrelRuntime

/// An order as the paper exchange holds it: the order itself (status and fills through the core
/// transition table) plus what it has locked and whether its stop has triggered.
public struct PaperOrder: Sendable, Hashable, Codable {
    /// The order, with the exchange's venue id, status and fills.
    public var order: Order
    /// Its arrival number at the exchange (the venue order id is `paper-<sequence>`).
    public var sequence: UInt64
    /// The asset its reservation is in: the quote asset for buys, the base asset for sells.
    public var reservedAsset: String
    /// What it still has locked in ``reservedAsset``; released when it ends.
    public var reserved: Money
    /// Whether its stop price has been reached (stop orders only).
    public var triggered: Bool
    /// Why it was cancelled or expired.
    public var reason: String?

    /// Creates a record.
    /// - Parameters:
    ///   - order: the accepted order.
    ///   - sequence: its arrival number.
    ///   - reservedAsset: the asset locked.
    ///   - reserved: the amount locked.
    public init(order: Order, sequence: UInt64, reservedAsset: String, reserved: Money) {
        self.order = order
        self.sequence = sequence
        self.reservedAsset = reservedAsset
        self.reserved = reserved
        self.triggered = false
        self.reason = nil
    }

    /// The order as the ``ExecutionClient`` port reports it.
    public var venueOrder: VenueOrder {
        VenueOrder(
            clientOrderID: order.clientOrderID, venueOrderID: order.venueOrderID, symbol: order.symbol,
            side: order.side, type: order.type, quantity: order.quantity, price: order.price,
            stopPrice: order.stopPrice, status: order.status, filledQuantity: order.filledQuantity,
            averageFillPrice: order.averageFillPrice, updatedAt: order.updatedAt,
            reason: order.rejectReason ?? reason)
    }
}
