import PetrelCore

extension BotRunner {
    /// Handles a market-data event. - Returns: whether the market has ended (a finished replay).
    func handle(_ event: MarketDataEvent) async throws(BotCrash) -> Bool {
        switch event {
        case .history(let candles):
            feedConnected = true
            if journalCount == 0 && pendingJournal.isEmpty {
                var none: [KernelAction] = []
                for candle in candles {
                    if let failure = record(.warmUp(candle), into: &none) {
                        environment.observe(.error("warm-up candle refused by the strategy: \(failure)"))
                    }
                }
                try await flushJournal()
                if let last = candles.last {
                    environment.observe(
                        .notice(
                            "warmed up on \(candles.count) candles up to \(CivilDate.iso8601(milliseconds: last.timestamp))"
                        ))
                }
            } else {
                // A restart: candles newer than the journal's last one were missed while the bot was down.
                for candle in candles { try await process(candle) }
            }
        case .candle(let candle):
            feedConnected = true
            try await process(candle)
        case .backfill(let candles):
            for candle in candles { try await process(candle) }
        case .disconnected(let reason, let retry):
            feedConnected = false
            environment.observe(.notice("market data disconnected (\(reason)); reconnecting in \(retry) ms"))
        case .reconnected:
            feedConnected = true
            environment.observe(.notice("market data reconnected"))
        case .finished:
            return true
        }
        return false
    }

    /// One closed candle: the quote-driven venue sees its prices first (resting orders and stops
    /// fill), then the kernel sees the candle; the journal is written before any order it causes.
    func process(_ candle: Candle) async throws(BotCrash) {
        guard candle.timestamp > (lastCandleTime ?? .min) else { return }
        // A further candle of one event (back-fill, catch-up after a restart) is measured on its own.
        probeMark?.nextCandle()
        let closeTime = candle.timestamp + environment.feed.timeframe.milliseconds
        if let venue = environment.quoteVenue, let spread = environment.candleQuoteSpread {
            let seen = await venue.lastQuoteTimestamp(symbol: environment.feed.symbol) ?? .min
            var updates: [ExecutionUpdate] = []
            for quote in Self.quotePath(
                of: candle, symbol: environment.feed.symbol, spread: spread, closeTime: closeTime)
            where quote.timestamp > seen {
                environment.marketClock?.advance(to: quote.timestamp)
                updates += await venue.apply(quote)
            }
            do {
                try await venue.checkpoint()
            } catch {
                throw BotCrash("the paper account could not be saved: \(error)")
            }
            for update in updates { try await handleExecution(update) }
        }
        environment.marketClock?.advance(to: closeTime)
        if environment.marketClock != nil { try await resolvePending() }
        var actions: [KernelAction] = []
        let failure = record(.candle(candle), into: &actions)
        probeMark?.decision()
        try await flushJournal()
        environment.observe(.candle(candle))
        try await perform(actions)
        try await afterBar(candle, closeTime: closeTime)
        if let failure {
            lastError = failure.description
            throw BotCrash("\(failure)")
        }
    }

    /// Equity snapshot and stored positions after a bar.
    func afterBar(_ candle: Candle, closeTime: Int64) async throws(BotCrash) {
        let equity = kernel.lastEquity
        let peak = kernel.peakEquity
        let drawdown = peak.isPositive ? max(0, (peak.doubleValue - equity.doubleValue) / peak.doubleValue) : 0
        let snapshot = EquitySnapshot(
            botID: environment.botID, timestamp: closeTime, equity: equity, cash: kernel.cash, drawdown: drawdown)
        environment.observe(.equity(snapshot))
        if let store = environment.equity {
            do {
                try await store.append([snapshot])
            } catch {
                environment.observe(.error("the equity snapshot could not be stored: \(error)"))
            }
        }
        if positionsChanged { await storePositions() }
    }

    /// Writes the kernel's positions to the bot repository.
    func storePositions() async {
        positionsChanged = false
        let now = environment.clock.now()
        let records = kernel.positions.map { position in
            PositionRecord(
                botID: environment.botID, symbol: position.symbol, quantity: position.quantity,
                averagePrice: position.averageEntryPrice, realizedPnL: position.realizedPnL, updatedAt: now)
        }
        do {
            try await environment.bots.savePositions(records, bot: environment.botID)
        } catch {
            environment.observe(.error("positions could not be stored: \(error)"))
        }
    }

    /// Applies quotes streamed for a quote-driven venue (paper trading on live quotes).
    func applyQuotes(_ quotes: [Quote]) async throws(BotCrash) {
        guard let venue = environment.quoteVenue else { return }
        var updates: [ExecutionUpdate] = []
        for quote in quotes { updates += await venue.apply(quote) }
        if !updates.isEmpty {
            do {
                try await venue.checkpoint()
            } catch {
                throw BotCrash("the paper account could not be saved: \(error)")
            }
        }
        for update in updates { try await handleExecution(update) }
    }

    /// The quotes a closed candle stands for: open, then the extreme nearer the open (the low of a
    /// rising candle, the high of a falling one), the other extreme, and the close at the close time;
    /// bid and ask `spread` (a fraction) around each price.
    static func quotePath(of candle: Candle, symbol: Symbol, spread: FixedPoint, closeTime: Int64) -> [Quote] {
        let span = closeTime - candle.timestamp
        let rising = candle.close >= candle.open
        let prices = [candle.open, rising ? candle.low : candle.high, rising ? candle.high : candle.low, candle.close]
        let times = [candle.timestamp + 1, candle.timestamp + span / 3, candle.timestamp + 2 * span / 3, closeTime]
        return zip(prices, times).map { price, time in
            let offset = (try? price.multiplied(by: spread, rounding: .up)) ?? .zero
            let bid = price - offset
            return Quote(
                symbol: symbol, bid: bid.isPositive ? bid : price, ask: price + offset, last: price, timestamp: time)
        }
    }
}
