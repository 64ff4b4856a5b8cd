import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Restarts and reconnects: the manager rebuilt from its store catches up with the venue.
@Suite("Order reconciliation")
struct OrderReconciliationTests {
    typealias F = PaperFixtures

    @Test("after a crash the manager rebuilt from the store refuses orders until reconciled, then equals the venue")
    func restartAfterCrash() async throws {
        let h = try await OrderHarness.make(fillLimit: .quoteSize)
        let resting = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        let partly = F.order(2, .sell, .limit, quantity: "0.3", price: "101.00")
        let done = F.order(3, .buy, quantity: "0.1")
        for order in [resting, partly, done] { _ = try await h.driver.submit(order) }
        // The fourth intent was written, then the process died before sending it.
        let unsent = F.order(4, .buy, quantity: "0.15")
        try await h.store.saveIntent(unsent)
        await h.exchange.dropUpdates()

        // While the bot is down the first order fills and the second fills 0.1 of 0.3.
        await h.exchange.apply(F.quote(bid: "99.40", ask: "99.45", askSize: "1", at: F.start + 10_000))
        await h.exchange.apply(F.quote(bid: "101.05", ask: "101.15", bidSize: "0.1", at: F.start + 20_000))
        h.clock.set(F.start + 30_000)

        let restarted = h.restartedDriver()
        try await restarted.start()
        let blocked = "not reconciled with the venue since start-up"
        #expect(await restarted.canTrade == false)
        #expect(await restarted.blockedReason == blocked)
        await #expect(throws: OrderManagerError.tradingBlocked(blocked)) {
            _ = try await restarted.submit(F.order(5, .buy, quantity: "0.2"))
        }

        await h.exchange.inject(.failBefore(.retryable("connection reset")), on: .openOrders)
        await #expect(throws: OrderManagerError.venue(.retryable("connection reset"))) {
            _ = try await restarted.reconcile()
        }
        #expect(await restarted.canTrade == false)
        #expect(
            await restarted.blockedReason
                == "reconciliation failed (temporary failure: connection reset); no new orders until it succeeds")

        let report = try await restarted.reconcile()
        #expect(await restarted.canTrade)
        #expect(await restarted.blockedReason == nil)
        #expect(
            summary(report.events) == [
                "filled bot1x1 0.2", "filled bot1x2 0.1", "accepted bot1x4", "filled bot1x4 0.15",
            ])
        #expect(report.unmanagedOpenOrders.isEmpty && report.unresolvedOrders.isEmpty)
        #expect(report.balances == (try await h.exchange.balances()))

        // Every order: the manager, the store and the venue agree; the never-sent intent went out once.
        let venueOrders = await h.exchange.allOrders
        #expect(venueOrders.map(\.clientOrderID) == [resting, partly, done, unsent].map(\.clientOrderID))
        for venueOrder in venueOrders {
            let local = try #require(await restarted.order(venueOrder.clientOrderID))
            #expect(local.status == venueOrder.status)
            #expect(local.filledQuantity == venueOrder.filledQuantity)
            #expect(local.venueOrderID == venueOrder.venueOrderID)
            #expect(await h.store.order(venueOrder.clientOrderID) == local)
        }
        let venueFills = try await h.exchange.fills(symbol: F.btc, since: 0)
        let storedFills = await h.store.allFills()
        #expect(storedFills.map(\.tradeID).sorted() == venueFills.map(\.tradeID).sorted())
        #expect(storedFills.count == 4)

        // A second reconciliation and stale updates change nothing.
        #expect(try await restarted.reconcile().events.isEmpty)
        for fill in venueFills { #expect(try await restarted.handle(.fill(fill)).isEmpty) }
        #expect(await h.store.allFills().count == 4)
    }

    @Test("a dropped connection blocks trading until reconciliation, which applies the fills missed meanwhile once")
    func reconnect() async throws {
        let h = try await OrderHarness.make()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try await h.driver.submit(order)
        let stream = h.exchange.updates()
        await h.exchange.dropUpdates()
        #expect(await firstElements(1, of: stream).isEmpty)
        await h.driver.connectionLost()
        #expect(await h.driver.canTrade == false)
        #expect(await h.driver.blockedReason == "the connection to the venue was lost; waiting for reconciliation")

        await h.exchange.apply(F.quote(bid: "99.40", ask: "99.45", at: F.start + 1_000))
        let report = try await h.driver.reconcile()
        #expect(summary(report.events) == ["filled bot1x1 0.2"])
        #expect(await h.driver.canTrade)
        #expect(await h.driver.order(order.clientOrderID)?.status == .filled)
        #expect(try await h.driver.reconcile().events.isEmpty)
    }

    @Test("reconciliation reports open venue orders this manager did not send")
    func unmanagedOrders() async throws {
        let h = try await OrderHarness.make()
        let foreign = try Order(
            clientOrderID: ClientOrderID("manual-1"), symbol: F.btc, side: .buy, type: .limit,
            quantity: d("0.2"), price: d("90"), createdAt: F.start)
        _ = try await h.exchange.submit(foreign)
        let report = try await h.driver.reconcile()
        #expect(report.unmanagedOpenOrders.map(\.clientOrderID) == [foreign.clientOrderID])
        #expect(await h.driver.order(foreign.clientOrderID) == nil)
    }
}
