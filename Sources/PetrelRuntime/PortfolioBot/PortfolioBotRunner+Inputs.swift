import PetrelCore

extension PortfolioBotRunner {
    /// Starts and reconciles the order driver when it needs it (first cycle, after a failed
    /// reconciliation, after anything that blocked trading). A dry run has nothing to reconcile.
    /// - Returns: whether orders may go out this cycle.
    func prepareTrading() async -> Bool {
        guard let driver else { return true }
        if !driverStarted {
            do {
                try await driver.start()
                driverStarted = true
            } catch {
                note("the order driver could not load its orders (\(error)); no trades until it can")
                blockedReason = "\(error)"
                return false
            }
        }
        if await driver.canTrade { return true }
        let symbols = Set(decision.settings.enabledPairs.map(\.symbol))
        do {
            let reconciliation = try await driver.reconcile(symbols: symbols)
            for order in reconciliation.unmanagedOpenOrders {
                note("open order \(order.clientOrderID) on \(order.symbol) at the venue was not sent by this bot")
            }
            blockedReason = nil
            return true
        } catch {
            note("reconciliation with the venue failed (\(error)); no trades until it succeeds")
            blockedReason = await driver.blockedReason
            return false
        }
    }

    /// One quote per enabled pair through the shared service, served from its cache when younger
    /// than the bot's `cache_ttl_seconds`. A pair the bot's own cache already holds as stale is
    /// fetched anew: the service's clock reads a moment later than the cycle's, so its cache could
    /// otherwise serve a quote the bot counts as expired. A failed or invalid quote skips its pair.
    /// - Parameters:
    ///   - now: the cycle's time.
    ///   - skipped: where skipped pairs are listed.
    /// - Returns: the usable quotes in pair order.
    func fetchQuotes(now: Int64, skipped: inout [PortfolioCycleReport.SkippedPair]) async -> [Quote] {
        let ttl = Int64(decision.settings.cacheTTLSeconds) * 1_000
        let stale = Set(decision.symbolsNeedingQuotes(now: now))
        var quotes: [Quote] = []
        for pair in decision.settings.enabledPairs {
            let symbol = pair.symbol
            let maxAge = stale.contains(symbol) ? 0 : ttl
            do {
                let quote = try await marketData.quote(venue: venue, symbol: symbol, maxAgeMilliseconds: maxAge)
                guard quote.symbol == symbol, !quote.isCrossed else {
                    let reason = "invalid quote for \(symbol): bid \(quote.bid), ask \(quote.ask)"
                    skipped.append(PortfolioCycleReport.SkippedPair(symbol: symbol, reason: reason))
                    note("\(symbol) skipped this cycle: \(reason)")
                    continue
                }
                quotes.append(quote)
            } catch {
                skipped.append(PortfolioCycleReport.SkippedPair(symbol: symbol, reason: error.description))
                note("\(symbol) skipped this cycle: \(error)")
            }
        }
        return quotes
    }

    /// Stores the quotes this bot has not seen before as price snapshots (the mid, at the venue's
    /// time) and announces them as price updates.
    /// - Parameter quotes: the cycle's quotes.
    func storeSnapshots(_ quotes: [Quote]) async {
        let new = quotes.filter { prices[$0.symbol] != $0 }
        for quote in quotes { prices[quote.symbol] = quote }
        guard !new.isEmpty else { return }
        do {
            try await snapshots.append(
                new.map { PriceSnapshot(symbol: $0.symbol, price: $0.mid, timestamp: $0.timestamp) })
        } catch {
            note("price snapshots not stored: \(error)")
        }
        for quote in new { await emit(.priceUpdate(quote)) }
    }

    /// The free balance per asset at the venue, or `nil` (reported) when it cannot be read.
    func readHoldings() async -> [String: Money]? {
        do {
            let free = try await client.balances().mapValues(\.free)
            holdings = free
            return free
        } catch {
            note("balances unavailable (\(error)); no decision this cycle")
            return nil
        }
    }

    /// A dry run's trade: its PENDING record is written and nothing is sent. Retention applies
    /// after each one, as after an executed trade, so a dry run's history stays as bounded.
    /// - Parameter record: the decision's record.
    /// - Returns: the stored record, or `nil` (reported) when it could not be written.
    func recordDryRun(_ record: TradeHistoryRecord) async -> PortfolioTradeResult? {
        let stored: TradeHistoryRecord
        do {
            stored = try await history.append(record)
        } catch {
            note("the dry run's trade was not recorded: \(error)")
            return nil
        }
        counts[.pending, default: 0] += 1
        do {
            try await history.cleanupOldTrades(keep: decision.settings.historyKeep)
        } catch {
            note("trade history retention failed: \(error)")
        }
        return PortfolioTradeResult(record: stored, legs: [], reason: "dry run: nothing sent")
    }
}
