import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The running portfolio bot against the real paper exchange, on the price path of ``RunnerHarness``.
@Suite("Portfolio bot runner: the seed 000 loop around the decision core")
struct PortfolioBotRunnerTests {
    typealias H = RunnerHarness

    @Test("holds while warming up, then writes the PENDING row, buys on the paper exchange and settles it EXECUTED")
    func buysAfterWarmUp() async throws {
        let h = H.make()
        let runner = try h.runner()
        let reports = await h.cycles(runner, steps: 0...4)
        for early in reports.prefix(4) {
            #expect(early.decision?.decision == .hold && early.trade == nil && early.problems.isEmpty)
        }
        let last = try #require(reports.last)
        #expect(last.decision?.trade?.route.description == "USD→ETH [ETH/USD buy]")
        let trade = try #require(last.trade)
        #expect(trade.status == .executed && trade.reason == nil && trade.legs.count == 1)
        let leg = try #require(trade.legs.first)
        #expect(leg.clientOrderID?.rawValue == "pb1x1" && leg.status == .filled)
        // 10 % of 10,000 USD at the ask 104.01: 1000 / 104.01 = 9.6144… → 9.614 ETH (step 0.001).
        #expect(leg.amount == decimal("1000") && leg.quantity == decimal("9.614"))
        #expect(leg.averagePrice == decimal("104.01") && leg.spent == decimal("999.95214"))
        #expect(leg.received == decimal("9.614"))

        let rows = try await h.history.all()
        let row = try #require(rows.first)
        #expect(rows.count == 1 && row.id == 1 && row.status == .executed && row.decision == .buy)
        #expect(row.fromPair == "USD" && row.toPair == "ETH" && row.amount == decimal("1000"))
        #expect(row.createdAt == H.start + 20_000 && row.reasoning == last.decision?.reasoning)
        #expect(await h.history.log == ["append 1 PENDING", "status 1 EXECUTED", "cleanup keep 100 removed 0"])

        #expect(try await h.free("USD") == decimal("9000.04786"))
        #expect(try await h.free("ETH") == decimal("9.614"))
        #expect(try await h.free("BTC") == decimal("1"))
        #expect(await h.venueOrderIDs() == ["pb1x1"])
        #expect(await runner.orderSequence == 1)

        let eth = try await h.snapshots.recent(symbol: H.ethUSD, limit: 10)
        #expect(eth.map(\.price) == ["100", "101", "102", "103", "104"].map(decimal))
        #expect(eth.map(\.timestamp) == (0...4).map { H.start + Int64($0) * H.interval })
        let kinds = await h.events.kinds
        #expect(kinds.filter { $0 == "price" }.count == 10 && kinds.filter { $0 == "cycle" }.count == 5)
        #expect(kinds.filter { $0 == "executed" }.count == 1 && !kinds.contains("failed") && !kinds.contains("error"))

        let status = await runner.status()
        #expect(status.lastDecision == .buy && status.lastReasoning == last.decision?.reasoning)
        #expect(status.cycles == 5 && status.lastCycleAt == H.start + 20_000 && !status.isRunning)
        #expect(status.prices[H.ethUSD] == H.quotes(step: 4)[1])
        #expect(status.holdings["USD"] == decimal("9000.04786") && status.holdings["ETH"] == decimal("9.614"))
        #expect(status.executedTrades == 1 && status.failedTrades == 0 && status.pendingTrades == 0)
        #expect(status.orderSequence == 1 && status.tradingBlockedReason == nil && status.lastError == nil)
    }

    @Test("a conversion through USD sends two legs, the second spending what the first received")
    func twoLegConversion() async throws {
        let h = H.make(balances: ["BTC": "2"])
        let runner = try h.runner()
        let last = try #require(await h.cycles(runner, steps: 0...4).last)
        #expect(last.decision?.trade?.route.description == "BTC→ETH [BTC/USD sell, ETH/USD buy]")
        let trade = try #require(last.trade)
        #expect(trade.status == .executed && trade.legs.count == 2)
        // Sell 0.2 BTC at the bid 199.99 → 39.998 USD; 39.998 / 104.01 = 0.3845… → buy 0.384 ETH for 39.93984 USD.
        #expect(trade.legs.map { $0.clientOrderID?.rawValue } == ["pb1x1", "pb1x2"])
        #expect(trade.legs.map(\.quantity) == [decimal("0.2"), decimal("0.384")])
        #expect(trade.legs.map(\.received) == [decimal("39.998"), decimal("0.384")])
        #expect(trade.legs[1].amount == decimal("39.998") && trade.legs[1].spent == decimal("39.93984"))
        let row = try #require(try await h.history.all().first)
        #expect(row.decision == .convert && row.status == .executed && row.fromPair == "BTC" && row.toPair == "ETH")
        #expect(row.amount == decimal("0.2"))
        #expect(try await h.free("BTC") == decimal("1.8"))
        #expect(try await h.free("USD") == decimal("0.05816"))
        #expect(try await h.free("ETH") == decimal("0.384"))
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2"])
    }

    @Test("a quote the shared service cached a moment after the bot's cycle began is not taken as expired")
    func sharedCacheClockSkew() async throws {
        let h = H.make()
        let runner = try h.runner()
        await h.publish(step: 0)
        _ = await runner.runCycle()
        // Another bot refreshes the shared cache 2 ms later with the same quotes.
        h.clock.advance(by: 2)
        for symbol in [H.btcUSD, H.ethUSD] {
            _ = try await h.marketData.quote(venue: h.quotes.venue, symbol: symbol, maxAgeMilliseconds: 0)
        }
        // Exactly one TTL (3 s) after the bot's first cycle: stale for the bot, 2 ms short of it for
        // the service; the bot must fetch anew rather than skip its pairs for want of a fresh quote.
        h.clock.set(H.start + 3_000)
        h.quotes.set(
            H.quotes(step: 1).map { quote in
                var moved = quote
                moved.timestamp = H.start + 3_000
                return moved
            })
        let report = await runner.runCycle()
        #expect(report.quotes.map(\.timestamp) == [H.start + 3_000, H.start + 3_000])
        #expect(report.decision?.reasoning.contains("no fresh quote") == false)
    }

    @Test("a dry run writes the same PENDING row and sends nothing")
    func dryRunSendsNothing() async throws {
        let h = H.make()
        let runner = try h.runner(dryRun: true)
        let last = try #require(await h.cycles(runner, steps: 0...4).last)
        let trade = try #require(last.trade)
        #expect(trade.status == .pending && trade.legs.isEmpty && trade.reason == "dry run: nothing sent")
        #expect(trade.record.reasoning.hasPrefix("[dry run] ") && trade.record.decision == .buy)
        let rows = try await h.history.all()
        #expect(rows.map(\.status) == [.pending] && rows.first?.amount == decimal("1000"))
        #expect(await h.venueOrderIDs().isEmpty)
        #expect(try await h.free("USD") == decimal("10000"))
        #expect(await runner.orderSequence == 0)
        let status = await runner.status()
        #expect(status.isDryRun && status.pendingTrades == 1 && status.executedTrades == 0)
    }

    @Test("a pair whose quote fails is skipped and reported; the cycle trades the other pair")
    func failingQuoteSkipsOnlyThatPair() async throws {
        let h = H.make()
        let runner = try h.runner()
        _ = await h.cycles(runner, steps: 0...3)
        h.quotes.fail(H.btcUSD)
        let report = try #require(await h.cycles(runner, steps: 4...4).first)
        let reason = "quote for BTC/USD failed: temporary failure: 503 service unavailable"
        #expect(report.skippedPairs == [PortfolioCycleReport.SkippedPair(symbol: H.btcUSD, reason: reason)])
        #expect(report.quotes.map(\.symbol) == [H.ethUSD])
        #expect(report.problems == ["BTC/USD skipped this cycle: \(reason)"])
        #expect(report.trade?.status == .executed && report.trade?.record.toPair == "ETH")
        #expect(try await h.snapshots.recent(symbol: H.btcUSD, limit: 10).count == 4)
        #expect(await h.events.events.contains(.error("BTC/USD skipped this cycle: \(reason)")))
        #expect(await runner.status().lastError == "BTC/USD skipped this cycle: \(reason)")
    }

    @Test("an order the balance cannot pay is FAILED with the venue's reason and tried again the next interval")
    func insufficientBalance() async throws {
        // All of the USD at the ask, but the venue charges a 0.2 % fee the bot does not expect.
        let h = H.make(takerFee: "0.002")
        let runner = try h.runner(settings: H.settings(size: .fractionOfHolding(.one)))
        let reports = await h.cycles(runner, steps: 0...5)
        for report in reports.suffix(2) {
            let trade = try #require(report.trade)
            #expect(trade.status == .failed && trade.record.amount == decimal("10000"))
            let why = try #require(trade.reason)
            #expect(
                why.contains("(pb1x") && why.contains("): rejected: insufficient USD balance")
                    && why.contains("10000 free"))
        }
        #expect(reports[4].trade?.legs.first?.clientOrderID?.rawValue == "pb1x1")
        #expect(reports[5].trade?.legs.first?.clientOrderID?.rawValue == "pb1x2")
        #expect(await h.venueOrderIDs().isEmpty)
        #expect(try await h.free("USD") == decimal("10000"))

        try await runner.updateSettings(PortfolioBotSettingsUpdate(tradeSize: .fractionOfHolding(decimal("0.5"))))
        let retried = try #require(await h.cycles(runner, steps: 6...6).first?.trade)
        // 5000 / 106.01 → 47.165 ETH for 4999.96165 USD plus a 9.9999233 USD fee.
        #expect(retried.status == .executed && retried.legs.first?.clientOrderID?.rawValue == "pb1x3")
        #expect(try await h.free("USD") == decimal("4990.0384267"))
        #expect(try await h.free("ETH") == decimal("47.165"))
        #expect(try await h.history.all().map(\.status) == [.executed, .failed, .failed])
        let status = await runner.status()
        #expect(status.executedTrades == 1 && status.failedTrades == 2 && status.orderSequence == 3)
    }

    @Test("a venue fault on the second leg fails the conversion, reports the first leg, and retries nothing")
    func secondLegFault() async throws {
        let h = H.make(balances: ["BTC": "2"])
        let runner = try h.runner()
        _ = await h.cycles(runner, steps: 0...3)
        // The first leg's answer is lost (it is found by its client id); the second is refused.
        await h.exchange.inject(.timeoutAfterAccept, on: .submit)
        await h.exchange.inject(.failBefore(.rejected("ETH/USD trading is halted")), on: .submit)
        let trade = try #require(await h.cycles(runner, steps: 4...4).first?.trade)
        #expect(trade.status == .failed && trade.record.decision == .convert)
        #expect(
            trade.reason
                == "leg 2 of 2, ETH/USD buy 0.384 (pb1x2): rejected: ETH/USD trading is halted; "
                + "leg 1 of 2 was done: BTC/USD sell 0.2 (pb1x1): filled at 199.99, spent 0.2 BTC, received 39.998 USD; "
                + "39.998 USD stays held")
        #expect(trade.legs.map(\.status) == [.filled, .rejected])
        #expect(try await h.history.all().map(\.status) == [.failed])
        #expect(await h.venueOrderIDs() == ["pb1x1"])
        #expect(try await h.free("BTC") == decimal("1.8"))
        #expect(try await h.free("USD") == decimal("39.998"))
        #expect(try await h.free("ETH") == .zero)

        // The next cycle decides afresh from the new holdings: 10 % of the USD, not the lost leg again.
        let next = try #require(await h.cycles(runner, steps: 5...5).first?.trade)
        #expect(next.record.decision == .buy && next.record.amount == decimal("3.9998"))
        #expect(next.legs.first?.clientOrderID?.rawValue == "pb1x3")
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x3"])
    }

    @Test("retention after each executed trade keeps history_keep rows")
    func retention() async throws {
        let h = H.make()
        let runner = try h.runner(settings: H.settings(keep: 2))
        let reports = await h.cycles(runner, steps: 0...7)
        #expect(reports.suffix(4).map { $0.trade?.status } == [.executed, .executed, .executed, .executed])
        let rows = try await h.history.all()
        #expect(rows.map(\.id) == [4, 3] && rows.allSatisfy { $0.status == .executed })
        #expect(
            await h.history.log.filter { $0.hasPrefix("cleanup") }.suffix(2) == [
                "cleanup keep 2 removed 1", "cleanup keep 2 removed 1",
            ])
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2", "pb1x3", "pb1x4"])
    }

    @Test("after a restart the order sequence continues from lastOrderSequence; a stale one sends nothing twice")
    func sequenceAfterRestart() async throws {
        let h = H.make()
        let first = try h.runner()
        _ = await h.cycles(first, steps: 0...4)
        let last = await first.orderSequence
        #expect(last == 1)

        let restarted = try h.runner(lastOrderSequence: last)
        let reports = await h.cycles(restarted, steps: 5...9)
        #expect(reports.last?.trade?.legs.first?.clientOrderID?.rawValue == "pb1x2")
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2"])

        // A runner given a stale sequence reuses pb1x1: the order store refuses the intent, nothing is sent.
        let stale = try h.runner(lastOrderSequence: 0)
        let staleReports = await h.cycles(stale, steps: 10...14)
        let refused = try #require(staleReports.last?.trade)
        #expect(refused.status == .failed)
        #expect(
            refused.reason
                == "ETH/USD buy 7.104 (pb1x1): not sent: an order with client order id pb1x1 is already stored")
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2"])
        let next = try #require(await h.cycles(stale, steps: 15...15).first?.trade)
        #expect(next.status == .failed && next.legs.first?.clientOrderID?.rawValue == "pb1x2")
        let fresh = try #require(await h.cycles(stale, steps: 16...16).first?.trade)
        #expect(fresh.status == .executed && fresh.legs.first?.clientOrderID?.rawValue == "pb1x3")
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2", "pb1x3"])
    }

    @Test("an invalid update_config names the field and its range and changes nothing")
    func invalidSettingsUpdate() async throws {
        let h = H.make()
        let runner = try h.runner()
        let before = await runner.status()
        await #expect(
            throws: PortfolioBotError.outOfRange(
                field: "risk_tolerance", value: "1.5", allowed: "a number from 0 to 1")
        ) {
            try await runner.updateSettings(PortfolioBotSettingsUpdate(riskTolerance: 1.5))
        }
        await #expect(
            throws: PortfolioBotError.outOfRange(
                field: "check_interval_seconds", value: "0", allowed: "1 to 300 seconds")
        ) {
            try await runner.updateSettings(PortfolioBotSettingsUpdate(minConfidence: 0.8, checkIntervalSeconds: 0))
        }
        await #expect(
            throws: PortfolioBotError.outOfRange(
                field: "cache_ttl_seconds", value: "61", allowed: "1 to 60 seconds")
        ) {
            try await runner.updateSettings(PortfolioBotSettingsUpdate(cacheTTLSeconds: 61))
        }
        await #expect(
            throws: PortfolioBotError.outOfRange(
                field: "trade_size_percentage", value: "0.005", allowed: "0.01 to 1")
        ) {
            try await runner.updateSettings(
                PortfolioBotSettingsUpdate(tradeSize: .fractionOfHolding(decimal("0.005"))))
        }
        #expect(await runner.status() == before)

        let applied = try await runner.updateSettings(
            PortfolioBotSettingsUpdate(
                riskTolerance: 0.6, minConfidence: 0.75, tradeSize: .fixedAmount(decimal("50")),
                checkIntervalSeconds: 3, cacheTTLSeconds: 2))
        let after = await runner.status()
        #expect(after.settings == applied && after.checkIntervalSeconds == 3)
        #expect(applied.riskTolerance == 0.6 && applied.minConfidence == 0.75 && applied.cacheTTLSeconds == 2)
        #expect(applied.tradeSize == .fixedAmount(decimal("50")) && applied.pairs == H.pairs)
    }

    @Test("a runner built from a portfolio-bot file takes its settings and its check interval")
    func fromConfigurationFile() async throws {
        let file = try ConfigTesting.portfolioBot(ConfigTesting.portfolio)
        let h = H.make()
        let runner = try PortfolioBotRunner(
            botID: "pb1", configuration: file, venue: h.quotes.venue, marketData: h.marketData, client: h.exchange,
            driver: nil, history: h.history, snapshots: h.snapshots, clock: h.clock,
            sleeper: TestSleeper(clock: h.clock), dryRun: true)
        #expect(await runner.settings == (try PortfolioBotSettings(configuration: file)) && runner.isDryRun)
        #expect(await runner.checkIntervalSeconds == file.checkIntervalSeconds)
    }

    @Test("run() repeats the cycle every check interval through the sleeper until its task is cancelled")
    func runLoop() async throws {
        let h = H.make()
        let step = StepCounter()
        let sleeper = HookSleeper(clock: h.clock, cancelAfter: 3) { _ in
            let next = await step.next()
            let quotes = H.quotes(step: next)
            h.quotes.set(quotes)
            for quote in quotes { await h.exchange.apply(quote) }
        }
        await h.publish(step: 0)
        let runner = try h.runner(sleeper: sleeper)
        try await runner.updateSettings(PortfolioBotSettingsUpdate(checkIntervalSeconds: 5))
        let loop = Task { await runner.run() }
        await loop.value
        #expect(sleeper.sleeps == [5_000, 5_000, 5_000])
        let status = await runner.status()
        #expect(status.cycles == 3 && !status.isRunning && status.lastCycleAt == H.start + 10_000)
        #expect(await h.events.kinds.filter { $0 == "cycle" }.count == 3)
        #expect(
            try await h.snapshots.recent(symbol: H.ethUSD, limit: 10).map(\.price)
                == ["100", "101", "102"].map(decimal))
    }

    @Test("no trade while reconciliation fails; the next cycle reconciles and trades")
    func reconciliationFailureBlocksTrading() async throws {
        let h = H.make()
        for _ in 0...4 { await h.exchange.inject(.failBefore(.retryable("503 service unavailable")), on: .openOrders) }
        let runner = try h.runner()
        let reports = await h.cycles(runner, steps: 0...5)
        let blocked = reports[4]
        #expect(blocked.decision?.decision == .buy && blocked.trade == nil)
        #expect(blocked.notTradedReason?.hasPrefix("trading is blocked: reconciliation failed") == true)
        #expect(blocked.problems.contains { $0.hasPrefix("reconciliation with the venue failed") })
        #expect(reports[5].trade?.status == .executed && reports[5].problems.isEmpty)
        #expect(try await h.history.all().map(\.status) == [.executed])
        #expect(await h.venueOrderIDs() == ["pb1x1"])
    }

    @Test("an order accepted but not yet filled is followed within the bounded wait until it fills")
    func boundedWaitFollowsFills() async throws {
        // Each quote fills at most 4 ETH: 4 at once, 4 at the first check, the last 1.614 at the second.
        let h = H.make(fillLimit: .maxQuantity(decimal("4")))
        let sleeper = HookSleeper(clock: h.clock) { _ in
            await h.exchange.apply(H.quotes(step: 4)[1])
        }
        let runner = try h.runner(sleeper: sleeper)
        let trade = try #require(await h.cycles(runner, steps: 0...4).last?.trade)
        #expect(trade.status == .executed && trade.legs.first?.filledQuantity == decimal("9.614"))
        #expect(sleeper.sleeps == [500, 500])
        #expect(
            await h.orders.fills(of: try ClientOrderID("pb1x1")).map(\.quantity) == ["4", "4", "1.614"].map(decimal))
        #expect(try await h.free("ETH") == decimal("9.614"))
    }

    @Test("an order still unfilled after the wait is cancelled; a partial fill makes the trade FAILED")
    func boundedWaitCancelsTheRest() async throws {
        let h = H.make(fillLimit: .maxQuantity(decimal("4")))
        let sleeper = HookSleeper(clock: h.clock)
        let runner = try h.runner(
            sleeper: sleeper, orderWait: .init(pollIntervalMilliseconds: 500, timeoutMilliseconds: 2_000))
        let trade = try #require(await h.cycles(runner, steps: 0...4).last?.trade)
        #expect(trade.status == .failed)
        #expect(
            trade.reason
                == "ETH/USD buy 9.614 (pb1x1): still open after the 2000 ms wait; cancelled after filling 4 of 9.614")
        #expect(sleeper.sleeps == [500, 500, 500, 500])
        #expect(trade.legs.first?.status == .cancelled && trade.legs.first?.spent == decimal("416.04"))
        #expect(try await h.free("ETH") == decimal("4"))
        #expect(try await h.free("USD") == decimal("9583.96"))
        #expect(try await h.history.all().map(\.status) == [.failed])
    }

    @Test(
        "an order whose outcome is still unknown after the wait keeps the trade PENDING until a later cycle learns it")
    func unknownOutcomeStaysPending() async throws {
        let h = H.make()
        let runner = try h.runner(orderWait: .init(pollIntervalMilliseconds: 500, timeoutMilliseconds: 1_000))
        _ = await h.cycles(runner, steps: 0...3)
        await h.exchange.inject(.timeoutBeforeAccept, on: .submit)
        let report = try #require(await h.cycles(runner, steps: 4...4).first)
        let pending = try #require(report.trade)
        #expect(pending.status == .pending && pending.legs.first?.status == .unknown)
        #expect(
            pending.reason
                == "ETH/USD buy 9.614 (pb1x1): outcome still unknown after waiting 1000 ms; followed every cycle")
        #expect(try await h.history.all().map(\.status) == [.pending])
        #expect(await runner.status().pendingTrades == 1)

        // Five seconds after the send the driver finds nothing at the venue and resends pb1x1; it
        // fills at step 5's ask, and the trade is settled before the cycle decides again.
        let next = try #require(await h.cycles(runner, steps: 5...5).first)
        let resolved = try #require(next.resolvedTrade)
        #expect(resolved.status == .executed && resolved.record.id == 1)
        #expect(resolved.legs.first?.averagePrice == decimal("105.01") && resolved.legs.first?.reason == nil)
        #expect(next.trade?.status == .executed && next.trade?.legs.first?.clientOrderID?.rawValue == "pb1x2")
        #expect(await h.venueOrderIDs() == ["pb1x1", "pb1x2"])
        #expect(try await h.history.all().map(\.status) == [.executed, .executed])
        let status = await runner.status()
        #expect(status.pendingTrades == 0 && status.executedTrades == 2)
    }
}

/// Hands out step numbers 1, 2, 3, … to a sleeper hook.
actor StepCounter {
    private var step = 0

    func next() -> Int {
        step += 1
        return step
    }
}
