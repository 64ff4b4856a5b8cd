import PetrelCore
import PetrelRuntime

extension PaperExchangeState {
    /// Matches the open orders of the quote's symbol against it, in arrival order, and remembers it
    /// as the symbol's last quote. A crossed or empty quote is ignored.
    ///
    /// - Market orders (and stop-market orders once triggered) fill at the ask (buy) or bid (sell)
    ///   moved by the slippage fraction and rounded to the tick away from the trader; taker fee.
    /// - A resting limit order fills at its limit price once the quote crosses it (buy: `ask ≤
    ///   limit`, sell: `bid ≥ limit`); maker fee. A limit that crosses when it arrives (or when its
    ///   stop triggers) takes the touch price instead, with the taker fee; limits never slip.
    /// - Stops trigger on ``PaperExchangeConfiguration/stopTrigger`` (the last price by default).
    /// - Each fill is at most what the quote still offers (``PaperFillLimit``), rounded down to the
    ///   lot step; the rest waits for the next quote.
    /// - Fees are in the quote asset, `price × quantity × rate` rounded up at the 8th digit.
    /// - Parameters:
    ///   - quote: the new quote.
    ///   - configuration: rules, fees and slippage.
    /// - Returns: the fills and order updates, in order.
    /// - Complexity: O(open orders).
    public mutating func match(_ quote: Quote, configuration: PaperExchangeConfiguration) -> [ExecutionUpdate] {
        guard !quote.isCrossed else { return [] }
        lastQuotes[quote.symbol.description] = quote
        var pool = PaperLiquidity(quote: quote, limit: configuration.fillLimit)
        var updates: [ExecutionUpdate] = []
        for id in openOrderIDs where orders[id.rawValue]?.order.symbol == quote.symbol {
            updates += match(
                id, quote: quote, arriving: false, at: quote.timestamp, pool: &pool, configuration: configuration)
        }
        return updates
    }

    /// Tries to fill one open order against a quote.
    mutating func match(
        _ id: ClientOrderID, quote: Quote, arriving: Bool, at timestamp: Int64, pool: inout PaperLiquidity,
        configuration: PaperExchangeConfiguration
    ) -> [ExecutionUpdate] {
        guard var paper = orders[id.rawValue], paper.order.status.isOpen,
            let rules = configuration.rules(for: paper.order.symbol)
        else { return [] }
        let order = paper.order
        var takes = arriving
        var type = order.type
        if type == .stopMarket || type == .stopLimit {
            if !paper.triggered {
                guard Self.isTriggered(order, by: quote, on: configuration.stopTrigger) else { return [] }
                paper.triggered = true
                orders[id.rawValue] = paper
                takes = true
            }
            type = type == .stopMarket ? .market : .limit
        }
        let touch = order.side == .buy ? quote.ask : quote.bid
        let price: Price
        let liquidity: Liquidity
        if type == .market {
            guard let slipped = try? Self.slipped(touch, side: order.side, rules: rules, configuration: configuration)
            else { return [] }
            (price, liquidity) = (slipped, .taker)
        } else {
            guard let limit = order.price, Self.crosses(order.side, limit: limit, quote: quote) else { return [] }
            (price, liquidity) = takes ? (touch, .taker) : (limit, .maker)
        }
        var quantity = order.remainingQuantity
        if let available = pool.available(order.side) { quantity = Swift.min(quantity, available) }
        let reducing = order.reduceOnly && order.side == .sell
        if reducing {
            let free = ledger.balance(order.symbol.base).free
            guard free.isPositive else {
                return cancel(id, reason: "reduce-only order has nothing left to reduce", at: timestamp)
            }
            quantity = Swift.min(quantity, free)
        }
        guard let stepped = try? rules.roundQuantity(quantity), stepped.isPositive else {
            return reducing ? cancel(id, reason: "reduce-only order has nothing left to reduce", at: timestamp) : []
        }
        quantity = stepped
        let rate = liquidity == .maker ? configuration.makerFeeRate : configuration.takerFeeRate
        let cost: Money
        switch Self.cost(price: price, quantity: quantity, rate: rate, side: order.side) {
        case .some(let value): cost = value
        case .none: return cancel(id, reason: "fill of \(quantity) at \(price) is out of range", at: timestamp)
        }
        if order.side == .buy, cost > paper.reserved {
            // The price moved past the estimate (a gap through a stop): lock the difference from the
            // free balance, or cancel the rest when it does not cover it.
            let free = ledger.balance(paper.reservedAsset).free
            if cost - paper.reserved > free {
                return cancel(
                    id, reason: "insufficient \(paper.reservedAsset) balance to fill at \(price)", at: timestamp)
            }
            try? ledger.lock(paper.reservedAsset, cost - paper.reserved)
            paper.reserved = cost
        }
        if reducing {
            guard (try? ledger.lock(paper.reservedAsset, quantity)) != nil else {
                return cancel(id, reason: "reduce-only order has nothing left to reduce", at: timestamp)
            }
            paper.reserved += quantity
        }
        tradeSequence += 1
        let fill = Fill(
            tradeID: "paper-t\(tradeSequence)", clientOrderID: id, symbol: order.symbol, side: order.side, price: price,
            quantity: quantity, fee: fee(price, quantity, rate),
            feeAsset: order.symbol.quote, liquidity: liquidity, timestamp: timestamp)
        let consumed = order.side == .buy ? cost : quantity
        do {
            var ledgerAfter = ledger
            try ledgerAfter.settleSpotFill(fill, lockedCost: consumed)
            try paper.order.apply(fill)
            ledger = ledgerAfter
        } catch {
            tradeSequence -= 1
            if reducing { try? ledger.unlock(paper.reservedAsset, quantity) }
            return cancel(id, reason: "fill failed: \(error)", at: timestamp)
        }
        paper.reserved -= consumed
        orders[id.rawValue] = paper
        fills.append(fill)
        pool.consume(order.side, quantity)
        if paper.order.status == .filled { close(id, as: nil, reason: nil, at: timestamp) }
        return [.fill(fill), .order(orders[id.rawValue]!.venueOrder)]
    }

    /// Cancels an order the exchange cannot fill and reports it.
    private mutating func cancel(_ id: ClientOrderID, reason: String, at timestamp: Int64) -> [ExecutionUpdate] {
        close(id, as: .cancelled, reason: reason, at: timestamp)
        return [.order(orders[id.rawValue]!.venueOrder)]
    }

    /// Whether a stop order's trigger price has been reached.
    static func isTriggered(_ order: Order, by quote: Quote, on trigger: PaperStopTrigger) -> Bool {
        guard let stop = order.stopPrice else { return false }
        switch (order.side, trigger) {
        case (.buy, .last): return quote.last >= stop
        case (.sell, .last): return quote.last <= stop
        case (.buy, .bidAsk): return quote.ask >= stop
        case (.sell, .bidAsk): return quote.bid <= stop
        }
    }

    /// The fee: `price × quantity` (rounded half-even, as the ledger books it) × rate, rounded up.
    func fee(_ price: Price, _ quantity: Quantity, _ rate: FixedPoint) -> Money {
        (try? (try price.multiplied(by: quantity)).multiplied(by: rate, rounding: .up)) ?? .zero
    }

    /// What a buy consumes of its reservation (notional plus fee); for a sell, its quantity.
    static func cost(price: Price, quantity: Quantity, rate: FixedPoint, side: OrderSide) -> Money? {
        guard side == .buy else { return quantity }
        guard let notional = try? price.multiplied(by: quantity),
            let fee = try? notional.multiplied(by: rate, rounding: .up)
        else { return nil }
        return try? notional.adding(fee)
    }
}
