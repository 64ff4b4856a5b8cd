import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The ``OrderStore`` contract, run against ``InMemoryOrderStore`` and the SQLite store alike.
@Suite("Order store contract")
struct OrderStoreContractTests {
    typealias S = Samples

    @Test("an intent reads back with every field, and counts as unfinished and recent", arguments: Backend.allCases)
    func intentRoundTrip(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let intent = S.order("b1", 1, .sell, .stopLimit, quantity: "0.12345678", price: "101.5", tag: "stop_loss")
            try await store.saveIntent(intent)
            #expect(try await store.order(intent.clientOrderID) == intent)
            #expect(try await store.unfinishedOrders() == [intent])
            #expect(try await store.recentOrders(limit: 10) == [intent])
            #expect(try await store.fills(of: intent.clientOrderID).isEmpty)
            #expect(try await store.latestFillTimestamp() == nil)
            #expect(try await store.order(ClientOrderID(botID: "b1", sequence: 99)) == nil)
        }
    }

    @Test("an updated order keeps its venue id, status, fees and reject reason", arguments: Backend.allCases)
    func updateRoundTrip(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let intent = S.order("b1", 1)
            try await store.saveIntent(intent)
            let rejected = S.moved(intent, through: [.submitted, .rejected], venueID: "v-1")
            try await store.updateOrder(rejected)
            let stored = try await store.order(intent.clientOrderID)
            #expect(stored == rejected)
            #expect(stored?.rejectReason == "test")
            #expect(stored?.venueOrderID == "v-1")
            #expect(try await store.unfinishedOrders().isEmpty)
        }
    }

    @Test("a second intent with the same client order id throws and keeps the first", arguments: Backend.allCases)
    func duplicateClientOrderID(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let first = S.order("b1", 1, quantity: "0.5")
            try await store.saveIntent(first)
            await #expect(throws: OrderStoreError.duplicateClientOrderID(first.clientOrderID)) {
                try await store.saveIntent(S.order("b1", 1, .sell, quantity: "0.7"))
            }
            #expect(try await store.order(first.clientOrderID) == first)
            #expect(try await store.recentOrders(limit: 10).count == 1)
        }
    }

    @Test("two orders of a bot cannot share a venue order id, on update or on intent", arguments: Backend.allCases)
    func duplicateVenueOrderID(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let first = S.order("b1", 1)
            let second = S.order("b1", 2)
            try await store.saveIntent(first)
            try await store.saveIntent(second)
            try await store.updateOrder(S.moved(first, through: [.submitted, .accepted], venueID: "v-1"))
            await #expect(throws: OrderStoreError.duplicateVenueOrderID("v-1", existing: first.clientOrderID)) {
                try await store.updateOrder(S.moved(second, through: [.submitted], venueID: "v-1"))
            }
            #expect(try await store.order(second.clientOrderID) == second)
            var third = S.order("b1", 3)
            third.venueOrderID = "v-1"
            await #expect(throws: OrderStoreError.duplicateVenueOrderID("v-1", existing: first.clientOrderID)) {
                try await store.saveIntent(third)
            }
            #expect(try await store.order(third.clientOrderID) == nil)
            // Updating the owner with its own venue id again is fine; many orders may have none.
            try await store.updateOrder(
                S.moved(first, through: [.submitted, .accepted, .pendingCancel], venueID: "v-1"))
            try await store.saveIntent(S.order("b1", 4))
            #expect(try await store.unfinishedOrders().count == 3)
        }
    }

    @Test(
        "updating or filling an order never saved as an intent throws and stores nothing", arguments: Backend.allCases)
    func unknownOrder(_ backend: Backend) async throws {
        try await backend.withStores { stores throws in
            let store = stores.orderStore("b1")
            let order = S.order("b1", 1)
            await #expect(throws: OrderStoreError.unknownOrder(order.clientOrderID)) {
                try await store.updateOrder(order)
            }
            await #expect(throws: OrderStoreError.unknownOrder(order.clientOrderID)) {
                try await store.recordFill(S.fill("t-1", of: order), order: order)
            }
            #expect(try await store.fills(of: order.clientOrderID).isEmpty)
            #expect(try await store.recentFills(limit: 10).isEmpty)
            #expect(try await store.latestFillTimestamp() == nil)
        }
    }

    @Test(
        "a fill is stored with its order's new state; a repeated trade id throws and changes nothing",
        arguments: Backend.allCases)
    func fills(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let intent = S.order("b1", 1, quantity: "0.5")
            try await store.saveIntent(intent)
            let accepted = S.moved(intent, through: [.submitted, .accepted], venueID: "v-1")
            try await store.updateOrder(accepted)
            let first = S.fill("t-1", of: intent, quantity: "0.1", price: "100.01", at: S.start + 9_000)
            let afterFirst = S.applying(first, to: accepted)
            try await store.recordFill(first, order: afterFirst)
            #expect(try await store.order(intent.clientOrderID) == afterFirst)

            let twice = S.applying(first, to: afterFirst)
            await #expect(throws: OrderStoreError.duplicateTradeID("t-1", symbol: S.btc)) {
                try await store.recordFill(first, order: twice)
            }
            #expect(try await store.fills(of: intent.clientOrderID) == [first])
            #expect(try await store.order(intent.clientOrderID)?.filledQuantity == decimal("0.1"))

            // An older fill recorded later: recording order for lists, the newest time for the cursor.
            let second = S.fill("t-2", of: intent, quantity: "0.4", price: "99.99", at: S.start + 7_000)
            let filled = S.applying(second, to: afterFirst)
            try await store.recordFill(second, order: filled)
            #expect(try await store.fills(of: intent.clientOrderID) == [first, second])
            #expect(try await store.recentFills(limit: 10) == [second, first])
            #expect(try await store.recentFills(limit: 1) == [second])
            #expect(try await store.latestFillTimestamp() == S.start + 9_000)
            #expect(try await store.order(intent.clientOrderID) == filled)
            #expect(filled.status == .filled)
            #expect(try await store.unfinishedOrders().isEmpty)
        }
    }

    @Test("a trade id may repeat in another symbol", arguments: Backend.allCases)
    func tradeIDPerSymbol(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let btcOrder = S.moved(S.order("b1", 1), through: [.submitted])
            let ethOrder = S.moved(S.order("b1", 2, symbol: S.eth), through: [.submitted])
            try await store.saveIntent(S.order("b1", 1))
            try await store.saveIntent(S.order("b1", 2, symbol: S.eth))
            let btcFill = S.fill("7", of: btcOrder)
            let ethFill = S.fill("7", of: ethOrder)
            try await store.recordFill(btcFill, order: S.applying(btcFill, to: btcOrder))
            try await store.recordFill(ethFill, order: S.applying(ethFill, to: ethOrder))
            #expect(try await store.recentFills(limit: 5) == [ethFill, btcFill])
        }
    }

    @Test("a fill whose order update breaks a constraint is not stored", arguments: Backend.allCases)
    func fillIsAtomic(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let first = S.order("b1", 1)
            let second = S.order("b1", 2)
            try await store.saveIntent(first)
            try await store.saveIntent(second)
            try await store.updateOrder(S.moved(first, through: [.submitted], venueID: "v-1"))
            let clash = S.moved(second, through: [.submitted], venueID: "v-1")
            let fill = S.fill("t-9", of: second)
            await #expect(throws: OrderStoreError.duplicateVenueOrderID("v-1", existing: first.clientOrderID)) {
                try await store.recordFill(fill, order: S.applying(fill, to: clash))
            }
            #expect(try await store.fills(of: second.clientOrderID).isEmpty)
            #expect(try await store.order(second.clientOrderID) == second)
            // The same fill goes in once the order is consistent.
            let fine = S.moved(second, through: [.submitted], venueID: "v-2")
            try await store.recordFill(fill, order: S.applying(fill, to: fine))
            #expect(try await store.fills(of: second.clientOrderID) == [fill])
        }
    }

    @Test("unfinished orders are every non-terminal status, oldest first", arguments: Backend.allCases)
    func unfinishedOrders(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let paths: [[OrderStatus]] = [
                [], [.submitted], [.submitted, .accepted], [.submitted, .accepted, .pendingCancel],
                [.submitted, .unknown], [.submitted, .cancelled], [.submitted, .rejected], [.submitted, .expired],
                [.submitted, .accepted, .cancelled],
            ]
            var expected: [Order] = []
            for (index, path) in paths.enumerated() {
                let intent = S.order("b1", UInt64(index + 1))
                try await store.saveIntent(intent)
                let moved = S.moved(intent, through: path, venueID: path.isEmpty ? nil : "v-\(index)")
                if !path.isEmpty { try await store.updateOrder(moved) }
                if !moved.status.isTerminal { expected.append(moved) }
            }
            // A partial fill makes one more unfinished order.
            let partial = S.moved(S.order("b1", 20), through: [.submitted, .accepted], venueID: "v-20")
            try await store.saveIntent(S.order("b1", 20))
            let fill = S.fill("p-1", of: partial, quantity: "0.2")
            let partiallyFilled = S.applying(fill, to: partial)
            try await store.recordFill(fill, order: partiallyFilled)
            expected.append(partiallyFilled)
            #expect(partiallyFilled.status == .partiallyFilled)
            #expect(try await store.unfinishedOrders() == expected)
        }
    }

    @Test("recent orders are the newest first, at most the limit", arguments: Backend.allCases)
    func recentOrders(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.orderStore("b1")
            let orders = (1...5).map { S.order("b1", UInt64($0)) }
            for order in orders { try await store.saveIntent(order) }
            #expect(try await store.recentOrders(limit: 3) == Array(orders.reversed().prefix(3)))
            #expect(try await store.recentOrders(limit: 50) == orders.reversed())
            #expect(try await store.recentOrders(limit: 0).isEmpty)
            #expect(try await store.recentOrders(limit: -1).isEmpty)
            #expect(try await store.recentFills(limit: -1).isEmpty)
        }
    }

    @Test("each bot sees only its own orders; venue and trade ids may repeat across bots", arguments: Backend.allCases)
    func botsAreSeparate(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let one = stores.orderStore("b1")
            let two = stores.orderStore("b2")
            let a = S.moved(S.order("b1", 1), through: [.submitted], venueID: "v-1")
            let b = S.moved(S.order("b2", 1), through: [.submitted], venueID: "v-1")
            try await one.saveIntent(S.order("b1", 1))
            try await two.saveIntent(S.order("b2", 1))
            try await one.updateOrder(a)
            try await two.updateOrder(b)
            try await one.recordFill(S.fill("t-1", of: a), order: S.applying(S.fill("t-1", of: a), to: a))
            try await two.recordFill(S.fill("t-1", of: b), order: S.applying(S.fill("t-1", of: b), to: b))
            #expect(try await one.recentOrders(limit: 10).map(\.clientOrderID) == [a.clientOrderID])
            #expect(try await two.unfinishedOrders().map(\.clientOrderID) == [b.clientOrderID])
            #expect(try await one.order(b.clientOrderID) == nil)
            #expect(try await two.fills(of: a.clientOrderID).isEmpty)
            #expect(try await one.recentFills(limit: 10).map(\.clientOrderID) == [a.clientOrderID])
            await #expect(throws: OrderStoreError.unknownOrder(b.clientOrderID)) { try await one.updateOrder(b) }
        }
    }
}
