import PetrelCore

extension SimulatedExchange {
    /// Tries to execute one order against `candle`.
    /// - Returns: `true` when the order left the book (filled, cut and filled, or cancelled).
    mutating func tryFill(
        _ resting: Resting, candle: Candle, atOpen: Bool, cash: inout Money, into events: inout [ExchangeEvent]
    ) -> Bool {
        let order = resting.order
        let index = resting.instrument
        let rules = self.rules[index]
        guard let (basePrice, liquidity) = executionPrice(resting, candle: candle, atOpen: atOpen) else {
            if order.type == .stopLimit, !resting.triggered, isTriggered(order, candle: candle, atOpen: atOpen),
                let position = book.firstIndex(where: { $0.order.clientOrderID == order.clientOrderID })
            {
                book[position].triggered = true
            }
            return false
        }
        var price = basePrice
        if liquidity == .taker {
            price = (try? slipped(price, side: order.side, rules: rules)) ?? price
        }
        var quantity = order.remainingQuantity
        let net = netPositions[index]
        if order.reduceOnly {
            let reduces = order.side == .sell ? net.isPositive : net.isNegative
            guard reduces else {
                events.append(
                    .cancelled(
                        order.clientOrderID, reason: "reduce-only order has no position to reduce",
                        timestamp: candle.timestamp))
                return true
            }
            quantity = Swift.min(quantity, net.magnitude)
        }
        let rate = liquidity == .maker ? makerRate : takerRate
        let opensLong = order.side == .buy && !order.reduceOnly
        do {
            let unitCost = try price.multiplied(by: rules.contractValue)
            if opensLong {
                let unitWithFee = try unitCost.multiplied(by: try FixedPoint.one.adding(rate), rounding: .up)
                let affordable = try rules.roundQuantity(try cash.divided(by: unitWithFee, rounding: .down))
                quantity = Swift.min(quantity, affordable)
            }
            if !order.reduceOnly {
                try rules.validate(price: try rules.roundPrice(price, rule: .halfEven), quantity: quantity)
            }
            guard quantity.isPositive else {
                events.append(
                    .rejected(order.clientOrderID, reason: "quantity rounds to zero", timestamp: candle.timestamp))
                return true
            }
            let notional = try unitCost.multiplied(by: quantity)
            let fee = try notional.multiplied(by: rate, rounding: .up)
            tradeSequence += 1
            let fill = Fill(
                tradeID: "sim-\(tradeSequence)", clientOrderID: order.clientOrderID, symbol: order.symbol,
                side: order.side, price: price, quantity: quantity, fee: fee, feeAsset: order.symbol.quote,
                liquidity: liquidity, timestamp: candle.timestamp)
            netPositions[index] = order.side == .buy ? try net.adding(quantity) : try net.subtracting(quantity)
            cash =
                order.side == .buy
                ? try cash.subtracting(try notional.adding(fee)) : try cash.adding(try notional.subtracting(fee))
            events.append(.filled(fill))
            if quantity < order.remainingQuantity {
                let why =
                    order.reduceOnly
                    ? "rest of a reduce-only order beyond the position" : "rest not affordable with the available cash"
                events.append(.cancelled(order.clientOrderID, reason: why, timestamp: candle.timestamp))
            }
        } catch let violation as InstrumentRuleViolation {
            let reason =
                opensLong && quantity < order.remainingQuantity ? "insufficient balance: \(violation)" : "\(violation)"
            events.append(.rejected(order.clientOrderID, reason: reason, timestamp: candle.timestamp))
        } catch {
            events.append(.rejected(order.clientOrderID, reason: "\(error)", timestamp: candle.timestamp))
        }
        return true
    }

    /// The price an order executes at in this candle, or `nil` if it does not.
    func executionPrice(_ resting: Resting, candle: Candle, atOpen: Bool) -> (Price, Liquidity)? {
        let order = resting.order
        let buy = order.side == .buy
        let type = order.type == .stopLimit && resting.triggered ? OrderType.limit : order.type
        switch type {
        case .market:
            return (atOpen ? candle.open : candle.close, .taker)
        case .limit:
            let limit = order.price!
            if atOpen && (buy ? candle.open <= limit : candle.open >= limit) { return (candle.open, .maker) }
            if !atOpen && (buy ? candle.low <= limit : candle.high >= limit) { return (limit, .maker) }
            return nil
        case .stopMarket:
            guard isTriggered(order, candle: candle, atOpen: atOpen) else { return nil }
            return (atOpen ? candle.open : order.stopPrice!, .taker)
        case .stopLimit:
            guard isTriggered(order, candle: candle, atOpen: atOpen) else { return nil }
            let trigger = atOpen ? candle.open : order.stopPrice!
            let limit = order.price!
            return (buy ? trigger <= limit : trigger >= limit) ? (trigger, .taker) : nil
        }
    }

    func isTriggered(_ order: Order, candle: Candle, atOpen: Bool) -> Bool {
        guard let stop = order.stopPrice else { return false }
        if order.side == .buy { return atOpen ? candle.open >= stop : candle.high >= stop }
        return atOpen ? candle.open <= stop : candle.low <= stop
    }

    /// Moves a taker price against the trader and rounds it to the tick away from the trader.
    func slipped(_ price: Price, side: OrderSide, rules: InstrumentRules) throws(FixedPointError) -> Price {
        guard costs.slippage > 0 else { return price }
        let factor = side == .buy ? slippageFactor.up : slippageFactor.down
        let moved = try price.multiplied(by: factor)
        return try rules.roundPrice(moved, rule: side == .buy ? .up : .down)
    }
}
