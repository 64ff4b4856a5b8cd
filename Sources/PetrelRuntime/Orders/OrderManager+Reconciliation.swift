import PetrelCore

extension OrderManager {
    /// Applies a complete ``VenueSnapshot``: open orders and query results first (acknowledgements,
    /// held closes), then the fills (which complete or settle them), then the unknown-order rule for
    /// orders the venue has never seen. Trading stays blocked until the driver has performed the
    /// returned effects and called ``reconciliationSucceeded()``.
    /// - Parameters:
    ///   - snapshot: what the venue reported.
    ///   - now: Unix ms.
    /// - Returns: the effects, and the open venue orders this manager does not know.
    public mutating func reconcile(_ snapshot: VenueSnapshot, at now: Int64) -> (
        effects: [OrderEffect], unmanaged: [VenueOrder]
    ) {
        var effects: [OrderEffect] = []
        var unmanaged: [VenueOrder] = []
        for venueOrder in snapshot.openOrders {
            if entries[venueOrder.clientOrderID] == nil {
                unmanaged.append(venueOrder)
            } else {
                effects += absorb(venueOrder, at: now)
            }
        }
        var notFound: [ClientOrderID] = []
        for (id, result) in snapshot.lookedUp.sorted(by: { $0.key < $1.key }) {
            if let result {
                effects += absorb(result, at: now)
            } else {
                notFound.append(id)
            }
        }
        let fills = snapshot.fills.sorted { ($0.timestamp, $0.tradeID) < ($1.timestamp, $1.tradeID) }
        for fill in fills { effects += absorb(fill, at: now) }
        for id in notFound { effects += lookedUp(id, found: nil, at: now) }
        // A fetch asked for before the snapshot's fills were applied is kept only if they did not
        // cover the order (fills older than the last one seen), once per order.
        var fetches: [OrderEffect] = []
        var seen: Set<ClientOrderID> = []
        effects.removeAll { effect in
            guard case .fetchFills(let id, _, _) = effect else { return false }
            if let entry = entries[id], entry.venueFilled > entry.order.filledQuantity, seen.insert(id).inserted {
                fetches.append(fetchFills(for: entry.order))
            }
            return true
        }
        return (effects + fetches, unmanaged)
    }
}
