import PetrelCore

/// Runs an ``OrderManager`` against a venue and a store: performs the effects its steps return
/// (writes before sends, sends, queries, waits) and feeds every answer back into it.
///
/// A bot drives it from its one task: ``start()`` and ``reconcile(symbols:)`` at start-up,
/// ``submit(_:)`` and ``cancel(_:)`` for the kernel's actions, ``handle(_:)`` for every pushed
/// update, ``resolvePending()`` on a timer, ``connectionLost(_:)`` and ``reconcile(symbols:)`` after a
/// reconnect. Each returns the ``OrderEvent``s for the kernel (see ``KernelOrderFeed``). Calls may
/// interleave at suspension points (an update handled while a send awaits the venue); every state
/// change is one synchronous step of the value machine, so interleaving never corrupts the books,
/// and each write stores the order's state as it is when the write starts rather than the state
/// of the step that asked for it.
/// Nothing here reads the wall clock or sleeps except through the injected clock and sleeper.
public actor OrderDriver {
    let client: any ExecutionClient
    let store: any OrderStore
    let clock: any TradingClock
    let sleeper: any Sleeper
    /// Called just before an order is handed to the venue (latency probes); `nil` costs nothing.
    let willSubmit: (@Sendable (Order) -> Void)?
    /// The state machine, for inspection.
    public internal(set) var manager: OrderManager

    /// Creates a driver; it refuses new orders until ``reconcile(symbols:)`` has succeeded.
    /// - Parameters:
    ///   - client: the venue (an adapter, the paper exchange).
    ///   - store: where orders and fills are kept.
    ///   - clock: the source of "now".
    ///   - sleeper: how retries wait.
    ///   - configuration: timing and retry rules.
    ///   - willSubmit: called with each order just before it is handed to the venue, its intent
    ///     already stored (``BotLatencyProbe``); it must not block.
    public init(
        client: any ExecutionClient, store: any OrderStore, clock: any TradingClock, sleeper: any Sleeper,
        configuration: OrderManagerConfiguration = OrderManagerConfiguration(),
        willSubmit: (@Sendable (Order) -> Void)? = nil
    ) {
        self.client = client
        self.store = store
        self.clock = clock
        self.sleeper = sleeper
        self.willSubmit = willSubmit
        self.manager = OrderManager(configuration: configuration)
    }

    /// Whether new orders go out.
    public var canTrade: Bool { manager.canTrade }

    /// Why new orders are refused, or `nil`.
    public var blockedReason: String? { manager.blockedReason }

    /// An order in the manager's view.
    /// - Parameter id: its client id.
    public func order(_ id: ClientOrderID) -> Order? { manager.order(id) }

    /// Loads the unfinished orders, their fills and the last fill time from the store (after a
    /// restart). Trading stays blocked until ``reconcile(symbols:)`` succeeds.
    /// - Throws: ``OrderManagerError/store(_:)``.
    public func start() async throws(OrderManagerError) {
        manager.blockTrading("not reconciled with the venue since start-up")
        do {
            for order in try await store.unfinishedOrders() {
                manager.load(order, fills: try await store.fills(of: order.clientOrderID))
            }
            manager.noteFillTimestamp(try await store.latestFillTimestamp())
        } catch {
            throw .store(error)
        }
    }

    /// Records the order as an intent, then sends it (retrying under the same id when the venue did
    /// not see it), and adopts the answer.
    /// - Parameter order: the kernel's order (`intent` or `submitted`).
    /// - Returns: the events for the kernel (accepted, fills, a close, or `unknown`).
    /// - Throws: ``OrderManagerError/tradingBlocked(_:)`` before reconciliation, a duplicate id, or a
    ///   store failure (nothing was sent when the intent could not be written).
    public func submit(_ order: Order) async throws(OrderManagerError) -> [OrderEvent] {
        let effects = try manager.place(order, at: clock.now())
        return try await perform(effects)
    }

    /// Cancels an order (once the venue has acknowledged it, if it has not yet).
    /// - Parameter id: its client id.
    /// - Returns: the events for the kernel; the close follows every fill the venue counted.
    /// - Throws: ``OrderManagerError/unknownOrder(_:)``, ``OrderManagerError/notCancellable(_:_:)``.
    public func cancel(_ id: ClientOrderID) async throws(OrderManagerError) -> [OrderEvent] {
        try await ensureLoaded(id)
        return try await perform(try manager.requestCancel(id, at: clock.now()))
    }

    /// Applies one pushed update (in any order, any number of times).
    /// - Parameter update: an order update or a fill.
    /// - Returns: the events for the kernel.
    /// - Throws: ``OrderManagerError/store(_:)``.
    public func handle(_ update: ExecutionUpdate) async throws(OrderManagerError) -> [OrderEvent] {
        switch update {
        case .order(let venueOrder): try await ensureLoaded(venueOrder.clientOrderID)
        case .fill(let fill): try await ensureLoaded(fill.clientOrderID)
        }
        return try await perform(manager.receive(update, at: clock.now()))
    }

    /// Performs what is due: queries for orders whose outcome is unknown.
    /// - Returns: the events for the kernel.
    /// - Throws: ``OrderManagerError/store(_:)``.
    public func resolvePending() async throws(OrderManagerError) -> [OrderEvent] {
        try await perform(manager.tick(at: clock.now()))
    }

    /// The update stream ended or the venue connection dropped: no new orders until the next
    /// successful ``reconcile(symbols:)``.
    /// - Parameter reason: what the bot shows.
    public func connectionLost(_ reason: String = "the connection to the venue was lost") {
        manager.blockTrading("\(reason); waiting for reconciliation")
    }

    /// Loads an order the manager no longer (or not yet) holds from the store.
    func ensureLoaded(_ id: ClientOrderID) async throws(OrderManagerError) {
        guard !manager.knows(id) else { return }
        do {
            guard let stored = try await store.order(id) else { return }
            manager.load(stored, fills: try await store.fills(of: id))
        } catch {
            throw .store(error)
        }
    }

    /// Performs effects in order; the effects of each answer run before the rest of the queue.
    func perform(_ effects: [OrderEffect]) async throws(OrderManagerError) -> [OrderEvent] {
        var queue = effects
        var events: [OrderEvent] = []
        var skippedFills: Set<String> = []
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            var next: [OrderEffect] = []
            switch effect {
            case .saveIntent(let order):
                do {
                    try await store.saveIntent(order)
                } catch {
                    manager.discard(order.clientOrderID)
                    throw .store(error)
                }
            case .saveOrder(let order):
                do {
                    try await store.updateOrder(manager.order(order.clientOrderID) ?? order)
                } catch {
                    manager.blockTrading("the order store failed (\(error)); waiting for reconciliation")
                    throw .store(error)
                }
            case .saveFill(let fill, let order):
                do {
                    try await store.recordFill(fill, order: manager.order(order.clientOrderID) ?? order)
                } catch .duplicateTradeID {
                    skippedFills.insert(fill.tradeID)
                } catch {
                    manager.blockTrading("the order store failed (\(error)); waiting for reconciliation")
                    throw .store(error)
                }
            case .submit(let order, let delay):
                if delay > 0 { await sleeper.sleep(milliseconds: delay) }
                willSubmit?(order)
                do {
                    let answer = try await client.submit(order)
                    next = manager.submitSucceeded(answer, at: clock.now())
                } catch {
                    next = manager.submitFailed(order.clientOrderID, error: error, at: clock.now())
                }
            case .cancel(let id, let symbol):
                do {
                    let answer = try await client.cancel(id, symbol: symbol)
                    next = manager.cancelSucceeded(answer, at: clock.now())
                } catch {
                    next = manager.cancelFailed(id, error: error, at: clock.now())
                }
            case .lookUp(let id, let symbol):
                do {
                    let found = try await client.order(id, symbol: symbol)
                    next = manager.lookedUp(id, found: found, at: clock.now())
                } catch {
                    manager.lookupFailed(id, at: clock.now())
                }
            case .fetchFills(let id, let symbol, let since):
                let fills: [Fill]
                do {
                    fills = try await client.fills(symbol: symbol, since: since)
                } catch {
                    manager.lookupFailed(id, at: clock.now())
                    fills = []
                }
                for fill in fills {
                    try await ensureLoaded(fill.clientOrderID)
                    next += manager.receive(.fill(fill), at: clock.now())
                }
            case .notify(let event):
                if case .filled(let fill) = event, skippedFills.contains(fill.tradeID) { continue }
                events.append(event)
            }
            queue.insert(contentsOf: next, at: 0)
        }
        return events
    }

}
