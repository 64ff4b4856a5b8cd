import PetrelCore
import PetrelRuntime

extension PaperExchangeState {
    /// Accepts an order: checks the instrument rules, locks its cost (buys: quote at the limit, or
    /// at the slipped touch or stop price for market and stop orders, plus the higher fee rate;
    /// sells: the base quantity), then matches it against the last quote at once. A client id seen
    /// before returns that order unchanged: submit is idempotent.
    /// - Parameters:
    ///   - order: the order as the bot built it.
    ///   - configuration: rules, fees and slippage.
    ///   - timestamp: Unix ms of acceptance (and of fills at the last quote).
    /// - Returns: the order after acceptance and immediate matching, and the updates to publish.
    /// - Throws: ``ExecutionError/rejected(_:)`` with the rule's or the ledger's message; nothing is kept.
    public mutating func submit(_ order: Order, configuration: PaperExchangeConfiguration, at timestamp: Int64)
        throws(ExecutionError) -> (VenueOrder, [ExecutionUpdate])
    {
        let id = order.clientOrderID
        if let existing = orders[id.rawValue] { return (existing.venueOrder, []) }
        let symbol = order.symbol
        guard let rules = configuration.rules(for: symbol) else {
            throw .rejected("\(symbol) is not traded at the paper exchange")
        }
        guard symbol.kind == .spot else { throw .rejected("the paper exchange trades spot only; \(symbol) is a swap") }
        let quote = lastQuotes[symbol.description]
        let reference = try referencePrice(of: order, quote: quote, rules: rules)
        do throws(InstrumentRuleViolation) {
            try rules.validate(price: reference, quantity: order.quantity)
            if let stop = order.stopPrice, !stop.isMultiple(ofStep: rules.tickSize) {
                throw InstrumentRuleViolation.priceOffTick(stop, tick: rules.tickSize)
            }
        } catch {
            throw .rejected(error.description)
        }
        if order.timeInForce == .postOnly, order.type == .limit, let quote, let limit = order.price,
            Self.crosses(order.side, limit: limit, quote: quote)
        {
            throw .rejected("post-only order would take liquidity: limit \(limit) crosses the quote")
        }
        let asset: String
        let amount: Money
        if order.reduceOnly && order.side == .sell {
            // A reduce-only sell (a stop-loss, a take-profit, an exit) locks nothing: it shares the
            // position with the other exits and fills at most what is free when it triggers.
            guard ledger.balance(symbol.base).total.isPositive else {
                throw .rejected("reduce-only order would not reduce a position: no \(symbol.base) held")
            }
            (asset, amount) = (symbol.base, .zero)
        } else {
            (asset, amount) = try reservation(for: order, rules: rules, quote: quote, configuration: configuration)
        }
        do {
            try ledger.lock(asset, amount)
        } catch {
            throw .rejected(error.description)
        }
        orderSequence += 1
        var accepted = order.asIntent()
        accepted.venueOrderID = "paper-\(orderSequence)"
        try? accepted.transition(to: .submitted, at: timestamp)
        try? accepted.transition(to: .accepted, at: timestamp)
        orders[id.rawValue] = PaperOrder(
            order: accepted, sequence: orderSequence, reservedAsset: asset, reserved: amount)
        openOrderIDs.append(id)
        var updates: [ExecutionUpdate] = [.order(orders[id.rawValue]!.venueOrder)]
        if let quote {
            var pool = PaperLiquidity(quote: quote, limit: configuration.fillLimit)
            if order.timeInForce == .fok,
                fillableNow(id, quote: quote, pool: pool, configuration: configuration) < order.quantity
            {
                close(id, as: .expired, reason: "fill-or-kill order could not fill completely", at: timestamp)
                updates.append(.order(orders[id.rawValue]!.venueOrder))
                return (orders[id.rawValue]!.venueOrder, updates)
            }
            updates += match(id, quote: quote, arriving: true, at: timestamp, pool: &pool, configuration: configuration)
        }
        if order.timeInForce == .ioc || order.timeInForce == .fok, orders[id.rawValue]!.order.status.isOpen {
            let status: OrderStatus = order.timeInForce == .fok ? .expired : .cancelled
            close(id, as: status, reason: "\(order.timeInForce.rawValue) remainder not filled at once", at: timestamp)
            updates.append(.order(orders[id.rawValue]!.venueOrder))
        }
        return (orders[id.rawValue]!.venueOrder, updates)
    }

    /// The price the rules are checked at: the limit, the stop, or the touch for a market order.
    func referencePrice(of order: Order, quote: Quote?, rules: InstrumentRules) throws(ExecutionError) -> Price {
        switch order.type {
        case .limit, .stopLimit:
            return order.price!
        case .stopMarket:
            return order.stopPrice!
        case .market:
            guard let quote else { throw .rejected("no quote for \(order.symbol) yet: a market order needs a price") }
            let touch = order.side == .buy ? quote.ask : quote.bid
            do {
                return try rules.roundPrice(touch, rule: .halfEven)
            } catch {
                throw .rejected(error.description)
            }
        }
    }

    /// What an order locks: sells their base quantity; buys `price × quantity` rounded up plus the
    /// higher fee rate, at the limit price, or the slipped touch (market) or stop price (stop-market).
    func reservation(
        for order: Order, rules: InstrumentRules, quote: Quote?, configuration: PaperExchangeConfiguration
    ) throws(ExecutionError) -> (asset: String, amount: Money) {
        guard order.side == .buy else { return (order.symbol.base, order.quantity) }
        do {
            let estimate: Price
            switch order.type {
            case .limit, .stopLimit:
                estimate = order.price!
            case .stopMarket:
                estimate = try Self.slipped(order.stopPrice!, side: .buy, rules: rules, configuration: configuration)
            case .market:
                estimate = try Self.slipped(quote!.ask, side: .buy, rules: rules, configuration: configuration)
            }
            let notional = try estimate.multiplied(by: order.quantity, rounding: .up)
            let rate = Swift.max(configuration.makerFeeRate, configuration.takerFeeRate)
            let fee = try notional.multiplied(by: rate, rounding: .up)
            return (order.symbol.quote, try notional.adding(fee))
        } catch {
            throw .rejected("order value of \(order.quantity) \(order.symbol) is out of range: \(error)")
        }
    }

    /// How much of an order the quote would fill right now (for fill-or-kill).
    func fillableNow(
        _ id: ClientOrderID, quote: Quote, pool: PaperLiquidity, configuration: PaperExchangeConfiguration
    ) -> Quantity {
        guard let paper = orders[id.rawValue] else { return .zero }
        let order = paper.order
        let executable: Bool
        switch order.type {
        case .market: executable = true
        case .limit: executable = Self.crosses(order.side, limit: order.price!, quote: quote)
        case .stopMarket, .stopLimit: executable = false
        }
        guard executable else { return .zero }
        guard let available = pool.available(order.side) else { return order.remainingQuantity }
        return Swift.min(order.remainingQuantity, available)
    }

    /// Whether a limit at `limit` can trade against the quote: a buy when `ask ≤ limit`, a sell when `bid ≥ limit`.
    static func crosses(_ side: OrderSide, limit: Price, quote: Quote) -> Bool {
        side == .buy ? quote.ask <= limit : quote.bid >= limit
    }

    /// A taker price moved against the trader by the slippage fraction and rounded to the tick away
    /// from the trader (up for buys, down for sells), exactly: both roundings go the same way.
    static func slipped(
        _ price: Price, side: OrderSide, rules: InstrumentRules, configuration: PaperExchangeConfiguration
    ) throws(FixedPointError) -> Price {
        let rule: RoundingRule = side == .buy ? .up : .down
        let factor = side == .buy ? FixedPoint.one + configuration.slippage : FixedPoint.one - configuration.slippage
        let moved = try price.multiplied(by: factor, rounding: rule)
        return try rules.roundPrice(moved, rule: rule)
    }
}
