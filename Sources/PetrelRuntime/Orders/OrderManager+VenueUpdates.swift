import PetrelCore

extension OrderManager {
    /// Applies something the venue pushed (an order update or a fill), in whatever order it arrives.
    /// Updates for orders the manager does not hold are ignored (the driver first loads them from the
    /// store when it has them).
    /// - Parameters:
    ///   - update: the venue's update.
    ///   - now: Unix ms.
    /// - Returns: the writes, queries and notifications it leads to.
    public mutating func receive(_ update: ExecutionUpdate, at now: Int64) -> [OrderEffect] {
        switch update {
        case .order(let venueOrder): return absorb(venueOrder, at: now)
        case .fill(let fill): return absorb(fill, at: now)
        }
    }

    /// Adopts the venue's view of an order: its venue id, that it is acknowledged, and a terminal
    /// status once every fill it counts has been applied.
    mutating func absorb(_ venueOrder: VenueOrder, at now: Int64) -> [OrderEffect] {
        let id = venueOrder.clientOrderID
        guard var entry = entries[id] else { return [] }
        var effects: [OrderEffect] = []
        var changed = false
        if let venueID = venueOrder.venueOrderID {
            if entry.order.venueOrderID == nil {
                entry.order.venueOrderID = venueID
                changed = true
            } else if entry.order.venueOrderID != venueID {
                effects.append(
                    .notify(
                        .anomaly(
                            id, message: "venue reports venue order id \(venueID), kept \(entry.order.venueOrderID!)",
                            timestamp: now)))
            }
        }
        entry.venueFilled = Swift.max(entry.venueFilled, venueOrder.filledQuantity)
        entry.nextLookupAt = nil
        let venueStatus = venueOrder.status
        switch venueStatus {
        case .intent, .submitted, .unknown:
            break
        case .accepted, .partiallyFilled, .pendingCancel, .filled:
            if entry.order.status == .rejected {
                reopen(&entry, venueStatus: venueStatus, at: now, into: &effects)
                changed = true
            }
            changed = markAccepted(&entry, at: venueOrder.updatedAt, into: &effects) || changed
        case .cancelled, .expired, .rejected:
            if venueStatus == .rejected && entry.venueFilled.isZero
                && [.intent, .submitted, .unknown].contains(entry.order.status)
            {
                entry.heldClose = HeldClose(
                    status: .rejected, reason: venueOrder.reason, timestamp: venueOrder.updatedAt)
            } else {
                if entry.venueFilled > entry.order.filledQuantity {
                    changed = markAccepted(&entry, at: venueOrder.updatedAt, into: &effects) || changed
                }
                let status: OrderStatus = venueStatus == .rejected ? .cancelled : venueStatus
                entry.heldClose = HeldClose(status: status, reason: venueOrder.reason, timestamp: venueOrder.updatedAt)
            }
        }
        if entry.order.status.isTerminal { entry.heldClose = nil }
        if changed { effects.insert(.saveOrder(entry.order), at: effects.startIndex) }
        let cancelNow = entry.cancelRequested && [.accepted, .partiallyFilled].contains(entry.order.status)
        if cancelNow {
            entry.cancelRequested = false
            try? entry.order.transition(to: .pendingCancel, at: now)
        }
        entries[id] = entry
        if entry.venueFilled > entry.order.filledQuantity {
            effects.append(fetchFills(for: entry.order))
        }
        effects += finalizeIfSettled(id)
        if cancelNow, entries[id]?.order.status == .pendingCancel {
            effects += [.saveOrder(entries[id]!.order), .cancel(id, symbol: entry.order.symbol)]
        }
        return effects
    }

    /// Applies a fill once; a fill for a closed order replays the order (see the type's rules).
    mutating func absorb(_ fill: Fill, at now: Int64) -> [OrderEffect] {
        let key = FillKey(symbol: fill.symbol, tradeID: fill.tradeID)
        guard !appliedFills.contains(key), var entry = entries[fill.clientOrderID] else { return [] }
        let id = fill.clientOrderID
        var effects: [OrderEffect] = []
        let before = entry.order.status
        if before.isTerminal {
            let closing: OrderStatus = before == .rejected ? .unknown : before
            do {
                entry.order = try entry.order.replaying(
                    entry.fills + [fill], closing: closing, reason: entry.order.rejectReason, at: now)
            } catch {
                return [.notify(.anomaly(id, message: "fill \(fill.tradeID) not applied: \(error)", timestamp: now))]
            }
            entry.closedAt = entry.order.status.isTerminal ? now : nil
            effects.append(
                .notify(
                    .anomaly(
                        id,
                        message: "fill \(fill.tradeID) arrived after the order was \(before.rawValue); "
                            + "replayed from its fills, now \(entry.order.status.rawValue)", timestamp: now)))
        } else {
            var accepted: [OrderEffect] = []
            var candidate = entry
            _ = markAccepted(&candidate, at: fill.timestamp, into: &accepted)
            do {
                try candidate.order.apply(fill)
            } catch {
                return [.notify(.anomaly(id, message: "fill \(fill.tradeID) not applied: \(error)", timestamp: now))]
            }
            entry = candidate
            effects += accepted
        }
        entry.fills.append(fill)
        entry.venueFilled = Swift.max(entry.venueFilled, entry.order.filledQuantity)
        if entry.order.status == .filled {
            entry.heldClose = nil
            entry.closedAt = now
            entry.nextLookupAt = nil
        }
        entries[id] = entry
        appliedFills.insert(key)
        lastFillTimestamp = Swift.max(lastFillTimestamp ?? fill.timestamp, fill.timestamp)
        effects.insert(.saveFill(fill, entry.order), at: effects.startIndex)
        effects.append(.notify(.filled(fill)))
        if entry.order.status == .unknown { effects.append(.lookUp(id, symbol: fill.symbol)) }
        return effects + finalizeIfSettled(id)
    }

    /// Moves an order the venue has shown it holds from `intent`/`submitted`/`unknown` to `accepted`.
    /// - Returns: whether the order changed.
    mutating func markAccepted(_ entry: inout Entry, at timestamp: Int64, into effects: inout [OrderEffect]) -> Bool {
        let status = entry.order.status
        guard status == .intent || status == .submitted || status == .unknown else { return false }
        if status == .intent { try? entry.order.transition(to: .submitted, at: timestamp) }
        try? entry.order.transition(to: .accepted, at: timestamp)
        entry.nextLookupAt = nil
        effects.append(
            .notify(.accepted(entry.order.clientOrderID, venueOrderID: entry.order.venueOrderID, timestamp: timestamp)))
        return true
    }

    /// An order the manager rejected (not found in time) that the venue shows alive after all: it is
    /// replayed from its fills into `accepted`/`partially_filled`, and the correction reported.
    mutating func reopen(
        _ entry: inout Entry, venueStatus: OrderStatus, at now: Int64, into effects: inout [OrderEffect]
    ) {
        let id = entry.order.clientOrderID
        guard let reopened = try? entry.order.replaying(entry.fills, closing: nil, at: now) else { return }
        entry.order = reopened
        entry.closedAt = nil
        effects.append(
            .notify(
                .anomaly(
                    id,
                    message:
                        "the venue shows the order \(venueStatus.rawValue) after it was rejected locally; reopened",
                    timestamp: now)))
        effects.append(.notify(.accepted(id, venueOrderID: entry.order.venueOrderID, timestamp: now)))
    }

    /// Applies a held terminal status once the fills it counts are in.
    mutating func finalizeIfSettled(_ id: ClientOrderID) -> [OrderEffect] {
        guard var entry = entries[id], let held = entry.heldClose else { return [] }
        if entry.order.status.isTerminal {
            entry.heldClose = nil
            entries[id] = entry
            return []
        }
        guard entry.order.filledQuantity >= entry.venueFilled else { return [] }
        if entry.order.status == .intent { try? entry.order.transition(to: .submitted, at: held.timestamp) }
        do {
            try entry.order.transition(to: held.status, at: held.timestamp, reason: held.reason)
        } catch {
            return [.notify(.anomaly(id, message: "venue status not applied: \(error)", timestamp: held.timestamp))]
        }
        entry.heldClose = nil
        entry.closedAt = held.timestamp
        entry.nextLookupAt = nil
        entry.cancelRequested = false
        entries[id] = entry
        return [
            .saveOrder(entry.order),
            .notify(.closed(id, status: held.status, reason: held.reason, timestamp: held.timestamp)),
        ]
    }

    func fetchFills(for order: Order) -> OrderEffect {
        .fetchFills(order.clientOrderID, symbol: order.symbol, since: order.createdAt - configuration.fillLookback)
    }
}
