import PetrelCore
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The order manager over the paper exchange with the SQLite store, across a restart of the process.
@Suite("Order driver on SQLite")
struct OrderDriverRestartTests {
    typealias F = PaperFixtures

    @Test("orders sent before a restart are recovered from the file: start and reconcile catch up with the venue")
    func restartRecoversUnfinishedOrders() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        let clock = TestClock(F.start)
        let sleeper = TestSleeper(clock: clock)
        let exchange = await F.exchange(clock: clock)

        let before = try await file.open()
        let driver = OrderDriver(
            client: exchange, store: before.orderStore(bot: "bot1"), clock: clock, sleeper: sleeper)
        try await driver.start()
        _ = try await driver.reconcile()
        let market = F.order(1, .buy, quantity: "0.1")
        let resting = F.order(2, .buy, .limit, quantity: "0.2", price: "99.50")
        #expect(summary(try await driver.submit(market)) == ["accepted bot1x1", "filled bot1x1 0.1"])
        #expect(summary(try await driver.submit(resting)) == ["accepted bot1x2"])
        // The third intent was written, then the process died before sending it.
        let unsent = F.order(3, .sell, quantity: "0.15")
        try await before.orderStore(bot: "bot1").saveIntent(unsent)
        await exchange.dropUpdates()
        await before.shutdown()

        // While the bot is down the resting order fills.
        await exchange.apply(F.quote(bid: "99.40", ask: "99.45", askSize: "1", at: F.start + 10_000))
        clock.set(F.start + 20_000)

        let after = try await file.open()
        let store = after.orderStore(bot: "bot1")
        #expect(
            try await store.unfinishedOrders().map(\.clientOrderID) == [resting, unsent].map(\.clientOrderID))
        let restarted = OrderDriver(client: exchange, store: store, clock: clock, sleeper: sleeper)
        try await restarted.start()
        #expect(await restarted.canTrade == false)
        let report = try await restarted.reconcile()
        #expect(await restarted.canTrade)
        #expect(
            summary(report.events) == ["filled bot1x2 0.2", "accepted bot1x3", "filled bot1x3 0.15"])
        #expect(report.unmanagedOpenOrders.isEmpty && report.unresolvedOrders.isEmpty)

        // The file, the driver and the venue agree on every order and fill.
        let venueOrders = await exchange.allOrders
        #expect(venueOrders.map(\.clientOrderID) == [market, resting, unsent].map(\.clientOrderID))
        for venueOrder in venueOrders {
            let stored = try #require(try await store.order(venueOrder.clientOrderID))
            #expect(stored.status == venueOrder.status)
            #expect(stored.filledQuantity == venueOrder.filledQuantity)
            #expect(stored.venueOrderID == venueOrder.venueOrderID)
        }
        #expect(try await store.unfinishedOrders().isEmpty)
        let venueFills = try await exchange.fills(symbol: F.btc, since: 0)
        let storedFills = try await store.recentFills(limit: 100)
        #expect(storedFills.map(\.tradeID).sorted() == venueFills.map(\.tradeID).sorted())
        #expect(try await store.latestFillTimestamp() == venueFills.map(\.timestamp).max())

        // Reconciling again, or replaying the venue's fills, stores nothing twice.
        #expect(try await restarted.reconcile().events.isEmpty)
        for fill in venueFills { #expect(try await restarted.handle(.fill(fill)).isEmpty) }
        #expect(try await store.recentFills(limit: 100).count == venueFills.count)
        await after.shutdown()
    }
}

/// Events reduced to comparable words: `accepted bot1x1`, `filled bot1x1 0.5`, `closed bot1x1 rejected`.
func summary(_ events: [OrderEvent]) -> [String] {
    events.map { event in
        switch event {
        case .accepted(let id, _, _): return "accepted \(id)"
        case .filled(let fill): return "filled \(fill.clientOrderID) \(fill.quantity)"
        case .closed(let id, let status, _, _): return "closed \(id) \(status.rawValue)"
        case .unknown(let id, _, _): return "unknown \(id)"
        case .anomaly(let id, _, _): return "anomaly \(id)"
        }
    }
}
