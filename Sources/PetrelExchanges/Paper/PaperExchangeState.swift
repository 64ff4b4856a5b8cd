import PetrelCore
import PetrelRuntime

/// Everything the paper exchange must keep across a restart: balances (free and locked), orders,
/// fills, the last quote per symbol and the id counters. `Codable`, so the persistence layer can
/// store it and a restarted paper exchange continues with the same balances and orders.
public struct PaperExchangeState: Sendable, Hashable, Codable {
    /// Balances per asset, split into free and locked by open orders.
    public var ledger: PortfolioLedger
    /// The open orders and the most recent closed ones (see ``pruneHistory(limit:)``), by client order id.
    public var orders: [String: PaperOrder]
    /// Open orders in arrival order (matching priority).
    public var openOrderIDs: [ClientOrderID]
    /// The most recent fills (see ``pruneHistory(limit:)``), oldest first.
    public var fills: [Fill]
    /// The last valid quote per symbol (`BTC/USDT`).
    public var lastQuotes: [String: Quote]
    /// The last venue order number handed out.
    public var orderSequence: UInt64
    /// The last trade number handed out.
    public var tradeSequence: UInt64

    /// A fresh exchange account.
    /// - Parameter balances: the starting free balance per asset.
    public init(balances: [String: Money]) {
        self.ledger = PortfolioLedger(balances: balances)
        self.orders = [:]
        self.openOrderIDs = []
        self.fills = []
        self.lastQuotes = [:]
        self.orderSequence = 0
        self.tradeSequence = 0
    }

    /// Forgets the oldest closed orders and fills once either passes `2 × limit`, down to `limit`
    /// (in batches, so the save's full re-encode after a prune stays rare). Open orders stay.
    /// - Returns: the client ids of the orders forgotten and how many of the oldest fills were.
    @discardableResult
    public mutating func pruneHistory(limit: Int) -> (orders: [String], fills: Int) {
        var forgotten: [String] = []
        let closed = orders.count - openOrderIDs.count
        if closed > 2 * limit {
            let open = Set(openOrderIDs.map(\.rawValue))
            let oldest = orders.filter { !open.contains($0.key) }.sorted { $0.value.sequence < $1.value.sequence }
            for (key, _) in oldest.prefix(closed - limit) {
                orders[key] = nil
                forgotten.append(key)
            }
        }
        var dropped = 0
        if fills.count > 2 * limit {
            dropped = fills.count - limit
            fills.removeFirst(dropped)
        }
        return (forgotten, dropped)
    }

    /// An order by client id.
    public func order(_ id: ClientOrderID) -> PaperOrder? { orders[id.rawValue] }

    /// Cancels an open order and releases what it locked; a cancelled or expired order is returned
    /// as it is (a repeated cancel is harmless).
    /// - Parameters:
    ///   - id: its client id.
    ///   - symbol: its symbol.
    ///   - timestamp: Unix ms.
    /// - Returns: the order after the cancel and the updates to publish.
    /// - Throws: ``ExecutionError/rejected(_:)`` for an unknown, filled or rejected order.
    public mutating func cancel(_ id: ClientOrderID, symbol: Symbol, at timestamp: Int64)
        throws(ExecutionError) -> (VenueOrder, [ExecutionUpdate])
    {
        guard let paper = orders[id.rawValue], paper.order.symbol == symbol else {
            throw .rejected("unknown order \(id) for \(symbol)")
        }
        switch paper.order.status {
        case .cancelled, .expired:
            return (paper.venueOrder, [])
        case .filled, .rejected:
            throw .rejected("order \(id) is already \(paper.order.status.rawValue)")
        default:
            close(id, as: .cancelled, reason: "cancelled by the client", at: timestamp)
            let view = orders[id.rawValue]!.venueOrder
            return (view, [.order(view)])
        }
    }

    /// Ends an open order (`cancelled`, `expired`, or after its last fill) and unlocks its reservation.
    mutating func close(_ id: ClientOrderID, as status: OrderStatus?, reason: String?, at timestamp: Int64) {
        guard var paper = orders[id.rawValue] else { return }
        if let status, paper.order.status != status {
            try? paper.order.transition(to: status, at: timestamp)
            paper.reason = reason
        }
        if paper.reserved.isPositive {
            try? ledger.unlock(paper.reservedAsset, paper.reserved)
            paper.reserved = .zero
        }
        orders[id.rawValue] = paper
        openOrderIDs.removeAll { $0 == id }
    }
}
