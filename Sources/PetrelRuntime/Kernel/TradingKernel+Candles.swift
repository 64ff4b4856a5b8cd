import PetrelCore
import PetrelIndicators

extension TradingKernel {
    /// A candle of instrument `index` closed: moves the trailing stop, asks the strategy and acts on its signal.
    /// - Parameters:
    ///   - candle: the closed candle.
    ///   - index: the instrument's index (order given to ``init(configuration:instruments:)``).
    ///   - actions: where orders and journal entries are appended.
    /// - Throws: ``KernelError/strategyFailed(symbol:timestamp:message:)`` when the strategy throws.
    /// - Complexity: O(1) plus the strategy's own work; allocates only when it acts.
    public mutating func handleCandle(_ candle: Candle, instrument index: Int, into actions: inout [KernelAction])
        throws(KernelError)
    {
        guard slots.indices.contains(index) else { throw .unknownInstrument(index) }
        if !slots[index].position.isFlat {
            slots[index].lastClose = candle.close
            // The levels in force during the candle decide; the trailing stop moves after it.
            checkClientProtection(slot: index, candle: candle, into: &actions)
            updateTrailingStop(slot: index, candle: candle, into: &actions)
            checkTimeExit(slot: index, candle: candle, into: &actions)
        }
        let signal: Signal?
        do {
            signal = try Self.advance(&slots[index], with: candle, equity: lastEquity.doubleValue)
        } catch {
            throw .strategyFailed(symbol: slots[index].rules.symbol, timestamp: candle.timestamp, message: "\(error)")
        }
        if let signal {
            // A newer signal supersedes an entry waiting for balance.
            slots[index].entryRetry = nil
            process(signal, slot: index, candle: candle, into: &actions)
        } else if let retry = slots[index].entryRetry {
            slots[index].entryRetry = nil
            var signal = retry.signal
            let prefix = "retry after insufficient balance: "
            if !signal.reasoning.hasPrefix(prefix) { signal.reasoning = prefix + signal.reasoning }
            process(signal, slot: index, candle: candle, retriesLeft: retry.retriesLeft - 1, into: &actions)
        }
    }

    /// Closes a position held for `time_exit_minutes` or longer at this candle's close.
    mutating func checkTimeExit(slot index: Int, candle: Candle, into actions: inout [KernelAction]) {
        guard let minutes = configuration.risk.timeExitMinutes, slots[index].pendingExit == nil,
            let opened = slots[index].position.openedAt
        else { return }
        let closesAt = slots[index].timeframe.map { $0.nextBucket(after: candle.timestamp) } ?? candle.timestamp
        let held = closesAt - opened
        guard held >= Int64(minutes) * 60_000 else { return }
        submitClose(
            slot: index, purpose: .timeExit,
            reasoning: "time exit: held \(held / 60_000) min, limit \(minutes) min", at: candle.timestamp,
            into: &actions)
    }

    /// Feeds a warm-up candle (history before the bot went live): the strategy and indicators see it,
    /// but no signal is acted on and no protective order moves.
    /// - Throws: ``KernelError/strategyFailed(symbol:timestamp:message:)`` when the strategy throws.
    public mutating func warmUp(_ candle: Candle, instrument index: Int) throws(KernelError) {
        guard slots.indices.contains(index) else { throw .unknownInstrument(index) }
        do {
            _ = try Self.advance(&slots[index], with: candle, equity: lastEquity.doubleValue)
        } catch {
            throw .strategyFailed(symbol: slots[index].rules.symbol, timestamp: candle.timestamp, message: "\(error)")
        }
    }

    /// Moves one instrument to `candle` and asks its strategy, through a single exclusive access
    /// to the slot (the per-candle hot path).
    static func advance(_ slot: inout Slot, with candle: Candle, equity: Double) throws -> Signal? {
        slot.lastClose = candle.close
        slot.barIndex += 1
        if slot.atr != nil { _ = slot.atr!.update(candle) }
        let context = StrategyContext(
            symbol: slot.rules.symbol, barIndex: slot.barIndex, positionQuantity: slot.position.quantity,
            entryPrice: slot.position.averageEntryPrice, entryTime: slot.position.openedAt,
            barsInPosition: slot.trade.map { slot.barIndex - $0.entryBar } ?? 0, equity: equity)
        return try slot.strategy.onCandle(candle, context: context)
    }

    func strategyContext(slot index: Int) -> StrategyContext {
        // Field by field: copying the whole slot would retain its strategy and strings every bar.
        let barIndex = slots[index].barIndex
        return StrategyContext(
            symbol: slots[index].rules.symbol, barIndex: barIndex, positionQuantity: slots[index].position.quantity,
            entryPrice: slots[index].position.averageEntryPrice, entryTime: slots[index].position.openedAt,
            barsInPosition: slots[index].trade.map { barIndex - $0.entryBar } ?? 0, equity: lastEquity.doubleValue)
    }

    /// Acts on `signal`; an entry refused for insufficient balance is kept for `retriesLeft` more
    /// intervals (by default the configured ``KernelConfiguration/entryRetryIntervals``).
    mutating func process(
        _ signal: Signal, slot index: Int, candle: Candle, retriesLeft: Int? = nil, into actions: inout [KernelAction]
    ) {
        let position = slots[index].position
        let symbol = slots[index].rules.symbol
        switch signal.action {
        case .exitLong:
            guard position.isLong else { return }
            actions.append(.signal(symbol: symbol, signal: signal, timestamp: candle.timestamp))
            submitClose(slot: index, purpose: .exit, reasoning: signal.reasoning, at: candle.timestamp, into: &actions)
        case .exitShort:
            guard position.isShort else { return }
            actions.append(.signal(symbol: symbol, signal: signal, timestamp: candle.timestamp))
            submitClose(slot: index, purpose: .exit, reasoning: signal.reasoning, at: candle.timestamp, into: &actions)
        case .enterLong, .enterShort:
            let long = signal.action == .enterLong
            if !long && !configuration.allowShort { return }
            if (long && position.isLong) || (!long && position.isShort) || slots[index].pendingEntry != nil { return }
            actions.append(.signal(symbol: symbol, signal: signal, timestamp: candle.timestamp))
            if !position.isFlat {
                // A reversal: close first; the entry follows in the same batch and fills after the close.
                submitClose(
                    slot: index, purpose: .exit, reasoning: signal.reasoning, at: candle.timestamp, into: &actions)
            }
            let retry = EntryRetry(signal: signal, retriesLeft: retriesLeft ?? configuration.entryRetryIntervals)
            submitEntry(retry, long: long, slot: index, candle: candle, into: &actions)
        }
    }

    mutating func submitEntry(
        _ retry: EntryRetry, long: Bool, slot index: Int, candle: Candle, into actions: inout [KernelAction]
    ) {
        let signal = retry.signal
        let symbol = slots[index].rules.symbol
        let risk = configuration.risk
        func skip(_ reason: String) {
            actions.append(.skipped(symbol: symbol, reason: reason, timestamp: candle.timestamp))
        }
        guard tradingState == .active else {
            return skip("entry skipped: trading state is \(tradingState.rawValue)")
        }
        if entriesPaused { return skip("entry skipped: the bot is paused") }
        let openCount = slots.indices.filter {
            $0 != index && (!slots[$0].position.isFlat || slots[$0].pendingEntry != nil)
        }.count
        if openCount >= risk.maxPositions {
            return skip("entry skipped: max positions \(risk.maxPositions) reached")
        }
        if let maxTrades = risk.maxDailyTrades, dailyEntries >= maxTrades {
            return skip("entry skipped: max daily trades \(maxTrades) reached")
        }
        let price = signal.limitPrice ?? candle.close
        let quantity: Quantity
        switch entryQuantity(slot: index, price: price, sizeFraction: signal.sizeFraction, long: long) {
        case .success(let q): quantity = q
        case .failure(let reason):
            let message = "entry skipped: \(reason.message)"
            return skip(reason.isInsufficientBalance ? deferEntry(retry, slot: index, message: message) : message)
        }
        let type: OrderType = signal.limitPrice == nil ? .market : .limit
        guard
            let order = makeOrder(
                slot: index, side: long ? .buy : .sell, type: type, quantity: quantity, price: signal.limitPrice,
                stopPrice: nil, reduceOnly: false, at: candle.timestamp, tag: signal.reasoning)
        else { return skip("entry skipped: the order could not be built") }
        dailyEntries += 1
        slots[index].pendingEntry = order.clientOrderID
        slots[index].pendingReasoning = signal.reasoning
        slots[index].pendingEntrySignal = retry
        track(order, slot: index, purpose: .entry, into: &actions)
    }

    /// Keeps an entry refused for insufficient balance for the next candle when it has retries left.
    /// - Returns: `message`, saying so when it will be retried.
    mutating func deferEntry(_ retry: EntryRetry, slot index: Int, message: String) -> String {
        guard retry.retriesLeft > 0 else { return message }
        slots[index].entryRetry = retry
        return "\(message); retrying next interval (\(retry.retriesLeft) left)"
    }

    /// Why an entry could not be sized.
    struct SizingFailure: Error {
        var message: String
        /// Whether the entry failed only for lack of cash (retried on the next interval).
        var isInsufficientBalance = false
    }

    /// The entry quantity for the configured sizing, capped by exposure and cash, rounded to the lot step.
    func entryQuantity(slot index: Int, price: Price, sizeFraction: Double?, long: Bool)
        -> Result<Quantity, SizingFailure>
    {
        let rules = slots[index].rules
        let equity = lastEquity.isZero && !hasEntered ? cash : lastEquity
        guard price.isPositive else { return .failure(SizingFailure(message: "no price yet")) }
        do {
            var amount: Money
            switch configuration.sizing {
            case .fixedAmount(let fixed):
                amount = fixed
            case .percentOfEquity(let fraction):
                amount = try equity.multiplied(by: try FixedPoint(approximating: fraction), rounding: .down)
            case .compounding(let initial):
                amount = hasEntered ? cash : initial
            case .riskPerTrade(let riskFraction, _, let multiple):
                guard let atr = slots[index].atr?.value, atr > 0 else {
                    return .failure(SizingFailure(message: "ATR not warmed up yet for risk-per-trade sizing"))
                }
                let units = equity.doubleValue * riskFraction / (multiple * atr)
                amount = try (try FixedPoint(approximating: units, rounding: .down)).multiplied(
                    by: price, rounding: .down)
            }
            if let fraction = sizeFraction {
                let clamped = Swift.max(0, Swift.min(1, fraction))
                amount = try amount.multiplied(by: try FixedPoint(approximating: clamped), rounding: .down)
            }
            if let maxExposure = configuration.risk.maxExposure {
                let limit = try equity.multiplied(by: try FixedPoint(approximating: maxExposure), rounding: .down)
                let room = limit - grossExposure
                guard room.isPositive else {
                    return .failure(SizingFailure(message: "max exposure \(maxExposure) of equity reached"))
                }
                amount = Swift.min(amount, room)
            }
            if long {
                let reserve = try FixedPoint(approximating: 1 + configuration.costReserve)
                let affordable = try cash.divided(by: reserve, rounding: .down)
                amount = Swift.min(amount, affordable)
                guard amount.isPositive else {
                    return .failure(
                        SizingFailure(
                            message: "insufficient balance: \(cash) \(quoteAsset) free", isInsufficientBalance: true))
                }
            }
            let perUnit = try price.multiplied(by: rules.contractValue)
            let raw = try amount.divided(by: perUnit, rounding: .down)
            let quantity = try rules.roundQuantity(raw)
            do {
                let checkPrice = try rules.roundPrice(price, rule: .halfEven)
                try rules.validate(price: checkPrice, quantity: quantity)
            } catch {
                return .failure(SizingFailure(message: "\(error) (sized \(amount) \(quoteAsset) at \(price))"))
            }
            return .success(quantity)
        } catch {
            return .failure(SizingFailure(message: error.description))
        }
    }
}
