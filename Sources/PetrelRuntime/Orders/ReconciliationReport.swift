import PetrelCore

/// The outcome of one successful reconciliation.
public struct ReconciliationReport: Sendable, Hashable {
    /// What changed, for the kernel (acceptances, fills not seen before, closes) in order.
    public var events: [OrderEvent]
    /// Open venue orders this manager did not send (another bot, a person, the venue's own UI).
    public var unmanagedOpenOrders: [VenueOrder]
    /// The venue's balances per asset, for the portfolio to compare with its books.
    public var balances: [String: PortfolioLedger.Balance]
    /// Orders still unresolved after it (not yet visible at the venue); queried again later.
    public var unresolvedOrders: [ClientOrderID]

    /// Creates a report.
    /// - Parameters:
    ///   - events: changes for the kernel.
    ///   - unmanagedOpenOrders: open venue orders this manager did not send.
    ///   - balances: the venue's balances.
    ///   - unresolvedOrders: orders still unresolved.
    public init(
        events: [OrderEvent], unmanagedOpenOrders: [VenueOrder], balances: [String: PortfolioLedger.Balance],
        unresolvedOrders: [ClientOrderID]
    ) {
        self.events = events
        self.unmanagedOpenOrders = unmanagedOpenOrders
        self.balances = balances
        self.unresolvedOrders = unresolvedOrders
    }
}
