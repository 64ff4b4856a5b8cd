import PetrelCore

extension TradingKernel {
    /// Builds an order with the next deterministic client id.
    mutating func makeOrder(
        slot index: Int, side: OrderSide, type: OrderType, quantity: Quantity, price: Price?, stopPrice: Price?,
        reduceOnly: Bool, at timestamp: Int64, tag: String
    ) -> Order? {
        sequence += 1
        let id = ClientOrderID(botID: configuration.botID, sequence: sequence)
        return try? Order(
            clientOrderID: id, symbol: slots[index].rules.symbol, side: side, type: type, quantity: quantity,
            price: price, stopPrice: stopPrice, reduceOnly: reduceOnly, createdAt: timestamp, tag: tag)
    }

    /// Records an order as submitted and asks the driver to send it.
    mutating func track(_ order: Order, slot index: Int, purpose: OrderPurpose, into actions: inout [KernelAction]) {
        var submitted = order
        try? submitted.transition(to: .submitted, at: order.createdAt)
        orders[order.clientOrderID] = TrackedOrder(order: submitted, slot: index, purpose: purpose)
        actions.append(.submit(submitted))
    }

    /// Sends a reduce-only market order for the whole position of `slot`.
    mutating func submitClose(
        slot index: Int, purpose: OrderPurpose, reasoning: String, at timestamp: Int64,
        into actions: inout [KernelAction]
    ) {
        let position = slots[index].position
        guard !position.isFlat, slots[index].pendingExit == nil else { return }
        if let entry = slots[index].pendingEntry, let tracked = orders[entry], tracked.order.status.isOpen {
            actions.append(.cancel(entry, symbol: tracked.order.symbol))
        }
        guard
            let order = makeOrder(
                slot: index, side: position.isLong ? .sell : .buy, type: .market, quantity: position.quantity.magnitude,
                price: nil, stopPrice: nil, reduceOnly: true, at: timestamp, tag: reasoning)
        else { return }
        slots[index].pendingExit = order.clientOrderID
        track(order, slot: index, purpose: purpose, into: &actions)
    }

    /// The venue accepted an order.
    public mutating func handleOrderAccepted(_ id: ClientOrderID, venueOrderID: String?, at timestamp: Int64) {
        guard var tracked = orders[id] else { return }
        if tracked.order.status == .submitted || tracked.order.status == .unknown {
            try? tracked.order.transition(to: .accepted, at: timestamp)
        }
        tracked.order.venueOrderID = venueOrderID ?? tracked.order.venueOrderID
        orders[id] = tracked
    }

    /// The venue rejected, cancelled or expired an order: forget it and, for an entry, say why.
    public mutating func handleOrderClosed(
        _ id: ClientOrderID, status: OrderStatus, reason: String?, at timestamp: Int64,
        into actions: inout [KernelAction]
    ) {
        guard let tracked = orders.removeValue(forKey: id) else { return }
        let index = tracked.slot
        if slots[index].pendingEntry == id {
            slots[index].pendingEntry = nil
            let entry = slots[index].pendingEntrySignal
            slots[index].pendingEntrySignal = nil
            if status == .rejected {
                // A refused entry is not a trade: it does not count toward the daily limit.
                if tracked.order.filledQuantity.isZero, dailyEntries > 0 { dailyEntries -= 1 }
                var message = "entry rejected: \(reason ?? "no reason given")"
                if let entry, tracked.order.filledQuantity.isZero,
                    Self.isInsufficientBalance(reason) || Self.isMissingPrice(reason) || Self.isFilterFailure(reason)
                {
                    message = deferEntry(entry, slot: index, message: message)
                }
                actions.append(.skipped(symbol: tracked.order.symbol, reason: message, timestamp: timestamp))
            }
        }
        if slots[index].pendingExit == id { slots[index].pendingExit = nil }
        if slots[index].stopOrderID == id {
            slots[index].stopOrderID = nil
        }
        if slots[index].takeProfitOrderID == id { slots[index].takeProfitOrderID = nil }
    }

    /// Whether a venue's rejection reason says the account lacked funds (Binance -2010 "Account has
    /// insufficient balance …", OKX "Insufficient balance", the paper exchange's own wording).
    static func isInsufficientBalance(_ reason: String?) -> Bool {
        guard let reason else { return false }
        let lower = reason.lowercased()
        return lower.contains("insufficient") && (lower.contains("balance") || lower.contains("fund"))
    }

    /// Whether a venue refused an order for its instrument rules (Binance -1013 "Filter failure: LOT_SIZE",
    /// OKX 51121/51020 lot and minimum size): the venue may have changed them, so the bot reads them again
    /// and the entry is tried once more with them.
    public static func isFilterFailure(_ reason: String?) -> Bool {
        guard let reason else { return false }
        return reason.lowercased().contains("filter failure") || reason.contains("okx 51121")
            || reason.contains("okx 51020")
    }

    /// Replaces the trading rules of `rules.symbol` (the venue changed its filters).
    /// - Returns: whether the kernel trades that symbol and the rules differ from what it had.
    @discardableResult
    public mutating func replaceRules(_ rules: InstrumentRules) -> Bool {
        guard let index = slots.firstIndex(where: { $0.rules.symbol == rules.symbol }), slots[index].rules != rules
        else { return false }
        slots[index].rules = rules
        return true
    }

    /// The trading rules the kernel sizes orders of `symbol` with.
    public func rules(of symbol: Symbol) -> InstrumentRules? {
        slots.first { $0.rules.symbol == symbol }?.rules
    }

    /// Whether a venue refused an order only because it had no price yet (the paper exchange before its
    /// first streamed quote): a passing state, so the entry is tried again like one short of balance.
    static func isMissingPrice(_ reason: String?) -> Bool {
        reason?.lowercased().contains("no quote for") == true
    }

    /// Applies a fill once (a repeated trade id is ignored): order, position, cash, trade journal,
    /// protective orders.
    /// - Throws: ``KernelError`` when the fill does not fit its order or overflows.
    public mutating func handleFill(_ fill: Fill, into actions: inout [KernelAction]) throws(KernelError) {
        guard !appliedTradeIDs.contains(fill.tradeID), var tracked = orders[fill.clientOrderID] else { return }
        let index = tracked.slot
        do { try tracked.order.apply(fill) } catch { throw .order(error) }
        appliedTradeIDs.insert(fill.tradeID)
        let wasFlat = slots[index].position.isFlat
        let fee = fill.feeAsset == quoteAsset ? fill.fee : .zero
        do {
            try slots[index].position.apply(
                side: fill.side, price: fill.price, quantity: fill.quantity, fee: fee, timestamp: fill.timestamp)
            let notional = try fill.price.multiplied(
                by: try fill.quantity.multiplied(by: slots[index].rules.contractValue))
            cash = fill.side == .buy ? try cash.subtracting(notional) : try cash.adding(notional)
            cash = try cash.subtracting(fee)
            totalFees = try totalFees.adding(fee)
            try journal(fill, notional: notional, fee: fee, slot: index, wasFlat: wasFlat, purpose: tracked.purpose)
        } catch {
            throw .arithmetic(error)
        }
        if tracked.order.status.isTerminal {
            orders[fill.clientOrderID] = nil
            if slots[index].pendingEntry == fill.clientOrderID {
                slots[index].pendingEntry = nil
                slots[index].pendingEntrySignal = nil
            }
            if slots[index].pendingExit == fill.clientOrderID { slots[index].pendingExit = nil }
            if slots[index].stopOrderID == fill.clientOrderID { slots[index].stopOrderID = nil }
            if slots[index].takeProfitOrderID == fill.clientOrderID { slots[index].takeProfitOrderID = nil }
        } else {
            orders[fill.clientOrderID] = tracked
        }
        if tracked.purpose == .entry { hasEntered = true }
        slots[index].strategy.onFill(fill, context: strategyContext(slot: index))
        if slots[index].position.isFlat {
            closeTrade(slot: index, at: fill.timestamp, reason: tracked.purpose, into: &actions)
            cancelProtection(slot: index, into: &actions)
        } else if tracked.purpose == .entry {
            placeProtection(slot: index, at: fill.timestamp, into: &actions)
        }
    }

    mutating func journal(
        _ fill: Fill, notional: Money, fee: Money, slot index: Int, wasFlat: Bool, purpose: OrderPurpose
    ) throws(FixedPointError) {
        if wasFlat {
            slots[index].trade = OpenTrade(
                isLong: fill.side == .buy, entryTime: fill.timestamp, entryBar: slots[index].barIndex,
                reasoning: slots[index].pendingReasoning)
        }
        guard var trade = slots[index].trade else { return }
        let adds = (fill.side == .buy) == trade.isLong
        if adds {
            trade.entryQuantity = try trade.entryQuantity.adding(fill.quantity)
            trade.entryNotional = try trade.entryNotional.adding(notional)
        } else {
            trade.exitQuantity = try trade.exitQuantity.adding(fill.quantity)
            trade.exitNotional = try trade.exitNotional.adding(notional)
        }
        trade.fees = try trade.fees.adding(fee)
        trade.maxQuantity = Swift.max(trade.maxQuantity, slots[index].position.quantity.magnitude)
        slots[index].trade = trade
    }

    mutating func closeTrade(
        slot index: Int, at timestamp: Int64, reason: OrderPurpose, into actions: inout [KernelAction]
    ) {
        guard let trade = slots[index].trade else { return }
        slots[index].trade = nil
        let entryPrice = (try? trade.entryNotional.divided(by: trade.entryQuantity)) ?? .zero
        let exitPrice = (try? trade.exitNotional.divided(by: trade.exitQuantity)) ?? .zero
        let gross = trade.isLong ? trade.exitNotional - trade.entryNotional : trade.entryNotional - trade.exitNotional
        let net = gross - trade.fees
        let entryValue = trade.entryNotional.doubleValue
        actions.append(
            .tradeClosed(
                ClosedTrade(
                    symbol: slots[index].rules.symbol, direction: trade.isLong ? "long" : "short",
                    entryTime: trade.entryTime, exitTime: timestamp, entryPrice: entryPrice, exitPrice: exitPrice,
                    quantity: trade.maxQuantity, grossPnL: gross, fees: trade.fees, netPnL: net,
                    returnFraction: entryValue > 0 ? net.doubleValue / entryValue : 0, exitReason: reason.rawValue,
                    entryReasoning: trade.reasoning, barsHeld: Swift.max(0, slots[index].barIndex - trade.entryBar))))
    }
}
