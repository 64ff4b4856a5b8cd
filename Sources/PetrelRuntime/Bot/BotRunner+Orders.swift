import PetrelCore

extension BotRunner {
    /// Applies the order manager's events to the kernel, writes them to the journal, and returns the
    /// kernel's follow-up actions (protective orders after an entry fill, closed trades).
    func apply(_ events: [OrderEvent]) async throws(BotCrash) -> [KernelAction] {
        var follow: [KernelAction] = []
        for event in events {
            environment.observe(.orderUpdate(event))
            switch event {
            case .accepted(let id, let venueOrderID, let timestamp):
                record(.accepted(id, venueOrderID: venueOrderID, timestamp: timestamp), into: &follow)
            case .filled(let fill):
                if let failure = record(.fill(fill), into: &follow) {
                    environment.observe(
                        .error("fill \(fill.tradeID) does not fit order \(fill.clientOrderID): \(failure)"))
                }
                positionsChanged = true
            case .closed(let id, let status, let reason, let timestamp):
                record(.closed(id, status: status, reason: reason, timestamp: timestamp), into: &follow)
            case .unknown, .anomaly:
                break
            }
        }
        try await flushJournal()
        return follow
    }

    /// Performs kernel actions: orders through the order manager (each input journaled before the
    /// orders it causes go out), everything else to the observer.
    func perform(_ actions: [KernelAction]) async throws(BotCrash) {
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .submit(let order):
                environment.observe(.orderSent(order))
                let events: [OrderEvent]
                do {
                    events = try await driver.submit(order)
                } catch {
                    var follow: [KernelAction] = []
                    let now = environment.clock.now()
                    let reason = "not sent: \(error)"
                    record(
                        .closed(order.clientOrderID, status: .rejected, reason: reason, timestamp: now), into: &follow)
                    environment.observe(
                        .orderUpdate(.closed(order.clientOrderID, status: .rejected, reason: reason, timestamp: now)))
                    try await flushJournal()
                    queue.append(contentsOf: follow)
                    continue
                }
                queue.append(contentsOf: try await apply(events))
            case .cancel(let id, _):
                let events: [OrderEvent]
                do {
                    events = try await driver.cancel(id)
                } catch {
                    environment.observe(.notice("cancel of \(id) not sent: \(error)"))
                    continue
                }
                queue.append(contentsOf: try await apply(events))
            case .signal, .skipped, .tradeClosed:
                noteOutcome(of: action)
                if let activity = action.outcomeActivity { environment.observe(activity) }
                if case .skipped(let symbol, let reason, _) = action, TradingKernel.isFilterFailure(reason) {
                    await refreshRules(symbol)
                }
            case .tradingStateChanged(let state, let reason, let timestamp):
                environment.observe(.tradingState(state, reason: reason, timestamp: timestamp))
                do {
                    try await environment.bots.updateTradingState(
                        environment.botID, to: state, reason: reason, at: timestamp)
                } catch {
                    environment.observe(.error("the trading state could not be stored: \(error)"))
                }
            }
        }
    }

    /// Handles a pushed order update or fill.
    func handleExecution(_ update: ExecutionUpdate) async throws(BotCrash) {
        let events: [OrderEvent]
        do {
            events = try await driver.handle(update)
        } catch {
            throw BotCrash("an order update could not be stored: \(error)")
        }
        try await perform(try await apply(events))
    }

    /// Checks orders whose outcome is unknown when their next query is due.
    func resolvePending() async throws(BotCrash) {
        let events: [OrderEvent]
        do {
            events = try await driver.resolvePending()
        } catch {
            throw BotCrash("pending orders could not be stored: \(error)")
        }
        guard !events.isEmpty else { return }
        try await perform(try await apply(events))
    }

    /// Loads unfinished orders and reconciles with the venue, retrying until it succeeds or the
    /// attempts run out (then the bot crashes and the supervisor restarts it later).
    func reconcileUntilDone() async throws(BotCrash) {
        var attempt = 0
        while true {
            do {
                try await driver.start()
                let report = try await driver.reconcile(symbols: [environment.feed.symbol])
                for order in report.unmanagedOpenOrders {
                    environment.observe(
                        .notice("open order \(order.clientOrderID) at the venue was not sent by this bot; left alone"))
                }
                if !report.unresolvedOrders.isEmpty {
                    environment.observe(
                        .notice("orders still unresolved after reconciliation: \(report.unresolvedOrders)"))
                }
                try await perform(try await apply(report.events))
                checkHoldings(report.balances)
                return
            } catch {
                attempt += 1
                guard attempt < environment.reconcileAttempts, !Task.isCancelled else {
                    throw BotCrash("reconciliation failed \(attempt) times: \(error)")
                }
                environment.observe(
                    .error(
                        "reconciliation failed (\(error)); retrying in \(environment.reconcileRetry) ms "
                            + "(attempt \(attempt) of \(environment.reconcileAttempts))"))
                await environment.sleeper.sleep(milliseconds: environment.reconcileRetry)
            }
        }
    }

    /// Compares the venue's balances with the bot's books once reconciliation has applied every
    /// order and fill: a long position larger than the base asset the venue holds, or more cash
    /// than the venue has, means something happened outside the bot (a manual trade, a
    /// withdrawal). Reported as an error; the books stay as they are, and the venue will refuse
    /// what it cannot do. A shared account may hold more than one bot's books: only a shortfall
    /// beyond 1 % (fees a venue takes in the base asset) counts.
    func checkHoldings(_ balances: [String: PortfolioLedger.Balance]) {
        guard !balances.isEmpty else { return }
        func short(_ held: Money, of needed: Money) -> Bool {
            held.doubleValue < needed.doubleValue * 0.99
        }
        for position in kernel.positions where position.isLong {
            let base = position.symbol.base
            let held = balances[base]?.total ?? .zero
            if short(held, of: position.quantity) {
                environment.observe(
                    .error(
                        "the venue holds \(held) \(base), less than the bot's \(position.symbol) position of \(position.quantity): traded or withdrawn outside the bot?"
                    ))
            }
        }
        let quote = kernel.quoteAsset
        let cash = balances[quote]?.total ?? .zero
        if short(cash, of: kernel.cash) {
            environment.observe(
                .error(
                    "the venue holds \(cash) \(quote), less than the bot's cash of \(kernel.cash): traded or withdrawn outside the bot?"
                ))
        }
    }

    /// After a restart, before reconciliation: brings the kernel up to date with what the order store
    /// recorded but the journal did not (the process died between the two writes).
    /// - Returns: the kernel's follow-up actions, to perform once reconciliation has succeeded, and
    ///   the orders the kernel decided that never reached the store.
    func catchUpFromStore() async throws(BotCrash) -> (follow: [KernelAction], lost: [Order]) {
        var follow: [KernelAction] = []
        var lost: [Order] = []
        for order in kernel.openOrders {
            let stored: Order?
            let fills: [Fill]
            do {
                stored = try await environment.orderStore.order(order.clientOrderID)
                fills = stored == nil ? [] : try await environment.orderStore.fills(of: order.clientOrderID)
            } catch {
                throw BotCrash("the order store could not be read: \(error)")
            }
            guard let stored else {
                lost.append(order)
                continue
            }
            for fill in fills where !kernel.appliedTradeIDs.contains(fill.tradeID) {
                record(.fill(fill), into: &follow)
                positionsChanged = true
            }
            if stored.status.isTerminal, stored.status != .filled, kernel.orders[order.clientOrderID] != nil {
                record(
                    .closed(
                        order.clientOrderID, status: stored.status, reason: stored.rejectReason,
                        timestamp: stored.updatedAt), into: &follow)
            }
        }
        try await flushJournal()
        return (follow, lost)
    }

    /// After reconciliation: performs the catch-up's follow-ups, sends the orders the kernel decided
    /// that never reached the store (under their own client ids), and repeats cancels that may not
    /// have gone out.
    func recoverLostActions(follow: [KernelAction], lost: [Order]) async throws(BotCrash) {
        try await perform(follow)
        for order in lost where kernel.orders[order.clientOrderID] != nil {
            environment.observe(.notice("order \(order.clientOrderID) was decided but never stored; sending it now"))
            try await perform([.submit(order)])
        }
        // Every cancel the journal asked for whose order the store still shows open: the kernel may
        // already have forgotten the order (a protective order of a closed position), the venue has not.
        for id in cancelsRequested.sorted() {
            let stored = try? await environment.orderStore.order(id)
            guard let stored, !stored.status.isTerminal else { continue }
            environment.observe(.notice("repeating the cancel of \(id), still open at the venue"))
            try await perform([.cancel(id, symbol: stored.symbol)])
        }
        cancelsRequested.removeAll()
    }
}

extension BotRunner {
    /// Reads the venue's rules of `symbol` again after it refused an order for them, and trades with them
    /// from now on when they changed (the deferred entry is tried again on the next candles).
    func refreshRules(_ symbol: Symbol) async {
        let fresh: InstrumentRules
        do {
            fresh = try await environment.execution.instrumentRules(symbol)
        } catch {
            environment.observe(
                .notice("the venue refused an order for its rules; reading them again failed: \(error)"))
            return
        }
        let old = kernel.rules(of: symbol)
        guard kernel.replaceRules(fresh) else { return }
        let was = old.map { "tick \($0.tickSize), step \($0.stepSize), minimum \($0.minQuantity)" } ?? "none"
        environment.observe(
            .notice(
                "\(symbol): the venue's rules changed (\(was) → tick \(fresh.tickSize), step \(fresh.stepSize), minimum \(fresh.minQuantity)); the next orders use them"
            ))
    }
}

extension KernelAction {
    /// What the operator sees of a signal, a skipped entry or a closed trade; `nil` for the rest.
    var outcomeActivity: BotActivity? {
        switch self {
        case .signal(let symbol, let signal, let timestamp):
            return .signal(symbol: symbol, signal: signal, timestamp: timestamp)
        case .skipped(let symbol, let reason, let timestamp):
            return .skipped(symbol: symbol, reason: reason, timestamp: timestamp)
        case .tradeClosed(let trade):
            return .tradeClosed(trade)
        case .submit, .cancel, .tradingStateChanged:
            return nil
        }
    }
}
