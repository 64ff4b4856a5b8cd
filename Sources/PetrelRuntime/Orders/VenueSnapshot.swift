import PetrelCore

/// What reconciliation learnt from the venue, gathered completely before any of it is applied.
public struct VenueSnapshot: Sendable, Hashable {
    /// Orders open at the venue.
    public var openOrders: [VenueOrder]
    /// Unfinished local orders that are not open at the venue, with what a query by client id
    /// returned (`nil`: the venue has never seen the id).
    public var lookedUp: [ClientOrderID: VenueOrder?]
    /// Fills since the last fill seen, oldest first.
    public var fills: [Fill]

    /// Creates a snapshot.
    /// - Parameters:
    ///   - openOrders: orders open at the venue.
    ///   - lookedUp: query results for the other unfinished local orders.
    ///   - fills: fills since the last one seen.
    public init(openOrders: [VenueOrder], lookedUp: [ClientOrderID: VenueOrder?], fills: [Fill]) {
        self.openOrders = openOrders
        self.lookedUp = lookedUp
        self.fills = fills
    }
}
