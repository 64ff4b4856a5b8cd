import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// IBKR orders through the ``ExecutionClient`` port against the fake gateway's matching engine: fills,
/// resting orders, cancels, lookups by client order id, and one order per client id whatever fails.
@Suite("IBKR orders")
struct IBKRExecutionTests {
    static let aapl = try! Symbol(base: "AAPL", quote: "USD")

    static func execution(_ url: String, timeout: Int64 = 30, tickle: Duration = .seconds(60)) -> IBKRExecutionClient {
        IBKRExecutionClient(
            client: IBKRClient(baseURL: url + "/v1/api", http: VenueHTTP(timeoutSeconds: timeout)),
            pollInterval: .milliseconds(100), tickleInterval: tickle)
    }

    static func order(
        _ sequence: UInt64, _ side: OrderSide = .buy, _ type: OrderType = .market, quantity: Int = 10,
        price: String? = nil, stop: String? = nil
    ) throws -> Order {
        try Order(
            clientOrderID: ClientOrderID(botID: "ib", sequence: sequence), symbol: aapl, side: side, type: type,
            quantity: FixedPoint(quantity), price: price.map { FixedPoint($0)! },
            stopPrice: stop.map { FixedPoint($0)! },
            createdAt: 0)
    }

    @Test("a market buy fills at the ask: one fill with its commission, cash and shares moved exactly")
    func marketBuy() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url)
            let order = try Self.order(1)
            let placed = try await venue.submit(order)
            #expect(placed.status == .filled && placed.filledQuantity == FixedPoint(10))
            #expect(placed.averageFillPrice == FixedPoint("190.02")! && placed.venueOrderID != nil)
            let sent = try #require(fake.requests.first { $0.method == "POST" && $0.path.hasSuffix("/orders") })
            #expect(
                sent.body.contains(#""orderType":"MKT""#) && sent.body.contains(#""cOID":"\#(order.clientOrderID)""#))
            let fills = try await venue.fills(symbol: Self.aapl, since: 0)
            #expect(fills.count == 1 && fills.first?.clientOrderID == order.clientOrderID)
            #expect(fills.first?.price == FixedPoint("190.02")! && fills.first?.quantity == FixedPoint(10))
            #expect(fills.first?.fee == FixedPoint("1")! && fills.first?.feeAsset == "USD" && fills.first?.side == .buy)
            let balances = try await venue.balances()
            #expect(balances["USD"]?.free == FixedPoint("98098.80")!)
            #expect(balances["AAPL"]?.free == FixedPoint(10))
            #expect(fake.cash("USD") == FixedPoint("98098.80")!)
        }
    }

    @Test("a limit order rests, fills when the price moves through it, and updates() reports the fill and the order")
    func restingLimit() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url)
            let order = try Self.order(2, .buy, .limit, quantity: 5, price: "189.00")
            let placed = try await venue.submit(order)
            #expect(placed.status == .accepted && placed.price == FixedPoint("189")!)
            #expect(try await venue.openOrders(symbol: Self.aapl).map(\.clientOrderID) == [order.clientOrderID])
            fake.setPrices(conid: 265_598, bid: "188.70", ask: "188.90", last: "188.80")
            let stream = venue.updates()
            let updates = await firstElements(2, of: stream, within: 20_000)
            let orders = updates.compactMap { if case .order(let o) = $0 { o } else { nil } }
            let fills = updates.compactMap { if case .fill(let f) = $0 { f } else { nil } }
            #expect(orders.map(\.status) == [.filled] && orders.first?.averageFillPrice == FixedPoint("188.9")!)
            #expect(fills.map(\.price) == [FixedPoint("188.9")!] && fills.first?.clientOrderID == order.clientOrderID)
            #expect(try await venue.openOrders(symbol: nil).isEmpty)
        }
    }

    @Test("a resting order is cancelled; cancelling an id the venue never saw is refused")
    func cancel() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url)
            let order = try Self.order(3, .sell, .limit, quantity: 2, price: "250.00")
            _ = try await venue.submit(order)
            let cancelled = try await venue.cancel(order.clientOrderID, symbol: Self.aapl)
            #expect(
                cancelled.status == .cancelled
                    && fake.status(clientOrderID: order.clientOrderID.rawValue) == "Cancelled")
            #expect(fake.requests.contains { $0.method == "DELETE" && $0.path.contains("/order/") })
            let stranger = try ClientOrderID("ibxnever")
            guard
                case .rejected(let why)? = await executionFailure({
                    _ = try await venue.cancel(stranger, symbol: Self.aapl)
                })
            else {
                Issue.record("cancelling an unknown id must be refused")
                return
            }
            #expect(why.contains("ibxnever"))
        }
    }

    @Test("an order is found by its client order id, by another client too; an id never sent is nil")
    func lookup() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let order = try Self.order(4, .buy, .limit, quantity: 3, price: "180.00")
            let placed = try await Self.execution(url).submit(order)
            let found = try #require(try await Self.execution(url).order(order.clientOrderID, symbol: Self.aapl))
            #expect(found.venueOrderID == placed.venueOrderID && found.status == .accepted)
            #expect(found.quantity == FixedPoint(3) && found.price == FixedPoint("180")! && found.side == .buy)
            #expect(try await Self.execution(url).order(try ClientOrderID("ibxunknown"), symbol: Self.aapl) == nil)
        }
    }

    @Test("an order whose answer is lost after the gateway took it is an unknown outcome; resubmitting makes no second")
    func timeoutAfterAccepting() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url, timeout: 3)
            // Warm up (session, accounts, contract) so that only the order meets the stalled answer; on a
            // loaded machine a warm-up request can outlast 3 s, which is retryable: then it is tried again.
            for _ in 0..<5 {
                if await executionFailure({ _ = try await venue.instrumentRules(Self.aapl) }) == nil { break }
            }
            let order = try Self.order(5, .buy, .limit, quantity: 4, price: "185.00")
            fake.inject(.stallAfterActing(milliseconds: 6_000), method: "POST", path: "/orders")
            guard case .unknownOutcome? = await executionFailure({ _ = try await venue.submit(order) }) else {
                Issue.record("a lost order answer must be an unknown outcome")
                return
            }
            #expect(fake.orders(clientOrderID: order.clientOrderID.rawValue) == 1)
            let again = try await Self.execution(url).submit(order)
            #expect(again.clientOrderID == order.clientOrderID && again.status == .accepted)
            let same = try await venue.submit(order)
            #expect(same.venueOrderID == again.venueOrderID)
            #expect(fake.orders(clientOrderID: order.clientOrderID.rawValue) == 1 && fake.orderCount == 1)
        }
    }

    @Test("a stop rests at the venue and triggers on the last price")
    func stop() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url)
            #expect(venue.supportsStopOrders)
            let order = try Self.order(6, .sell, .stopMarket, quantity: 5, stop: "185.00")
            let placed = try await venue.submit(order)
            #expect(placed.status == .accepted && placed.stopPrice == FixedPoint("185")!)
            fake.setPrices(conid: 265_598, bid: "184.80", ask: "184.90", last: "184.85")
            let filled = try #require(try await venue.order(order.clientOrderID, symbol: Self.aapl))
            #expect(filled.status == .filled && filled.averageFillPrice == FixedPoint("184.8")!)
            #expect(filled.stopPrice == FixedPoint("185")! && filled.type == .stopMarket)
        }
    }

    @Test("the session is checked on first use (logged out: fatal, no order) and tickled while in use")
    func sessionAndTickle() async throws {
        let fake = FakeIBKR()
        fake.setSession(.brokerageDown)
        try await fake.run { url in
            let venue = Self.execution(url, tickle: .zero)
            guard case .fatal(let why)? = await executionFailure({ _ = try await venue.submit(try Self.order(7)) })
            else {
                Issue.record("trading without a session must be fatal")
                return
            }
            #expect(why.contains("log in at \(url)") && fake.orderCount == 0)
            fake.setSession(.authenticated)
            _ = try await venue.openOrders(symbol: nil)
            _ = try await venue.openOrders(symbol: nil)
            #expect(fake.requests.filter { $0.method == "POST" && $0.path == "/tickle" }.count >= 2)
        }
    }

    @Test("stocks trade in whole shares at a cent; an unknown ticker is fatal and named; unsupported types are refused")
    func rules() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let venue = Self.execution(url)
            let rules = try await venue.instrumentRules(Self.aapl)
            #expect(rules.tickSize == FixedPoint("0.01")! && rules.stepSize == .one && rules.minQuantity == .one)
            let unknown = try Symbol(base: "ZZZQ", quote: "USD")
            guard case .fatal(let why)? = await executionFailure({ _ = try await venue.instrumentRules(unknown) })
            else {
                Issue.record("an unknown ticker must be fatal")
                return
            }
            #expect(why.contains("ZZZQ"))
            let stopLimit = try Order(
                clientOrderID: ClientOrderID(botID: "ib", sequence: 9), symbol: Self.aapl, side: .buy, type: .stopLimit,
                quantity: .one, price: FixedPoint(190), stopPrice: FixedPoint(189), createdAt: 0)
            guard case .rejected? = await executionFailure({ _ = try await venue.submit(stopLimit) }) else {
                Issue.record("a stop-limit must be refused before sending")
                return
            }
            #expect(fake.orderCount == 0)
        }
    }
}
