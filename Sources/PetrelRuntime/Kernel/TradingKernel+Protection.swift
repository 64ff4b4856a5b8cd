import PetrelCore

extension TradingKernel {
    /// Places (or re-places for the new size) the stop-loss and take-profit orders of `slot`.
    mutating func placeProtection(slot index: Int, at timestamp: Int64, into actions: inout [KernelAction]) {
        cancelProtection(slot: index, into: &actions)
        let risk = configuration.risk
        let position = slots[index].position
        let entry = position.averageEntryPrice
        slots[index].bestPrice = entry
        slots[index].trailingActive = false
        slots[index].stopLevel = nil
        if let pct = risk.stopLossPct, let level = level(entry, pct: position.isLong ? -pct : pct, slot: index) {
            submitStop(slot: index, level: level, at: timestamp, into: &actions)
        }
        if let pct = risk.takeProfitPct, let level = level(entry, pct: position.isLong ? pct : -pct, slot: index) {
            if configuration.protection == .clientSide {
                slots[index].takeProfitLevel = level
                return
            }
            guard
                let order = makeOrder(
                    slot: index, side: position.isLong ? .sell : .buy, type: .limit,
                    quantity: position.quantity.magnitude,
                    price: level, stopPrice: nil, reduceOnly: true, at: timestamp, tag: "take profit \(pct)%")
            else { return }
            slots[index].takeProfitOrderID = order.clientOrderID
            track(order, slot: index, purpose: .takeProfit, into: &actions)
        }
    }

    /// Cancels the protective orders of `slot`.
    mutating func cancelProtection(slot index: Int, into actions: inout [KernelAction]) {
        let symbol = slots[index].rules.symbol
        if let id = slots[index].stopOrderID {
            actions.append(.cancel(id, symbol: symbol))
            orders[id] = nil
            slots[index].stopOrderID = nil
        }
        if let id = slots[index].takeProfitOrderID {
            actions.append(.cancel(id, symbol: symbol))
            orders[id] = nil
            slots[index].takeProfitOrderID = nil
        }
        slots[index].stopLevel = nil
        slots[index].takeProfitLevel = nil
    }

    /// Client-side protection at a candle's close: a stop-loss (or trailing stop) the candle's low
    /// (a short's high) reached closes the position, else a take-profit its high (low) reached.
    /// The stop is checked first: when a candle spans both, the worse outcome is assumed.
    mutating func checkClientProtection(slot index: Int, candle: Candle, into actions: inout [KernelAction]) {
        guard configuration.protection == .clientSide, slots[index].pendingExit == nil else { return }
        let long = slots[index].position.isLong
        if let stop = slots[index].stopLevel, long ? candle.low <= stop : candle.high >= stop {
            let name = slots[index].trailingActive ? "trailing stop" : "stop loss"
            submitClose(
                slot: index, purpose: .stopLoss, reasoning: "\(name) \(stop) reached (client-side)",
                at: candle.timestamp, into: &actions)
        } else if let target = slots[index].takeProfitLevel, long ? candle.high >= target : candle.low <= target {
            submitClose(
                slot: index, purpose: .takeProfit, reasoning: "take profit \(target) reached (client-side)",
                at: candle.timestamp, into: &actions)
        }
    }

    mutating func submitStop(slot index: Int, level: Price, at timestamp: Int64, into actions: inout [KernelAction]) {
        let position = slots[index].position
        let trailing = slots[index].trailingActive
        if configuration.protection == .clientSide {
            slots[index].stopLevel = level
            return
        }
        guard
            let order = makeOrder(
                slot: index, side: position.isLong ? .sell : .buy, type: .stopMarket,
                quantity: position.quantity.magnitude,
                price: nil, stopPrice: level, reduceOnly: true, at: timestamp,
                tag: trailing ? "trailing stop" : "stop loss")
        else { return }
        slots[index].stopOrderID = order.clientOrderID
        slots[index].stopLevel = level
        track(order, slot: index, purpose: .stopLoss, into: &actions)
    }

    /// After a candle closes: follows the best price and tightens the stop once the trailing stop is active.
    mutating func updateTrailingStop(slot index: Int, candle: Candle, into actions: inout [KernelAction]) {
        guard let trailing = configuration.risk.trailingStop, slots[index].pendingExit == nil else { return }
        let position = slots[index].position
        let long = position.isLong
        var best = slots[index].bestPrice
        best = long ? Swift.max(best, candle.high) : (best.isZero ? candle.low : Swift.min(best, candle.low))
        slots[index].bestPrice = best
        let entry = position.averageEntryPrice
        if !slots[index].trailingActive {
            guard
                let activation = level(entry, pct: long ? trailing.activationPct : -trailing.activationPct, slot: index)
            else { return }
            guard long ? best >= activation : best <= activation else { return }
            slots[index].trailingActive = true
        }
        guard let candidate = level(best, pct: long ? -trailing.trailingPct : trailing.trailingPct, slot: index) else {
            return
        }
        if let current = slots[index].stopLevel, long ? candidate <= current : candidate >= current { return }
        if let id = slots[index].stopOrderID {
            actions.append(.cancel(id, symbol: position.symbol))
            orders[id] = nil
            slots[index].stopOrderID = nil
        }
        submitStop(slot: index, level: candidate, at: candle.timestamp, into: &actions)
    }

    /// `price × (1 + pct/100)` rounded to the tick; `nil` if not positive or out of range.
    func level(_ price: Price, pct: Double, slot index: Int) -> Price? {
        guard let factor = try? FixedPoint(approximating: 1 + pct / 100),
            let raw = try? price.multiplied(by: factor),
            let rounded = try? slots[index].rules.roundPrice(raw, rule: .halfEven), rounded.isPositive
        else { return nil }
        return rounded
    }
}
