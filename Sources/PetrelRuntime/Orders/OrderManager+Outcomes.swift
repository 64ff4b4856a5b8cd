import PetrelCore

extension OrderManager {
    /// The venue answered a send with its view of the order.
    /// - Parameters:
    ///   - venueOrder: the venue's answer.
    ///   - now: Unix ms.
    /// - Returns: the effects of adopting it.
    public mutating func submitSucceeded(_ venueOrder: VenueOrder, at now: Int64) -> [OrderEffect] {
        if var entry = entries[venueOrder.clientOrderID] {
            entry.attempts = 0
            entries[venueOrder.clientOrderID] = entry
        }
        return absorb(venueOrder, at: now)
    }

    /// A send failed; what happens next depends only on the error's class.
    /// - Parameters:
    ///   - id: the order's client id.
    ///   - error: the classified failure.
    ///   - now: Unix ms.
    /// - Returns: a retry under the same id, a lookup, or the rejection.
    public mutating func submitFailed(_ id: ClientOrderID, error: ExecutionError, at now: Int64) -> [OrderEffect] {
        // An order the venue has already shown it holds (a pushed update beat the answer) needs nothing.
        guard var entry = entries[id], [.intent, .submitted, .unknown].contains(entry.order.status) else { return [] }
        switch error {
        case .retryable(let why), .rateLimited(_, let why):
            if entry.cancelRequested { return cancelUnsent(id, at: now) }
            guard entry.attempts < configuration.maxSubmitAttempts else {
                return reject(id, reason: "not sent after \(entry.attempts) attempts: \(why)", at: now)
            }
            let delay: Int64
            if case .rateLimited(let wait, _) = error {
                delay = Swift.max(wait, 0)
            } else {
                delay = configuration.backoff(afterAttempt: entry.attempts)
            }
            entry.attempts += 1
            entry.sentAt = now + delay
            entries[id] = entry
            return [.submit(entry.order, delay: delay)]
        case .rejected(let why):
            return reject(id, reason: why, at: now)
        case .fatal(let why):
            blockTrading("the venue needs attention: \(why)")
            return reject(id, reason: why, at: now)
        case .unknownOutcome(let why):
            var effects: [OrderEffect] = []
            if entry.order.status != .unknown {
                if entry.order.status == .intent { try? entry.order.transition(to: .submitted, at: now) }
                try? entry.order.transition(to: .unknown, at: now)
                effects.append(.saveOrder(entry.order))
            }
            entry.attempts = 0
            entries[id] = entry
            effects.append(.notify(.unknown(id, reason: why, timestamp: now)))
            effects.append(.lookUp(id, symbol: entry.order.symbol))
            return effects
        }
    }

    /// The venue answered a cancel with its view of the order.
    /// - Parameters:
    ///   - venueOrder: the venue's answer.
    ///   - now: Unix ms.
    /// - Returns: the effects of adopting it (the close waits for any fills it counts).
    public mutating func cancelSucceeded(_ venueOrder: VenueOrder, at now: Int64) -> [OrderEffect] {
        absorb(venueOrder, at: now)
    }

    /// A cancel failed (already filled, unknown to the venue, timeout): the order is queried so that
    /// its true status is adopted.
    /// - Parameters:
    ///   - id: the order's client id.
    ///   - error: the classified failure.
    ///   - now: Unix ms.
    /// - Returns: a lookup.
    public mutating func cancelFailed(_ id: ClientOrderID, error: ExecutionError, at now: Int64) -> [OrderEffect] {
        guard let entry = entries[id], !entry.order.status.isTerminal else { return [] }
        return [.lookUp(id, symbol: entry.order.symbol)]
    }

    /// A query by client id answered: found, its state is adopted; not found, the unknown-order rule
    /// decides (wait for the visibility window, resend under the same id, or reject).
    /// - Parameters:
    ///   - id: the order's client id.
    ///   - venueOrder: the venue's order, or `nil` when it has never seen the id.
    ///   - now: Unix ms.
    /// - Returns: the effects of the decision.
    public mutating func lookedUp(_ id: ClientOrderID, found venueOrder: VenueOrder?, at now: Int64)
        -> [OrderEffect]
    {
        if let venueOrder { return absorb(venueOrder, at: now) }
        guard var entry = entries[id] else { return [] }
        let status = entry.order.status
        guard status == .intent || status == .submitted || status == .unknown else {
            if status.isTerminal { return [] }
            return [
                .notify(
                    .anomaly(
                        id, message: "the venue does not know this \(status.rawValue) order; left as it is",
                        timestamp: now))
            ]
        }
        let sentAt = entry.sentAt ?? entry.order.updatedAt
        let visibleAt = sentAt + configuration.visibilityWindow
        if now < visibleAt {
            entry.nextLookupAt = visibleAt
            entries[id] = entry
            return []
        }
        if entry.cancelRequested { return cancelUnsent(id, at: now) }
        let age = now - (entry.placedAt ?? entry.order.createdAt)
        if let within = configuration.resubmitWithin, age <= within,
            entry.resubmissions < configuration.maxResubmissions
        {
            entry.resubmissions += 1
            entry.attempts = 1
            entry.sentAt = now
            entry.nextLookupAt = nil
            if entry.order.status == .intent { try? entry.order.transition(to: .submitted, at: now) }
            entries[id] = entry
            return [.submit(entry.order, delay: 0)]
        }
        let why =
            entry.resubmissions >= configuration.maxResubmissions
            ? "resent \(entry.resubmissions) times" : "older than \(configuration.resubmitWithin ?? 0) ms"
        return reject(
            id, reason: "not found at the venue \(now - sentAt) ms after it was sent; not resent (\(why))", at: now)
    }

    /// A query or a fill fetch failed: the order is queried again after the back-off.
    /// - Parameters:
    ///   - id: the order's client id.
    ///   - now: Unix ms.
    public mutating func lookupFailed(_ id: ClientOrderID, at now: Int64) {
        guard var entry = entries[id], !entry.order.status.isTerminal || entry.heldClose != nil else { return }
        entry.nextLookupAt = now + configuration.retryDelay
        entries[id] = entry
    }

    /// Cancels locally an order the venue never had and the bot no longer wants.
    mutating func cancelUnsent(_ id: ClientOrderID, at now: Int64) -> [OrderEffect] {
        guard var entry = entries[id] else { return [] }
        let reason = "cancelled before it reached the venue"
        try? entry.order.transition(to: .cancelled, at: now)
        entry.closedAt = now
        entry.nextLookupAt = nil
        entry.cancelRequested = false
        entries[id] = entry
        return [.saveOrder(entry.order), .notify(.closed(id, status: .cancelled, reason: reason, timestamp: now))]
    }

    /// Marks an order `rejected` locally and tells the bot.
    mutating func reject(_ id: ClientOrderID, reason: String, at now: Int64) -> [OrderEffect] {
        guard var entry = entries[id] else { return [] }
        if entry.order.status == .intent { try? entry.order.transition(to: .submitted, at: now) }
        do {
            try entry.order.transition(to: .rejected, at: now, reason: reason)
        } catch {
            return [.notify(.anomaly(id, message: "could not reject: \(error)", timestamp: now))]
        }
        entry.closedAt = now
        entry.nextLookupAt = nil
        entries[id] = entry
        return [.saveOrder(entry.order), .notify(.closed(id, status: .rejected, reason: reason, timestamp: now))]
    }
}
