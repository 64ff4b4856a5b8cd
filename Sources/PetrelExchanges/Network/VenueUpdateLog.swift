import PetrelCore
import PetrelRuntime
import Synchronization

/// What an execution client's `updates()` stream has reported, shared by its push subscription (if any)
/// and its REST passes, so each order change and each fill is reported once whichever way it came.
final class VenueUpdateLog: Sendable {
    struct State {
        var orders: [ClientOrderID: (OrderStatus, Quantity)] = [:]
        var fills = Set<String>()
        var live = false
        var pollRequested = false
    }

    let state = Mutex(State())
    let continuation: AsyncStream<ExecutionUpdate>.Continuation

    init(_ continuation: AsyncStream<ExecutionUpdate>.Continuation) {
        self.continuation = continuation
    }

    /// Reports an order's state unless it was reported already.
    func report(_ order: VenueOrder) {
        let new = state.withLock { state in
            let known = state.orders[order.clientOrderID]
            guard known?.0 != order.status || known?.1 != order.filledQuantity else { return false }
            state.orders[order.clientOrderID] = (order.status, order.filledQuantity)
            return true
        }
        if new { continuation.yield(.order(order)) }
    }

    /// Reports a fill unless it was reported already. - Returns: whether it was new.
    @discardableResult
    func report(_ fill: Fill) -> Bool {
        let new = state.withLock { $0.fills.insert("\(fill.symbol)|\(fill.tradeID)").inserted }
        if new { continuation.yield(.fill(fill)) }
        return new
    }

    var isLive: Bool { state.withLock { $0.live } }

    /// Marks the subscription live (a REST pass follows at once, for what came before it) or down.
    func setLive(_ live: Bool) {
        state.withLock { state in
            if live, !state.live { state.pollRequested = true }
            state.live = live
        }
    }

    /// Waits `interval`, or less when a REST pass is asked for.
    func wait(_ interval: Duration) async {
        let deadline = ContinuousClock.now + interval
        while ContinuousClock.now < deadline, !Task.isCancelled {
            let asked = state.withLock { state in
                defer { state.pollRequested = false }
                return state.pollRequested
            }
            if asked { return }
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }

    func finish() { continuation.finish() }

    /// One REST pass of `client` over the symbols it trades: open orders are read, an order that left them
    /// is queried once for its final state, every order's latest state is reported, and fills since
    /// `since` are reported. Each change and fill is reported once.
    /// - Parameter known: the orders the client remembers (its queries update them).
    /// - Returns: where the next pass's fill window starts: it moves on with every fill read, whichever way
    ///   it was reported first.
    func restPass(
        _ client: some ExecutionClient, symbols: [Symbol], known: () -> [VenueOrder], since start: Int64
    ) async throws(ExecutionError) -> Int64 {
        var since = start
        for symbol in symbols {
            let open = Set(try await client.openOrders(symbol: symbol).map(\.clientOrderID))
            let ended = known().filter {
                $0.symbol == symbol && !$0.status.isTerminal && !open.contains($0.clientOrderID)
            }
            for order in ended { _ = try await client.order(order.clientOrderID, symbol: symbol) }
            let current = known().filter { $0.symbol == symbol }
            for order in current.sorted(by: { $0.updatedAt < $1.updatedAt }) { report(order) }
            for fill in try await client.fills(symbol: symbol, since: since) {
                report(fill)
                since = max(since, fill.timestamp - 60_000)
            }
        }
        return since
    }
}
