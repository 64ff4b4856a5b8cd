import PetrelCore

/// The intent-first order state machine of one bot (DESIGN §1.4, §3): a value whose mutating methods
/// take what happened (an order to place, a venue answer, a pushed update) and return the
/// ``OrderEffect``s to perform, in order. It does no I/O; ``OrderDriver`` performs the effects.
///
/// Rules:
/// - **Intent first.** ``place(_:at:)`` returns the intent write before the send; a failed write
///   means nothing is sent.
/// - **Same id on every attempt.** `retryable` and `rateLimited` failures (the venue did not see
///   the request) are retried under the same client id after a back-off or the venue's wait; after
///   ``OrderManagerConfiguration/maxSubmitAttempts`` the order is `rejected`.
/// - **Unknown until the venue says.** `unknownOutcome` makes the order `unknown`; only a query by
///   client id resolves it. Found: the venue's state is adopted and its fills are fetched. Not found
///   while the visibility window since the send is open: asked again once it has passed. Not found
///   after it: resent under the same client id (the venue dedupes by id, so a late original cannot
///   double it) if it was placed at most ``OrderManagerConfiguration/resubmitWithin`` ago (its creation
///   time when it was placed before a restart) and was
///   resent fewer than ``OrderManagerConfiguration/maxResubmissions`` times, else `rejected`.
/// - **Fills once.** Fills are keyed by (symbol, trade id); a repeated one changes nothing.
/// - **Fills are the truth.** Filled quantities only come from fills. A terminal update whose
///   filled quantity exceeds the fills applied is held back (and the fills fetched) until they
///   arrive, so the bot always sees fills before the close. A fill for an order already closed
///   replays the order from its intent and all fills (``Order/replaying(_:closing:reason:at:)``):
///   complete fills make it `filled`, else it keeps its terminal status; an order the manager had
///   rejected itself becomes `unknown` and is queried again.
/// - **Reconciled before trading.** A new manager, and one whose connection dropped, refuses new
///   orders (``canTrade`` is false, ``blockedReason`` says why) until ``reconciliationSucceeded()``.
public struct OrderManager: Sendable {
    /// A terminal venue status waiting for the fills the venue counted in it.
    struct HeldClose: Sendable, Hashable {
        var status: OrderStatus
        var reason: String?
        var timestamp: Int64
    }

    struct Entry: Sendable {
        var order: Order
        var fills: [Fill] = []
        /// The largest filled quantity the venue reported.
        var venueFilled: Quantity = .zero
        var heldClose: HeldClose?
        /// When the last send started (the visibility window counts from here).
        var sentAt: Int64?
        /// When this manager placed the order (``OrderManager/place(_:at:)``); an order's `createdAt` is
        /// market time (a live bot's candle opened a timeframe earlier), so the resend window counts from here.
        var placedAt: Int64?
        /// Attempts of the current send.
        var attempts = 0
        var resubmissions = 0
        /// When to query the venue next, for an order whose outcome is unknown.
        var nextLookupAt: Int64?
        /// A cancel asked for before the venue acknowledged the order; sent once it does.
        var cancelRequested = false
        var closedAt: Int64?
    }

    struct FillKey: Sendable, Hashable {
        var symbol: Symbol
        var tradeID: String
    }

    /// The timing and retry rules.
    public let configuration: OrderManagerConfiguration
    var entries: [ClientOrderID: Entry] = [:]
    var appliedFills: Set<FillKey> = []
    /// The newest fill timestamp seen (applied now or loaded from the store).
    public internal(set) var lastFillTimestamp: Int64?
    /// Why new orders are refused, or `nil` when they go out.
    public internal(set) var blockedReason: String?

    /// Creates a manager that refuses new orders until its first reconciliation.
    /// - Parameter configuration: timing and retry rules.
    public init(configuration: OrderManagerConfiguration = OrderManagerConfiguration()) {
        self.configuration = configuration
        self.blockedReason = "not reconciled with the venue since start-up"
    }

    /// Whether new orders may be sent: reconciliation has succeeded and nothing blocks trading since.
    public var canTrade: Bool { blockedReason == nil }

    /// An order by client id, in the manager's view.
    public func order(_ id: ClientOrderID) -> Order? { entries[id]?.order }

    /// Whether the manager holds this order in memory.
    public func knows(_ id: ClientOrderID) -> Bool { entries[id] != nil }

    /// The fills applied to an order, in the order they were applied.
    public func fills(of id: ClientOrderID) -> [Fill] { entries[id]?.fills ?? [] }

    /// Every order in memory, by client id.
    public var orders: [Order] { entries.values.map(\.order).sorted { $0.clientOrderID < $1.clientOrderID } }

    /// Orders not yet terminal (what reconciliation checks), by client id.
    public var unfinishedOrders: [Order] { orders.filter { !$0.status.isTerminal } }

    /// Orders whose outcome is not known yet: `intent`, `submitted` or `unknown`.
    public var unresolvedOrders: [Order] {
        orders.filter { [.intent, .submitted, .unknown].contains($0.status) }
    }

    /// Loads an order and its fills from the store (start-up, or a late update for an order no
    /// longer in memory). Its fills count as applied; an order already in memory is left alone.
    /// - Parameters:
    ///   - order: the stored order.
    ///   - fills: its stored fills.
    public mutating func load(_ order: Order, fills: [Fill]) {
        guard entries[order.clientOrderID] == nil else { return }
        var entry = Entry(order: order, fills: fills)
        entry.venueFilled = order.filledQuantity
        entry.closedAt = order.status.isTerminal ? order.updatedAt : nil
        entries[order.clientOrderID] = entry
        for fill in fills {
            appliedFills.insert(FillKey(symbol: fill.symbol, tradeID: fill.tradeID))
            lastFillTimestamp = Swift.max(lastFillTimestamp ?? fill.timestamp, fill.timestamp)
        }
    }

    /// Notes the newest fill time recorded in the store (where reconciliation starts).
    /// - Parameter timestamp: Unix ms.
    public mutating func noteFillTimestamp(_ timestamp: Int64?) {
        guard let timestamp else { return }
        lastFillTimestamp = Swift.max(lastFillTimestamp ?? timestamp, timestamp)
    }

    /// Refuses new orders until the next successful reconciliation.
    /// - Parameter reason: what the bot and the dashboard show (`connection lost`, `reconciling`).
    public mutating func blockTrading(_ reason: String) {
        blockedReason = reason
    }

    /// Reconciliation succeeded: new orders go out again.
    public mutating func reconciliationSucceeded() {
        blockedReason = nil
    }

    /// Records a new order as an intent and asks for it to be written, then sent.
    /// - Parameters:
    ///   - order: an order in the `intent` or `submitted` status (as the kernel emits it).
    ///   - now: Unix ms.
    /// - Returns: `[.saveIntent, .submit]`.
    /// - Throws: ``OrderManagerError/tradingBlocked(_:)`` before reconciliation,
    ///   ``OrderManagerError/duplicateClientOrderID(_:)``, ``OrderManagerError/notAnIntent(_:_:)``.
    public mutating func place(_ order: Order, at now: Int64) throws(OrderManagerError) -> [OrderEffect] {
        if let blockedReason { throw .tradingBlocked(blockedReason) }
        let id = order.clientOrderID
        guard entries[id] == nil else { throw .duplicateClientOrderID(id) }
        guard order.status == .intent || order.status == .submitted else { throw .notAnIntent(id, order.status) }
        let intent = order.asIntent()
        var sent = intent
        try? sent.transition(to: .submitted, at: now)
        entries[id] = Entry(order: sent, sentAt: now, placedAt: now, attempts: 1)
        return [.saveIntent(intent), .submit(sent, delay: 0)]
    }

    /// Forgets an order whose intent could not be written (nothing was sent).
    /// - Parameter id: the order's client id.
    public mutating func discard(_ id: ClientOrderID) {
        entries[id] = nil
    }

    /// Asks for an order to be cancelled. An order the venue has not acknowledged yet is cancelled
    /// once it does; a terminal one cannot be.
    /// - Parameters:
    ///   - id: the order's client id.
    ///   - now: Unix ms.
    /// - Returns: the status write and the cancel request, or nothing yet.
    /// - Throws: ``OrderManagerError/unknownOrder(_:)``, ``OrderManagerError/notCancellable(_:_:)``.
    public mutating func requestCancel(_ id: ClientOrderID, at now: Int64) throws(OrderManagerError)
        -> [OrderEffect]
    {
        guard var entry = entries[id] else { throw .unknownOrder(id) }
        let status = entry.order.status
        switch status {
        case .accepted, .partiallyFilled:
            try? entry.order.transition(to: .pendingCancel, at: now)
            entries[id] = entry
            return [.saveOrder(entry.order), .cancel(id, symbol: entry.order.symbol)]
        case .pendingCancel:
            return [.cancel(id, symbol: entry.order.symbol)]
        case .intent, .submitted, .unknown:
            entry.cancelRequested = true
            entries[id] = entry
            return []
        case .filled, .cancelled, .rejected, .expired:
            throw .notCancellable(id, status)
        }
    }

    /// The lookups that are due: unknown orders whose next query time has come. Also drops terminal
    /// orders older than ``OrderManagerConfiguration/retainTerminalOrders`` from memory.
    /// - Parameter now: Unix ms.
    /// - Returns: `.lookUp` effects.
    public mutating func tick(at now: Int64) -> [OrderEffect] {
        var effects: [OrderEffect] = []
        for id in entries.keys.sorted() {
            guard var entry = entries[id] else { continue }
            if let closedAt = entry.closedAt, entry.heldClose == nil,
                now - closedAt > configuration.retainTerminalOrders
            {
                forget(id)
                continue
            }
            guard let due = entry.nextLookupAt, due <= now else { continue }
            entry.nextLookupAt = nil
            entries[id] = entry
            effects.append(.lookUp(id, symbol: entry.order.symbol))
        }
        return effects
    }

    mutating func forget(_ id: ClientOrderID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        for fill in entry.fills { appliedFills.remove(FillKey(symbol: fill.symbol, tradeID: fill.tradeID)) }
    }
}
