import PetrelCore

/// An ``OrderStore`` in memory, with the same unique constraints as the SQL one: for tests and
/// for bots that need no persistence (`--dry-run`).
///
/// Survives a simulated crash when the test keeps the instance and builds a new order manager on it.
public actor InMemoryOrderStore: OrderStore {
    private struct FillKey: Hashable {
        var symbol: Symbol
        var tradeID: String
    }

    private var orders: [ClientOrderID: Order] = [:]
    private var creationOrder: [ClientOrderID] = []
    private var venueOrderIDs: [String: ClientOrderID] = [:]
    private var fillKeys: Set<FillKey> = []
    private var fillsByOrder: [ClientOrderID: [Fill]] = [:]
    private var latestFill: Int64?
    private var fillOrder: [Fill] = []

    /// Creates an empty store.
    public init() {}

    /// Saves a new intent; a second intent with the same client id throws.
    /// - Throws: ``OrderStoreError/duplicateClientOrderID(_:)``.
    public func saveIntent(_ order: Order) throws(OrderStoreError) {
        guard orders[order.clientOrderID] == nil else { throw .duplicateClientOrderID(order.clientOrderID) }
        try checkVenueID(of: order)
        orders[order.clientOrderID] = order
        creationOrder.append(order.clientOrderID)
        if let venueID = order.venueOrderID { venueOrderIDs[venueID] = order.clientOrderID }
    }

    /// Replaces an order's state.
    /// - Throws: ``OrderStoreError/unknownOrder(_:)`` or ``OrderStoreError/duplicateVenueOrderID(_:existing:)``.
    public func updateOrder(_ order: Order) throws(OrderStoreError) {
        guard orders[order.clientOrderID] != nil else { throw .unknownOrder(order.clientOrderID) }
        try checkVenueID(of: order)
        orders[order.clientOrderID] = order
        if let venueID = order.venueOrderID { venueOrderIDs[venueID] = order.clientOrderID }
    }

    /// Stores a fill with its order's new state; a repeated trade id throws and changes nothing.
    /// - Throws: ``OrderStoreError/duplicateTradeID(_:symbol:)`` and the errors of ``updateOrder(_:)``.
    public func recordFill(_ fill: Fill, order: Order) throws(OrderStoreError) {
        let key = FillKey(symbol: fill.symbol, tradeID: fill.tradeID)
        guard !fillKeys.contains(key) else { throw .duplicateTradeID(fill.tradeID, symbol: fill.symbol) }
        try updateOrder(order)
        fillKeys.insert(key)
        fillsByOrder[fill.clientOrderID, default: []].append(fill)
        fillOrder.append(fill)
        latestFill = Swift.max(latestFill ?? fill.timestamp, fill.timestamp)
    }

    /// Orders not in a terminal status, oldest first.
    public func unfinishedOrders() -> [Order] {
        creationOrder.compactMap { orders[$0] }.filter { !$0.status.isTerminal }
    }

    /// One order by client id.
    public func order(_ id: ClientOrderID) -> Order? { orders[id] }

    /// The fills of one order in recording order.
    public func fills(of id: ClientOrderID) -> [Fill] { fillsByOrder[id] ?? [] }

    /// The newest fill timestamp recorded.
    public func latestFillTimestamp() -> Int64? { latestFill }

    /// The newest orders first, at most `limit`.
    public func recentOrders(limit: Int) -> [Order] {
        creationOrder.suffix(Swift.max(0, limit)).reversed().compactMap { orders[$0] }
    }

    /// The newest fills first, at most `limit`.
    public func recentFills(limit: Int) -> [Fill] { Array(fillOrder.suffix(Swift.max(0, limit)).reversed()) }

    /// Every stored order, oldest first (for tests and the dashboard).
    public func allOrders() -> [Order] { creationOrder.compactMap { orders[$0] } }

    /// Every stored fill, grouped by order in creation order.
    public func allFills() -> [Fill] { creationOrder.flatMap { fillsByOrder[$0] ?? [] } }

    private func checkVenueID(of order: Order) throws(OrderStoreError) {
        guard let venueID = order.venueOrderID, let owner = venueOrderIDs[venueID],
            owner != order.clientOrderID
        else { return }
        throw .duplicateVenueOrderID(venueID, existing: owner)
    }
}
