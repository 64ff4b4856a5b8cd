import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Order store unique constraints")
struct OrderStoreTests {
    typealias F = PaperFixtures

    static func fill(_ tradeID: String, of order: Order, quantity: String = "0.1") -> Fill {
        Fill(
            tradeID: tradeID, clientOrderID: order.clientOrderID, symbol: order.symbol, side: order.side,
            price: d("100"), quantity: d(quantity), fee: d("0.01"), feeAsset: "USDT", liquidity: .taker,
            timestamp: F.start)
    }

    @Test("a second intent with the same client order id throws and keeps the first")
    func duplicateClientOrderID() async throws {
        let store = InMemoryOrderStore()
        let first = F.order(1, .buy, quantity: "0.5")
        try await store.saveIntent(first)
        await #expect(throws: OrderStoreError.duplicateClientOrderID(first.clientOrderID)) {
            try await store.saveIntent(F.order(1, .sell, quantity: "0.7"))
        }
        #expect(await store.order(first.clientOrderID) == first)
    }

    @Test("two orders cannot share a venue order id")
    func duplicateVenueOrderID() async throws {
        let store = InMemoryOrderStore()
        var first = F.order(1, .buy, quantity: "0.5")
        var second = F.order(2, .buy, quantity: "0.5")
        try await store.saveIntent(first)
        try await store.saveIntent(second)
        first.venueOrderID = "v-1"
        second.venueOrderID = "v-1"
        try await store.updateOrder(first)
        await #expect(throws: OrderStoreError.duplicateVenueOrderID("v-1", existing: first.clientOrderID)) {
            try await store.updateOrder(second)
        }
        #expect(await store.order(second.clientOrderID)?.venueOrderID == nil)
    }

    @Test("a fill with a trade id already stored throws and changes nothing")
    func duplicateTradeID() async throws {
        let store = InMemoryOrderStore()
        let order = F.order(1, .buy, quantity: "0.5")
        try await store.saveIntent(order)
        var filled = order
        try filled.transition(to: .submitted, at: F.start)
        try filled.apply(Self.fill("t-1", of: order))
        try await store.recordFill(Self.fill("t-1", of: order), order: filled)
        var twice = filled
        try twice.apply(Self.fill("t-1", of: order))
        await #expect(throws: OrderStoreError.duplicateTradeID("t-1", symbol: F.btc)) {
            try await store.recordFill(Self.fill("t-1", of: order), order: twice)
        }
        #expect(await store.fills(of: order.clientOrderID).count == 1)
        #expect(await store.order(order.clientOrderID)?.filledQuantity == d("0.1"))
    }

    @Test("updating or filling an order never saved as an intent throws")
    func unknownOrder() async throws {
        let store = InMemoryOrderStore()
        let order = F.order(1, .buy, quantity: "0.5")
        await #expect(throws: OrderStoreError.unknownOrder(order.clientOrderID)) { try await store.updateOrder(order) }
        await #expect(throws: OrderStoreError.unknownOrder(order.clientOrderID)) {
            try await store.recordFill(Self.fill("t-1", of: order), order: order)
        }
        #expect(await store.allFills().isEmpty)
    }

    @Test("the manager refuses a second order with a client id it already has, and sends nothing")
    func managerDuplicate() async throws {
        let h = try await OrderHarness.make()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try await h.driver.submit(order)
        await #expect(throws: OrderManagerError.duplicateClientOrderID(order.clientOrderID)) {
            _ = try await h.driver.submit(F.order(1, .sell, quantity: "0.2"))
        }
        #expect(await h.exchange.allOrders.count == 1)
    }
}
