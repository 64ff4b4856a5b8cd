import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Duplicated and reordered venue updates.
@Suite("Order updates in any order, any number of times")
struct OrderUpdateOrderingTests {
    typealias F = PaperFixtures

    @Test("stream updates delivered reversed, then again, apply each fill once")
    func duplicatesAndReordering() async throws {
        let h = try await OrderHarness.make(fillLimit: .quoteSize)
        let stream = h.exchange.updates()
        let order = F.order(1, .sell, .limit, quantity: "0.3", price: "101.00")
        #expect(summary(try await h.driver.submit(order)) == ["accepted bot1x1"])
        await h.exchange.apply(F.quote(bid: "101.10", ask: "101.20", bidSize: "0.1", at: F.start + 1_000))
        await h.exchange.apply(F.quote(bid: "101.10", ask: "101.20", bidSize: "0.5", at: F.start + 2_000))
        let updates = await firstElements(5, of: stream)
        #expect(updates.count == 5)

        var events: [OrderEvent] = []
        for update in updates.reversed() + updates + updates { events += try await h.driver.handle(update) }
        #expect(summary(events) == ["filled bot1x1 0.1", "filled bot1x1 0.2"])
        let local = try #require(await h.driver.order(order.clientOrderID))
        #expect(local.status == .filled && local.filledQuantity == d("0.3"))
        #expect(await h.store.fills(of: order.clientOrderID).count == 2)
    }

    @Test("a fill that arrives after the venue's cancel is applied, and the close waits for it")
    func fillAfterCancel() async throws {
        let h = try await OrderHarness.make(fillLimit: .quoteSize)
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try await h.driver.submit(order)
        let stream = h.exchange.updates()
        await h.exchange.apply(F.quote(bid: "99.40", ask: "99.45", askSize: "0.05", at: F.start + 1_000))
        let pushed = await firstElements(2, of: stream)
        #expect(pushed.count == 2)

        // The cancel answer counts 0.05 filled; the fill itself is late and cannot be fetched now.
        await h.exchange.inject(.failBefore(.retryable("timeout")), on: .fills)
        #expect(try await h.driver.cancel(order.clientOrderID).isEmpty)
        #expect(await h.driver.order(order.clientOrderID)?.status == .pendingCancel)

        var events: [OrderEvent] = []
        for update in pushed { events += try await h.driver.handle(update) }
        #expect(summary(events) == ["filled bot1x1 0.05", "closed bot1x1 cancelled"])
        let local = try #require(await h.driver.order(order.clientOrderID))
        #expect(local.status == .cancelled && local.filledQuantity == d("0.05"))
        #expect(await h.store.order(order.clientOrderID) == local)
        #expect(try await h.exchange.balances()["USDT"]?.locked == d("0"))
    }

    @Test("a fill after a close that counted no fills replays the order from its fills; complete fills make it filled")
    func replayAfterClose() throws {
        var manager = OrderManager()
        manager.reconciliationSucceeded()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        let id = order.clientOrderID
        _ = try manager.place(order, at: F.start)
        func venue(_ status: OrderStatus, filled: String) -> VenueOrder {
            VenueOrder(
                clientOrderID: id, venueOrderID: "v-1", symbol: F.btc, side: .buy, type: .limit,
                quantity: d("0.2"), price: d("99.50"), stopPrice: nil, status: status, filledQuantity: d(filled),
                averageFillPrice: nil, updatedAt: F.start + 1)
        }
        func fill(_ tradeID: String, _ quantity: String) -> Fill {
            Fill(
                tradeID: tradeID, clientOrderID: id, symbol: F.btc, side: .buy, price: d("99.50"),
                quantity: d(quantity), fee: d("0.01"), feeAsset: "USDT", liquidity: .maker, timestamp: F.start + 2)
        }
        _ = manager.submitSucceeded(venue(.accepted, filled: "0"), at: F.start)
        let closing = manager.receive(.order(venue(.cancelled, filled: "0")), at: F.start + 1)
        #expect(closing.contains(.notify(.closed(id, status: .cancelled, reason: nil, timestamp: F.start + 1))))

        let late = manager.receive(.fill(fill("t-1", "0.05")), at: F.start + 3)
        let booked = try #require(manager.order(id))
        #expect(booked.status == .cancelled && booked.filledQuantity == d("0.05"))
        #expect(late.first == .saveFill(fill("t-1", "0.05"), booked))
        #expect(late.contains(.notify(.filled(fill("t-1", "0.05")))))
        #expect(manager.receive(.fill(fill("t-1", "0.05")), at: F.start + 4).isEmpty)

        _ = manager.receive(.fill(fill("t-2", "0.15")), at: F.start + 5)
        #expect(manager.order(id)?.status == .filled)
        #expect(manager.order(id)?.filledQuantity == d("0.2"))
    }
}
