import PetrelCore

/// Connects a ``TradingKernel`` to an ``OrderDriver``: the kernel's `submit`/`cancel` actions go
/// through the driver, and the driver's ``OrderEvent``s come back as `handleOrderAccepted`,
/// `handleFill` and `handleOrderClosed` calls, until no order action is left.
public enum KernelOrderFeed {
    /// Applies order events to the kernel, in order.
    /// - Parameters:
    ///   - events: what the driver reported.
    ///   - kernel: the bot's kernel.
    ///   - actions: where the kernel's follow-up actions are appended (protective orders after an
    ///     entry fill, a closed trade).
    /// - Throws: ``KernelError`` when a fill does not fit the kernel's order.
    public static func apply(
        _ events: [OrderEvent], to kernel: inout TradingKernel, into actions: inout [KernelAction]
    ) throws(KernelError) {
        for event in events {
            switch event {
            case .accepted(let id, let venueOrderID, let timestamp):
                kernel.handleOrderAccepted(id, venueOrderID: venueOrderID, at: timestamp)
            case .filled(let fill):
                try kernel.handleFill(fill, into: &actions)
            case .closed(let id, let status, let reason, let timestamp):
                kernel.handleOrderClosed(id, status: status, reason: reason, at: timestamp, into: &actions)
            case .unknown, .anomaly:
                break
            }
        }
    }

    /// Performs the kernel's order actions through the driver and feeds the outcomes back until no
    /// `submit` or `cancel` is left. An order the driver refuses (trading blocked, store failure)
    /// is closed in the kernel as `rejected` with the reason, so the kernel never waits for it.
    /// - Parameters:
    ///   - actions: the kernel's actions.
    ///   - kernel: the bot's kernel.
    ///   - driver: the order driver.
    ///   - now: Unix ms, for closes the driver refused.
    /// - Returns: every other action (signals, skips, closed trades, state changes), in order.
    /// - Throws: ``KernelError`` when a fill does not fit the kernel's order.
    public static func perform(
        _ actions: [KernelAction], kernel: inout TradingKernel, driver: OrderDriver, now: Int64
    ) async throws(KernelError) -> [KernelAction] {
        var queue = actions
        var others: [KernelAction] = []
        while !queue.isEmpty {
            let action = queue.removeFirst()
            var events: [OrderEvent] = []
            switch action {
            case .submit(let order):
                do {
                    events = try await driver.submit(order)
                } catch {
                    var follow: [KernelAction] = []
                    kernel.handleOrderClosed(
                        order.clientOrderID, status: .rejected, reason: "not sent: \(error)", at: now, into: &follow)
                    queue += follow
                    continue
                }
            case .cancel(let id, _):
                events = (try? await driver.cancel(id)) ?? []
            default:
                others.append(action)
                continue
            }
            var follow: [KernelAction] = []
            try apply(events, to: &kernel, into: &follow)
            queue += follow
        }
        return others
    }
}
