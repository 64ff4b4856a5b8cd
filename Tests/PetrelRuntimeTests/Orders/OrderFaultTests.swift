import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The order manager against the real paper exchange with injected venue faults.
@Suite("Order manager under venue faults")
struct OrderFaultTests {
    typealias F = PaperFixtures

    @Test(
        "a timeout after the venue accepted makes the order unknown, a query by client id resolves it, one order exists"
    )
    func timeoutAfterAccept() async throws {
        let h = try await OrderHarness.make()
        await h.exchange.inject(.timeoutAfterAccept, on: .submit)
        let order = F.order(1, .buy, quantity: "0.5")
        let events = try await h.driver.submit(order)
        #expect(summary(events) == ["unknown bot1x1", "accepted bot1x1", "filled bot1x1 0.5"])

        let venueOrders = await h.exchange.allOrders
        #expect(venueOrders.map(\.clientOrderID) == [order.clientOrderID])
        let local = try #require(await h.driver.order(order.clientOrderID))
        #expect(local.status == .filled && local.filledQuantity == d("0.5") && local.venueOrderID == "paper-1")
        #expect(await h.store.order(order.clientOrderID) == local)
        let fills = await h.store.fills(of: order.clientOrderID)
        var position = Position(symbol: F.btc)
        for fill in fills { try position.apply(fill) }
        #expect(fills.count == 1 && position.quantity == d("0.5") && position.averageEntryPrice == d("100.16"))
        #expect(try await h.exchange.balances()["BTC"]?.free == d("1.5"))
    }

    @Test(
        "a timeout before the venue saw the order: not found, asked again after the visibility window, resent under the same id"
    )
    func timeoutBeforeAccept() async throws {
        let h = try await OrderHarness.make()
        await h.exchange.inject(.timeoutBeforeAccept, on: .submit)
        let order = F.order(1, .buy, quantity: "0.5")
        #expect(summary(try await h.driver.submit(order)) == ["unknown bot1x1"])
        #expect(await h.driver.order(order.clientOrderID)?.status == .unknown)
        #expect(await h.store.order(order.clientOrderID)?.status == .unknown)
        #expect(await h.exchange.allOrders.isEmpty)

        h.clock.advance(by: 4_999)
        #expect(try await h.driver.resolvePending().isEmpty)
        #expect(await h.exchange.allOrders.isEmpty)

        h.clock.advance(by: 1)
        let events = try await h.driver.resolvePending()
        #expect(summary(events) == ["accepted bot1x1", "filled bot1x1 0.5"])
        #expect(await h.exchange.allOrders.map(\.clientOrderID) == [order.clientOrderID])
        #expect(await h.driver.order(order.clientOrderID)?.status == .filled)
    }

    @Test(
        "an order still not found after the window and older than the resend limit is rejected with the rule as reason")
    func notFoundTooOld() async throws {
        let h = try await OrderHarness.make(configuration: OrderManagerConfiguration(resubmitWithin: 2_000))
        await h.exchange.inject(.timeoutBeforeAccept, on: .submit)
        let order = F.order(1, .buy, quantity: "0.5")
        _ = try await h.driver.submit(order)
        h.clock.advance(by: 5_000)
        let events = try await h.driver.resolvePending()
        let reason = "not found at the venue 5000 ms after it was sent; not resent (older than 2000 ms)"
        #expect(events == [.closed(order.clientOrderID, status: .rejected, reason: reason, timestamp: F.start + 5_000)])
        #expect(await h.store.order(order.clientOrderID)?.rejectReason == reason)
        #expect(await h.exchange.allOrders.isEmpty)
    }

    @Test(
        "the resend window counts from when the order was placed: one created at a candle's open an hour back is resent"
    )
    func resendWindowFromPlacement() async throws {
        let h = try await OrderHarness.make(configuration: OrderManagerConfiguration(resubmitWithin: 60_000))
        await h.exchange.inject(.timeoutBeforeAccept, on: .submit)
        // A live bot's entry carries the candle's open time, a timeframe (here an hour) before it is placed.
        let order = F.order(1, .buy, quantity: "0.5", at: F.start - 3_600_000)
        #expect(summary(try await h.driver.submit(order)) == ["unknown bot1x1"])
        h.clock.advance(by: 5_000)
        let events = try await h.driver.resolvePending()
        #expect(summary(events) == ["accepted bot1x1", "filled bot1x1 0.5"])
        #expect(await h.exchange.allOrders.map(\.clientOrderID) == [order.clientOrderID])
    }

    @Test("retryable failures before the venue saw the order are retried under the same id after a growing back-off")
    func retryable() async throws {
        let h = try await OrderHarness.make()
        await h.exchange.inject(.retryableBeforeAccept, on: .submit)
        await h.exchange.inject(.retryableBeforeAccept, on: .submit)
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        #expect(summary(try await h.driver.submit(order)) == ["accepted bot1x1"])
        #expect(h.sleeper.sleeps == [200, 400])
        #expect(await h.exchange.allOrders.map(\.clientOrderID) == [order.clientOrderID])
    }

    @Test("a rate limit waits what the venue asks before the retry")
    func rateLimited() async throws {
        let h = try await OrderHarness.make()
        await h.exchange.inject(.rateLimited(1_500), on: .submit)
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        #expect(summary(try await h.driver.submit(order)) == ["accepted bot1x1"])
        #expect(h.sleeper.sleeps == [1_500])
        let venueOrder = try #require(await h.exchange.allOrders.first)
        #expect(venueOrder.clientOrderID == order.clientOrderID && venueOrder.updatedAt == F.start + 1_500)
    }

    @Test("after the last allowed attempt the order is rejected and nothing reached the venue")
    func attemptsExhausted() async throws {
        let h = try await OrderHarness.make(configuration: OrderManagerConfiguration(maxSubmitAttempts: 3))
        for _ in 0..<3 { await h.exchange.inject(.retryableBeforeAccept, on: .submit) }
        let order = F.order(1, .buy, quantity: "0.5")
        let events = try await h.driver.submit(order)
        #expect(
            events == [
                .closed(
                    order.clientOrderID, status: .rejected,
                    reason: "not sent after 3 attempts: 503 service unavailable", timestamp: F.start + 600)
            ])
        #expect(h.sleeper.sleeps == [200, 400])
        #expect(await h.exchange.allOrders.isEmpty)
    }

    @Test("a venue rejection closes the order with the venue's reason and is never retried")
    func rejected() async throws {
        let h = try await OrderHarness.make()
        let order = F.order(1, .buy, quantity: "0.05")
        let events = try await h.driver.submit(order)
        let reason = "order value 5.0025 is below the minimum notional 10"
        #expect(events == [.closed(order.clientOrderID, status: .rejected, reason: reason, timestamp: F.start)])
        #expect(h.sleeper.sleeps.isEmpty)
        #expect(await h.exchange.allOrders.isEmpty)
        let stored = try #require(await h.store.order(order.clientOrderID))
        #expect(stored.status == .rejected && stored.rejectReason == reason)
    }

    @Test("when the intent cannot be written nothing is sent")
    func intentWriteFails() async throws {
        let clock = TestClock(F.start)
        let exchange = await F.exchange(clock: clock)
        let driver = OrderDriver(
            client: exchange, store: FailingOrderStore(), clock: clock, sleeper: TestSleeper(clock: clock))
        _ = try await driver.reconcile()
        let order = F.order(1, .buy, quantity: "0.5")
        await #expect(throws: OrderManagerError.store(.storage("disk full"))) { _ = try await driver.submit(order) }
        #expect(await exchange.allOrders.isEmpty)
        #expect(await driver.order(order.clientOrderID) == nil)
    }
}

/// A store whose disk is full.
actor FailingOrderStore: OrderStore {
    func saveIntent(_ order: Order) throws(OrderStoreError) { throw .storage("disk full") }
    func updateOrder(_ order: Order) throws(OrderStoreError) { throw .storage("disk full") }
    func recordFill(_ fill: Fill, order: Order) throws(OrderStoreError) { throw .storage("disk full") }
    func unfinishedOrders() -> [Order] { [] }
    func order(_ id: ClientOrderID) -> Order? { nil }
    func fills(of id: ClientOrderID) -> [Fill] { [] }
    func latestFillTimestamp() -> Int64? { nil }
    func recentOrders(limit: Int) -> [Order] { [] }
    func recentFills(limit: Int) -> [Fill] { [] }
}
