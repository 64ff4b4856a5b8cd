import PetrelCore
import PetrelRuntime

/// A simulated venue for paper trading (`paper`, `binance_paper`, `mock`) that matches orders
/// against live or replayed quotes fed in with ``apply(_:)``; the rules are on
/// ``PaperExchangeState/match(_:configuration:)``.
///
/// Balances are a ``PortfolioLedger``: an order locks what it may cost and a cancel unlocks it.
/// ``submit(_:)`` is idempotent per client order id. The whole state is ``snapshot()``-able and
/// ``restore(_:)``-able, so a restarted bot continues with the same balances and orders. For tests,
/// ``inject(_:on:)`` scripts failures (a timeout after the order was accepted, throttling before
/// it was) and ``dropUpdates()`` ends the update streams. Time comes from the injected clock.
public actor PaperExchange: QuoteDrivenVenue {
    /// The venue name from the configuration.
    public nonisolated let venue: String
    /// Rules, fees, slippage and matching options.
    public let configuration: PaperExchangeConfiguration
    let clock: any TradingClock
    var state: PaperExchangeState
    var faults: [PaperOperation: [PaperFault]] = [:]
    nonisolated let feed = PaperUpdateFeed()
    /// Where ``checkpoint()`` and every accepted submit or cancel save the state, if anywhere.
    var persistence: (store: any PaperAccountStore, account: String)?
    /// Writes the state for ``checkpoint()``, re-encoding only what changed since the last save.
    var stateEncoder = PaperStateEncoder()
    /// Orders accepted since the last save (tells ``stateEncoder`` what is new); kept only when
    /// the account is saved anywhere.
    var acceptedSinceSave: [ClientOrderID] = []

    /// Creates an exchange account with starting balances.
    /// - Parameters:
    ///   - configuration: rules, fees and options.
    ///   - balances: the free balance per asset.
    ///   - clock: the source of acceptance and cancel times.
    public init(configuration: PaperExchangeConfiguration, balances: [String: Money], clock: any TradingClock) {
        self.init(configuration: configuration, state: PaperExchangeState(balances: balances), clock: clock)
    }

    /// Creates an exchange from saved state (a restart).
    /// - Parameters:
    ///   - configuration: rules, fees and options.
    ///   - state: a ``snapshot()`` taken earlier.
    ///   - clock: the source of acceptance and cancel times.
    public init(configuration: PaperExchangeConfiguration, state: PaperExchangeState, clock: any TradingClock) {
        self.venue = configuration.venue
        self.configuration = configuration
        self.state = state
        self.clock = clock
    }

    /// Feeds a quote: matches the open orders of its symbol and publishes the fills and updates.
    /// - Parameter quote: the new best bid/ask/last.
    /// - Returns: what was published, in order.
    @discardableResult
    public func apply(_ quote: Quote) -> [ExecutionUpdate] {
        let updates = state.match(quote, configuration: configuration)
        feed.publish(updates)
        return updates
    }

    /// Everything needed to restart with the same balances, orders and fills.
    public func snapshot() -> PaperExchangeState { state }

    /// Replaces the whole state with a saved one.
    /// - Parameter saved: a ``snapshot()``.
    public func restore(_ saved: PaperExchangeState) {
        state = saved
        stateEncoder = PaperStateEncoder()
    }

    /// Makes the next call of `operation` fail; faults for one operation are used in the order given.
    /// - Parameters:
    ///   - fault: what to do.
    ///   - operation: which call.
    public func inject(_ fault: PaperFault, on operation: PaperOperation) {
        faults[operation, default: []].append(fault)
    }

    /// Ends every open ``updates()`` stream, as a dropped WebSocket would; updates until the next
    /// subscription are lost.
    public func dropUpdates() { feed.finishAll() }

    /// The orders the account still holds (open ones and the most recent closed ones), in acceptance order.
    public var allOrders: [VenueOrder] {
        state.orders.values.sorted { $0.sequence < $1.sequence }.map(\.venueOrder)
    }

    /// Sends an order; a client id seen before returns that order, never a second one.
    /// - Throws: ``ExecutionError/rejected(_:)`` for rule violations and insufficient balance, or an injected fault.
    public func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder {
        let fault = nextFault(.submit)
        if case .failBefore(let error) = fault { throw error }
        let (view, updates) = try state.submit(order, configuration: configuration, at: clock.now())
        if persistence != nil { acceptedSinceSave.append(order.clientOrderID) }
        try await checkpoint()
        feed.publish(updates)
        if case .failAfter(let error) = fault { throw error }
        return view
    }

    /// Cancels an open order and unlocks what it reserved.
    /// - Throws: ``ExecutionError/rejected(_:)`` for an unknown or filled order, or an injected fault.
    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder {
        let fault = nextFault(.cancel)
        if case .failBefore(let error) = fault { throw error }
        let (view, updates) = try state.cancel(id, symbol: symbol, at: clock.now())
        try await checkpoint()
        feed.publish(updates)
        if case .failAfter(let error) = fault { throw error }
        return view
    }

    /// Looks an order up by client id.
    /// - Throws: an injected fault.
    public func order(_ id: ClientOrderID, symbol: Symbol) throws(ExecutionError) -> VenueOrder? {
        try withFaults(.order) { state.order(id).flatMap { $0.order.symbol == symbol ? $0.venueOrder : nil } }
    }

    /// Open orders, in arrival order.
    /// - Throws: an injected fault.
    public func openOrders(symbol: Symbol?) throws(ExecutionError) -> [VenueOrder] {
        try withFaults(.openOrders) {
            state.openOrderIDs.compactMap { state.order($0) }
                .filter { symbol == nil || $0.order.symbol == symbol }
                .map(\.venueOrder)
        }
    }

    /// Fills of `symbol` at or after `since`, oldest first.
    /// - Throws: an injected fault.
    public func fills(symbol: Symbol, since: Int64) throws(ExecutionError) -> [Fill] {
        try withFaults(.fills) { state.fills.filter { $0.symbol == symbol && $0.timestamp >= since } }
    }

    /// Free and locked balance per asset.
    /// - Throws: an injected fault.
    public func balances() throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        try withFaults(.balances) { state.ledger.balances }
    }

    /// The configured rules of `symbol`.
    /// - Throws: ``ExecutionError/rejected(_:)`` for a symbol not traded here.
    public func instrumentRules(_ symbol: Symbol) throws(ExecutionError) -> InstrumentRules {
        guard let rules = configuration.rules(for: symbol) else {
            throw .rejected("\(symbol) is not traded at the paper exchange")
        }
        return rules
    }

    /// A new stream of order updates and fills from now on; it ends on ``dropUpdates()``.
    public nonisolated func updates() -> AsyncStream<ExecutionUpdate> { feed.subscribe() }

    private func nextFault(_ operation: PaperOperation) -> PaperFault? {
        guard var queue = faults[operation], !queue.isEmpty else { return nil }
        let fault = queue.removeFirst()
        faults[operation] = queue
        return fault
    }

    private func withFaults<T>(_ operation: PaperOperation, _ body: () -> T) throws(ExecutionError) -> T {
        let fault = nextFault(operation)
        if case .failBefore(let error) = fault { throw error }
        let result = body()
        if case .failAfter(let error) = fault { throw error }
        return result
    }
}
