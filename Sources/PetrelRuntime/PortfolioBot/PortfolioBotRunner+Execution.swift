import PetrelCore

extension PortfolioBotRunner {
    /// A trade whose current leg's order outcome was not known when the cycle's wait ended: its
    /// record stays PENDING and later cycles follow the order until it ends.
    struct InFlightTrade: Sendable {
        var result: PortfolioTradeResult
        /// The index in `result.legs` of the unresolved leg.
        var legIndex: Int
        var orderID: ClientOrderID
        var legCount: Int
    }

    /// How one leg ended.
    enum LegOutcome {
        case filled(PortfolioLegResult)
        case failed(PortfolioLegResult)
        case unresolved(PortfolioLegResult, ClientOrderID)
    }

    /// Writes the PENDING record, sends the legs in order and settles the record.
    /// - Parameters:
    ///   - trade: the accepted opportunity.
    ///   - record: its PENDING record.
    ///   - now: the cycle's time.
    /// - Returns: the trade's result; `nil` when the record could not be written (nothing was sent).
    func execute(_ trade: TradeOpportunity, record: TradeHistoryRecord, now: Int64) async -> PortfolioTradeResult? {
        let stored: TradeHistoryRecord
        do {
            stored = try await history.append(record)
        } catch {
            note("trade not sent: its PENDING record could not be written (\(error))")
            return nil
        }
        var legs: [PortfolioLegResult] = []
        var amount = trade.amount
        for (index, leg) in trade.legs.enumerated() {
            switch await executeLeg(leg, amount: amount, recordID: stored.id ?? 0, now: now) {
            case .filled(let result):
                legs.append(result)
                amount = result.received
            case .failed(let result):
                legs.append(result)
                return await settle(stored, legs: legs, as: .failed, reason: Self.failure(legs, of: trade.legs.count))
            case .unresolved(let result, let orderID):
                legs.append(result)
                let reason = Self.label(index, of: trade.legs.count, result) + ": " + (result.reason ?? "unresolved")
                let pending = PortfolioTradeResult(record: stored, legs: legs, reason: reason)
                inFlight = InFlightTrade(
                    result: pending, legIndex: index, orderID: orderID, legCount: trade.legs.count)
                counts[.pending, default: 0] += 1
                return pending
            }
        }
        return await settle(stored, legs: legs, as: .executed, reason: nil)
    }

    /// Sizes, sends and follows one market order.
    /// - Parameters:
    ///   - leg: pair and side.
    ///   - amount: the from-asset amount to give up.
    ///   - recordID: the trade-history id, for the order's tag.
    ///   - now: the cycle's time (the quote used for sizing is the one fresh at it).
    func executeLeg(_ leg: TradeLeg, amount: Money, recordID: Int64, now: Int64) async -> LegOutcome {
        var result = PortfolioLegResult(leg: leg, amount: amount)
        guard let driver else {
            result.reason = "no order driver (dry run)"
            return .failed(result)
        }
        let rules: InstrumentRules
        do {
            rules = try await instrumentRules(leg.symbol)
        } catch {
            result.reason = "not sent: the instrument rules of \(leg.symbol) are unavailable (\(error))"
            return .failed(result)
        }
        guard let quote = decision.cache.freshQuote(for: leg.symbol, now: now) else {
            result.reason = "not sent: no fresh quote of \(leg.symbol) to size the order"
            return .failed(result)
        }
        guard let quantity = Self.quantity(leg, spending: amount, quote: quote, rules: rules, feeRate: settings.feeRate)
        else {
            result.reason =
                "not sent: \(amount) \(result.fromAsset) is less than one step (\(rules.stepSize)) of \(leg.symbol)"
            return .failed(result)
        }
        orderSequence += 1
        let id = ClientOrderID(botID: botID, sequence: orderSequence)
        result.clientOrderID = id
        result.quantity = quantity
        let order: Order
        do {
            order = try Order(
                clientOrderID: id, symbol: leg.symbol, side: leg.side, type: .market, quantity: quantity,
                createdAt: clock.now(), tag: "portfolio trade \(recordID)")
        } catch {
            result.reason = "not sent: \(error)"
            return .failed(result)
        }
        do {
            _ = try await driver.submit(order)
        } catch {
            // A store failure after the send leaves the order with the driver: follow it. Anything
            // else (blocked, duplicate id, intent not written) sent nothing.
            guard case .store = error, await driver.order(id) != nil else {
                result.reason = "not sent: \(error)"
                return .failed(result)
            }
            note("order \(id): \(error)")
        }
        return await conclude(id, result: result, driver: driver)
    }

    /// Waits (bounded) for the order's outcome, cancels an order the venue holds unfilled after the
    /// wait, and classifies what happened.
    func conclude(_ id: ClientOrderID, result: PortfolioLegResult, driver: OrderDriver) async -> LegOutcome {
        var result = result
        guard var order = await follow(id, driver: driver) else {
            // The driver drops only an order whose intent it could not write: nothing was sent.
            result.reason = "not sent: the order driver does not hold order \(id)"
            return .failed(result)
        }
        var cancelled = false
        if [.accepted, .partiallyFilled].contains(order.status), !Task.isCancelled {
            do {
                _ = try await driver.cancel(id)
            } catch {
                note("order \(id) not cancelled after the wait: \(error)")
            }
            cancelled = true
            order = await follow(id, driver: driver) ?? order
        }
        result.adopt(order, fills: await driver.manager.fills(of: id))
        result.reason = Self.endReason(order, cancelledAfter: cancelled ? orderWait.timeoutMilliseconds : nil)
        switch order.status {
        case .filled:
            return .filled(result)
        case .rejected, .cancelled, .expired:
            return .failed(result)
        case .intent, .submitted, .unknown, .accepted, .partiallyFilled, .pendingCancel:
            result.reason =
                "outcome still \(order.status.rawValue) after waiting \(orderWait.timeoutMilliseconds) ms; "
                + "followed every cycle"
            return .unresolved(result, id)
        }
    }

    /// Why an order that ended did not fill completely; `nil` for a filled one.
    /// - Parameters:
    ///   - order: the order.
    ///   - wait: the wait after which the runner cancelled it, or `nil`.
    static func endReason(_ order: Order, cancelledAfter wait: Int64?) -> String? {
        switch order.status {
        case .filled:
            return nil
        case .rejected:
            return "rejected: \(order.rejectReason ?? "no reason given")"
        default:
            let what = wait.map { "still open after the \($0) ms wait; cancelled" } ?? "\(order.status.rawValue)"
            guard order.filledQuantity.isPositive else { return what }
            return "\(what) after filling \(order.filledQuantity) of \(order.quantity)"
        }
    }

    /// Checks the order every poll interval until it ends or the wait is over.
    /// - Returns: the order as the driver holds it after the wait.
    func follow(_ id: ClientOrderID, driver: OrderDriver) async -> Order? {
        var polls = 0
        while let order = await driver.order(id), !order.status.isTerminal, polls < orderWait.maxPolls,
            !Task.isCancelled
        {
            await sleeper.sleep(milliseconds: orderWait.pollIntervalMilliseconds)
            polls += 1
            await check(id, driver: driver)
        }
        return await driver.order(id)
    }

    /// One check of an unfinished order: queries the driver has due (an unknown outcome, a resend
    /// after the visibility window), then, for an order the venue holds, its state at the venue,
    /// handed to the driver, which fetches any fills it has not applied.
    func check(_ id: ClientOrderID, driver: OrderDriver) async {
        do {
            _ = try await driver.resolvePending()
        } catch {
            note("order \(id): \(error)")
        }
        guard let order = await driver.order(id), [.accepted, .partiallyFilled, .pendingCancel].contains(order.status)
        else { return }
        do {
            if let venueOrder = try await client.order(id, symbol: order.symbol) {
                _ = try await driver.handle(.order(venueOrder))
            }
        } catch {
            note("order \(id) could not be checked at the venue: \(error)")
        }
    }

    /// Follows the trade in flight once (no waiting: cycles are the polls) and settles it when its
    /// order has ended. A first leg that ends filled late is not followed by the second: the trade
    /// is FAILED and the intermediate asset stays held, for the next decisions to use.
    /// - Returns: the settled trade, or `nil` while it is still unresolved.
    func followInFlight() async -> PortfolioTradeResult? {
        guard var flight = inFlight, let driver else { return nil }
        await check(flight.orderID, driver: driver)
        let known = await driver.order(flight.orderID)
        if let known, !known.status.isTerminal { return nil }
        inFlight = nil
        counts[.pending, default: 0] -= 1
        var leg = flight.result.legs[flight.legIndex]
        leg.reason = nil
        guard let order = known else {
            leg.reason = "the order driver no longer holds order \(flight.orderID)"
            flight.result.legs[flight.legIndex] = leg
            return await settle(
                flight.result.record, legs: flight.result.legs, as: .failed,
                reason: Self.failure(flight.result.legs, of: flight.legCount))
        }
        leg.adopt(order, fills: await driver.manager.fills(of: flight.orderID))
        leg.reason = Self.endReason(order, cancelledAfter: nil)
        flight.result.legs[flight.legIndex] = leg
        let legs = flight.result.legs
        if order.status == .filled && flight.legIndex == flight.legCount - 1 {
            return await settle(flight.result.record, legs: legs, as: .executed, reason: nil)
        }
        let reason =
            order.status == .filled
            ? Self.label(flight.legIndex, of: flight.legCount, leg) + " filled only after the wait: " + leg.description
                + "; the next leg was not sent, \(leg.received) \(leg.toAsset) stays held"
            : Self.failure(legs, of: flight.legCount)
        return await settle(flight.result.record, legs: legs, as: .failed, reason: reason)
    }

    /// Records the trade's outcome (retention after an executed one) and announces it.
    func settle(_ record: TradeHistoryRecord, legs: [PortfolioLegResult], as status: TradeStatus, reason: String?)
        async -> PortfolioTradeResult
    {
        var settled = record
        settled.status = status
        if let id = record.id {
            do {
                settled = try await history.settle(id: id, status: status, keep: decision.settings.historyKeep)
            } catch {
                note("trade \(id) ended \(status.rawValue) but the history could not record it: \(error)")
            }
        }
        counts[status, default: 0] += 1
        let result = PortfolioTradeResult(record: settled, legs: legs, reason: reason)
        await emit(status == .executed ? .tradeExecuted(result) : .tradeFailed(result))
        return result
    }

    /// The venue's rules of `symbol`, asked once per runner.
    func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        if let known = rules[symbol] { return known }
        let fetched = try await client.instrumentRules(symbol)
        rules[symbol] = fetched
        return fetched
    }

    /// The base quantity of a market order giving up `amount` of the leg's from-asset, rounded down
    /// to the step: a sell gives up the base itself; a buy spends quote at the ask plus the bot's
    /// expected fee (`amount / (ask × (1 + fee_rate))`), so the order's cost stays within the amount
    /// unless the venue slips or charges more than the bot expects (it then refuses the order).
    /// - Returns: the quantity, or `nil` when it rounds to zero.
    static func quantity(
        _ leg: TradeLeg, spending amount: Money, quote: Quote, rules: InstrumentRules, feeRate: Double
    ) -> Quantity? {
        let raw: Quantity
        do {
            switch leg.side {
            case .sell:
                raw = amount
            case .buy:
                let fee = try FixedPoint(approximating: feeRate, rounding: .up)
                let unitCost = try quote.ask.multiplied(by: .one + fee, rounding: .up)
                raw = try amount.divided(by: unitCost, rounding: .down)
            }
            let quantity = try rules.roundQuantity(raw)
            return quantity.isPositive ? quantity : nil
        } catch {
            return nil
        }
    }

    /// `leg 2 of 2, ETH/USD buy 0.384 (bot1x2)`, or `ETH/USD buy 0.384 (bot1x2)` for a one-leg trade.
    static func label(_ index: Int, of count: Int, _ leg: PortfolioLegResult) -> String {
        var text = leg.quantity.isPositive ? "\(leg.leg) \(leg.quantity)" : "\(leg.leg)"
        if let id = leg.clientOrderID { text += " (\(id))" }
        return count == 1 ? text : "leg \(index + 1) of \(count), " + text
    }

    /// Why a trade failed: the leg that did not fill, what the earlier legs did, which were not sent.
    static func failure(_ legs: [PortfolioLegResult], of count: Int) -> String {
        guard let failed = legs.last else { return "no leg was attempted" }
        var text = label(legs.count - 1, of: count, failed) + ": " + (failed.reason ?? "not filled")
        for (index, leg) in legs.dropLast().enumerated() {
            text += "; leg \(index + 1) of \(count) was done: \(leg); \(leg.received) \(leg.toAsset) stays held"
        }
        if legs.count < count { text += "; leg \(legs.count + 1) of \(count) was not sent" }
        return text
    }
}
