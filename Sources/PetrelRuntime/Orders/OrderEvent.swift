import PetrelCore

/// What the order manager tells the bot about its orders, in the order the kernel must see it:
/// an order is accepted before its fills, and closed only after every fill the venue reported.
public enum OrderEvent: Sendable, Hashable {
    /// The venue has the order (acknowledged, or found by a query after an unknown outcome).
    case accepted(ClientOrderID, venueOrderID: String?, timestamp: Int64)
    /// A fill applied for the first time (never repeated, also across restarts).
    case filled(Fill)
    /// The order ended without filling completely: `cancelled`, `expired` or `rejected` (with the
    /// venue's or the manager's reason). A completely filled order ends with its last ``filled(_:)``.
    case closed(ClientOrderID, status: OrderStatus, reason: String?, timestamp: Int64)
    /// The outcome of a send is unknown (timeout, 5xx, disconnect); the manager queries the venue by
    /// client id until it knows.
    case unknown(ClientOrderID, reason: String, timestamp: Int64)
    /// Venue data that contradicts the local books (an overfill, a second venue id, a fill after the
    /// order was closed), for the log and the operator; the manager's correction is in the message.
    case anomaly(ClientOrderID, message: String, timestamp: Int64)
}
