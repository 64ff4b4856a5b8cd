import PetrelCore

extension OrderDriver {
    /// Reconciles with the venue (at start-up and after every reconnect): open orders, a query by
    /// client id for every other unfinished order and fills since the last one seen are gathered
    /// first and then applied; balances are read last, after any order the reconciliation resent.
    /// Trading is blocked while it runs and stays blocked, with the failure as the reason, until a
    /// run succeeds.
    /// - Parameter symbols: symbols whose fills to fetch besides those of the manager's orders.
    /// - Returns: the events for the kernel and what the venue holds that the manager did not send.
    /// - Throws: ``OrderManagerError/venue(_:)`` or ``OrderManagerError/store(_:)``; trading stays blocked.
    public func reconcile(symbols: Set<Symbol> = []) async throws(OrderManagerError) -> ReconciliationReport {
        manager.blockTrading("reconciliation with the venue is running")
        let snapshot: VenueSnapshot
        do {
            snapshot = try await gather(symbols: symbols)
        } catch {
            manager.blockTrading("reconciliation failed (\(error)); no new orders until it succeeds")
            throw .venue(error)
        }
        let events: [OrderEvent]
        let unmanaged: [VenueOrder]
        let balances: [String: PortfolioLedger.Balance]
        do {
            for fill in snapshot.fills where !manager.knows(fill.clientOrderID) {
                try await ensureLoaded(fill.clientOrderID)
            }
            let step = manager.reconcile(snapshot, at: clock.now())
            unmanaged = step.unmanaged
            events = try await perform(step.effects)
        } catch {
            manager.blockTrading("reconciliation failed (\(error)); no new orders until it succeeds")
            throw error
        }
        do {
            balances = try await client.balances()
        } catch {
            manager.blockTrading("reconciliation failed (\(error)); no new orders until it succeeds")
            throw .venue(error)
        }
        manager.reconciliationSucceeded()
        return ReconciliationReport(
            events: events, unmanagedOpenOrders: unmanaged, balances: balances,
            unresolvedOrders: manager.unresolvedOrders.map(\.clientOrderID))
    }

    /// Asks the venue everything reconciliation needs before changing anything.
    func gather(symbols extra: Set<Symbol>) async throws(ExecutionError) -> VenueSnapshot {
        let open = try await client.openOrders(symbol: nil)
        let openIDs = Set(open.map(\.clientOrderID))
        var lookedUp: [ClientOrderID: VenueOrder?] = [:]
        for order in manager.unfinishedOrders where !openIDs.contains(order.clientOrderID) {
            let found = try await client.order(order.clientOrderID, symbol: order.symbol)
            lookedUp.updateValue(found, forKey: order.clientOrderID)
        }
        var symbols = extra
        for order in manager.orders { symbols.insert(order.symbol) }
        let lookback = manager.configuration.fillLookback
        let since =
            manager.lastFillTimestamp ?? manager.unfinishedOrders.map { $0.createdAt - lookback }.min() ?? 0
        var fills: [Fill] = []
        for symbol in symbols.sorted() {
            fills += try await client.fills(symbol: symbol, since: since)
        }
        return VenueSnapshot(openOrders: open, lookedUp: lookedUp, fills: fills)
    }
}
