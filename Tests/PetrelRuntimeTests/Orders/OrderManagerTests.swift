import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The state machine on its own: inputs in, effects out.
@Suite("Order manager state machine")
struct OrderManagerTests {
    typealias F = PaperFixtures

    static func ready() -> OrderManager {
        var manager = OrderManager()
        manager.reconciliationSucceeded()
        return manager
    }

    @Test("placing an order writes the intent first, then sends it under the same client id")
    func intentFirst() throws {
        var manager = Self.ready()
        var order = F.order(1, .buy, quantity: "0.5")
        try order.transition(to: .submitted, at: F.start)
        let effects = try manager.place(order, at: F.start)
        guard effects.count == 2, case .saveIntent(let intent) = effects[0], case .submit(let sent, 0) = effects[1]
        else {
            Issue.record("expected a write then a send, got \(effects)")
            return
        }
        #expect(intent.status == .intent && intent.clientOrderID == order.clientOrderID)
        #expect(sent.status == .submitted && sent.clientOrderID == order.clientOrderID)
    }

    @Test("a new manager refuses orders until reconciliation succeeds, and says why")
    func blockedUntilReconciled() throws {
        var manager = OrderManager()
        #expect(!manager.canTrade)
        #expect(throws: OrderManagerError.tradingBlocked("not reconciled with the venue since start-up")) {
            _ = try manager.place(F.order(1, .buy, quantity: "0.5"), at: F.start)
        }
        manager.reconciliationSucceeded()
        #expect(manager.canTrade && manager.blockedReason == nil)
        manager.blockTrading("connection lost")
        #expect(throws: OrderManagerError.tradingBlocked("connection lost")) {
            _ = try manager.place(F.order(1, .buy, quantity: "0.5"), at: F.start)
        }
    }

    static let notFoundCases: [(Int64, String)] = [
        (1_000, "wait"), (4_999, "wait"), (5_000, "resend"), (60_000, "resend"), (60_001, "reject"),
    ]

    @Test(
        "an unknown order the venue has not seen: wait for the visibility window, resend while young, then reject",
        arguments: notFoundCases)
    func notFoundRule(elapsed: Int64, decision: String) throws {
        var manager = Self.ready()
        let order = F.order(1, .buy, quantity: "0.5")
        _ = try manager.place(order, at: F.start)
        _ = manager.submitFailed(order.clientOrderID, error: .unknownOutcome("timeout"), at: F.start)
        let effects = manager.lookedUp(order.clientOrderID, found: nil, at: F.start + elapsed)
        switch decision {
        case "wait":
            #expect(effects.isEmpty)
            #expect(manager.tick(at: F.start + 4_999).isEmpty)
            #expect(manager.tick(at: F.start + 5_000) == [.lookUp(order.clientOrderID, symbol: F.btc)])
        case "resend":
            guard case .submit(let resent, 0) = effects.first else {
                Issue.record("expected a resend, got \(effects)")
                return
            }
            #expect(resent.clientOrderID == order.clientOrderID && resent.status == .unknown)
        default:
            #expect(manager.order(order.clientOrderID)?.status == .rejected)
            #expect(effects.count == 2)
        }
    }

    @Test("a terminal update that counts more fills than applied is held until they arrive, and fetches them")
    func heldClose() throws {
        var manager = Self.ready()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        let id = order.clientOrderID
        _ = try manager.place(order, at: F.start)
        let cancelled = VenueOrder(
            clientOrderID: id, venueOrderID: "v-1", symbol: F.btc, side: .buy, type: .limit, quantity: d("0.2"),
            price: d("99.50"), stopPrice: nil, status: .cancelled, filledQuantity: d("0.05"),
            averageFillPrice: d("99.50"), updatedAt: F.start + 1)
        let effects = manager.submitSucceeded(cancelled, at: F.start + 1)
        #expect(effects.contains(.fetchFills(id, symbol: F.btc, since: F.start - 60_000)))
        #expect(!effects.contains { if case .notify(.closed) = $0 { return true } else { return false } })
        #expect(manager.order(id)?.status == .accepted)
    }
}

extension OrderManagerTests {
    static func venue(_ order: Order, _ status: OrderStatus) -> VenueOrder {
        VenueOrder(
            clientOrderID: order.clientOrderID, venueOrderID: "v-1", symbol: order.symbol, side: order.side,
            type: order.type, quantity: order.quantity, price: order.price, stopPrice: nil, status: status,
            filledQuantity: .zero, averageFillPrice: nil, updatedAt: F.start + 1)
    }

    @Test("a cancel asked for while the outcome is unknown is sent once the venue shows the order")
    func cancelWhileUnknownFound() throws {
        var manager = Self.ready()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try manager.place(order, at: F.start)
        _ = manager.submitFailed(order.clientOrderID, error: .unknownOutcome("timeout"), at: F.start)
        #expect(try manager.requestCancel(order.clientOrderID, at: F.start).isEmpty)
        let effects = manager.lookedUp(order.clientOrderID, found: Self.venue(order, .accepted), at: F.start + 1)
        #expect(effects.last == .cancel(order.clientOrderID, symbol: F.btc))
        #expect(manager.order(order.clientOrderID)?.status == .pendingCancel)
    }

    @Test("a cancel asked for while the outcome is unknown ends the order locally when the venue never had it")
    func cancelWhileUnknownNotFound() throws {
        var manager = Self.ready()
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try manager.place(order, at: F.start)
        _ = manager.submitFailed(order.clientOrderID, error: .unknownOutcome("timeout"), at: F.start)
        _ = try manager.requestCancel(order.clientOrderID, at: F.start)
        let effects = manager.lookedUp(order.clientOrderID, found: nil, at: F.start + 5_000)
        #expect(
            effects.last
                == .notify(
                    .closed(
                        order.clientOrderID, status: .cancelled, reason: "cancelled before it reached the venue",
                        timestamp: F.start + 5_000)))
        #expect(!effects.contains { if case .submit = $0 { return true } else { return false } })
    }
}
