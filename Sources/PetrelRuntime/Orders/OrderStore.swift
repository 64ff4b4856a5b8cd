import PetrelCore

/// Where the order manager keeps its orders and fills so that a restarted bot knows what it sent
/// (DESIGN §1.4): intents are written before anything goes to the venue, fills are written once.
///
/// Implementations enforce three unique constraints and throw instead of overwriting: the client
/// order id (``saveIntent(_:)``), the venue order id (no two orders share one) and the trade id
/// (``recordFill(_:order:)``, unique per symbol). ``InMemoryOrderStore`` is the reference
/// implementation; the SQLite repository implements the same contract.
public protocol OrderStore: Sendable {
    /// Writes a new order in the `intent` status.
    /// - Parameter order: the order as built, before it is sent.
    /// - Throws: ``OrderStoreError/duplicateClientOrderID(_:)`` when the id is already stored.
    func saveIntent(_ order: Order) async throws(OrderStoreError)

    /// Replaces the stored state of an order (status, venue order id, filled quantity, fees).
    /// - Parameter order: the order's current state.
    /// - Throws: ``OrderStoreError/unknownOrder(_:)`` for an order never saved as an intent,
    ///   ``OrderStoreError/duplicateVenueOrderID(_:existing:)`` when another order has its venue id.
    func updateOrder(_ order: Order) async throws(OrderStoreError)

    /// Writes a fill and its order's state after the fill, together (one transaction in SQL).
    /// - Parameters:
    ///   - fill: the venue's execution.
    ///   - order: the order with the fill applied.
    /// - Throws: ``OrderStoreError/duplicateTradeID(_:symbol:)`` when the fill is already stored (nothing
    ///   changes), or the errors of ``updateOrder(_:)``.
    func recordFill(_ fill: Fill, order: Order) async throws(OrderStoreError)

    /// Orders not in a terminal status (intent, submitted, accepted, partially filled, pending
    /// cancel, unknown), oldest first: what reconciliation must check.
    func unfinishedOrders() async throws(OrderStoreError) -> [Order]

    /// One order by client id, or `nil`.
    func order(_ id: ClientOrderID) async throws(OrderStoreError) -> Order?

    /// The fills of one order, in the order they were recorded.
    func fills(of id: ClientOrderID) async throws(OrderStoreError) -> [Fill]

    /// The newest fill timestamp (Unix ms) recorded, or `nil` before the first fill: where the next
    /// reconciliation starts asking the venue for fills.
    func latestFillTimestamp() async throws(OrderStoreError) -> Int64?

    /// The newest orders first (by creation), at most `limit`: status pages and the API.
    func recentOrders(limit: Int) async throws(OrderStoreError) -> [Order]

    /// The newest fills first (by recording), at most `limit`.
    func recentFills(limit: Int) async throws(OrderStoreError) -> [Fill]
}

/// Why the order store refused a write or could not answer.
public enum OrderStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An order with this client order id is already stored.
    case duplicateClientOrderID(ClientOrderID)
    /// Another order (`existing`) already has this venue order id.
    case duplicateVenueOrderID(String, existing: ClientOrderID)
    /// This fill is already stored.
    case duplicateTradeID(String, symbol: Symbol)
    /// No order with this client order id was saved.
    case unknownOrder(ClientOrderID)
    /// The storage itself failed (I/O, locked database); the write did not happen.
    case storage(String)

    public var description: String {
        switch self {
        case .duplicateClientOrderID(let id):
            return "an order with client order id \(id) is already stored"
        case .duplicateVenueOrderID(let venueID, let existing):
            return "venue order id \(venueID) already belongs to order \(existing)"
        case .duplicateTradeID(let tradeID, let symbol):
            return "fill \(tradeID) of \(symbol) is already stored"
        case .unknownOrder(let id):
            return "no order with client order id \(id) is stored"
        case .storage(let why):
            return "order storage failed: \(why)"
        }
    }
}
