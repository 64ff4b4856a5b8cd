import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// What every venue's ``ExecutionClient`` promises the order manager, run against each adapter with its
/// fake (Binance, OKX, IBKR, Uphold): one venue order per client order id whatever is sent twice or fails on
/// the way, an unknown outcome whenever the venue may have acted, and a lookup by id that tells which.
/// Uphold's "order" is a conversion (a quote, then its commit), so its faults strike the commit.
@Suite("Execution adapter contract")
struct ExecutionContractTests {
    /// One adapter and its fake, seen through the port.
    struct Adapter: Sendable {
        var symbol: Symbol
        var quantity: Quantity
        /// A limit price far from the market (the order rests).
        var restingPrice: Price
        /// A client with a generous timeout, and one that waits one second.
        var execution: any ExecutionClient
        var impatient: any ExecutionClient
        /// Orders the fake holds under this client id.
        var ordersAtVenue: @Sendable (ClientOrderID) -> Int
        /// The next order is carried out but answered after the impatient client stopped waiting.
        var answerNextOrderLate: @Sendable () -> Void
        /// The next order request gets a 503 and is not carried out.
        var failNextOrder: @Sendable () -> Void
        /// The next order is carried out and answered with a 200 whose body is not JSON.
        var garbleNextOrderAnswer: @Sendable () -> Void
    }

    enum Venue: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case binance, okx, ibkr, uphold

        var testDescription: String { rawValue }

        /// Whether the venue keeps limit orders resting (Uphold converts at a quote, at once).
        var restsOrders: Bool { self != .uphold }

        func run(_ body: @Sendable (Adapter) async throws -> Void) async throws {
            switch self {
            case .binance:
                let fake = FakeBinance()
                fake.list([FakeBinance.Instrument(id: "BTCUSDT", base: "BTC", quote: "USDT")])
                fake.setBalances(["USDT": ("10000", "0")])
                fake.setPrices("BTCUSDT", bid: "100.00", ask: "100.02", last: "100.01")
                try await fake.run { url in
                    func client(_ timeout: Int64) -> BinanceExecutionClient {
                        BinanceExecutionClient(
                            client: BinanceClient(
                                baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: fake.secret),
                                http: VenueHTTP(timeoutSeconds: timeout)))
                    }
                    try await body(
                        Adapter(
                            symbol: try Symbol(base: "BTC", quote: "USDT"), quantity: FixedPoint("0.1")!,
                            restingPrice: FixedPoint("50")!, execution: client(30), impatient: client(1),
                            ordersAtVenue: { fake.orders(clientID: $0.rawValue) },
                            answerNextOrderLate: { fake.inject(.slow(milliseconds: 2_500), path: "/api/v3/order") },
                            failNextOrder: { fake.inject(.serverError, path: "/api/v3/order") },
                            garbleNextOrderAnswer: { fake.inject(.malformedAfterAccepting, path: "/api/v3/order") }))
                }
            case .okx:
                let fake = FakeOKX()
                var spot = FakeOKX.Instrument(id: "BTC-USDT", type: "SPOT", base: "BTC")
                spot.last = "100.0"
                spot.bid = "99.9"
                spot.ask = "100.1"
                fake.list([spot])
                fake.setBalances(["USDT": ("10000", "0")])
                try await fake.run { url in
                    func client(_ timeout: Int64) -> OKXExecutionClient {
                        OKXExecutionClient(
                            client: OKXClient(
                                baseURL: url,
                                credentials: OKXCredentials(
                                    apiKey: fake.apiKey, secret: fake.secret, passphrase: fake.passphrase),
                                http: VenueHTTP(timeoutSeconds: timeout)))
                    }
                    try await body(
                        Adapter(
                            symbol: try Symbol(base: "BTC", quote: "USDT"), quantity: FixedPoint("0.1")!,
                            restingPrice: FixedPoint("50")!, execution: client(30), impatient: client(1),
                            ordersAtVenue: { id in fake.orders(clientID: (try? OKXOrderID.encode(id)) ?? "") },
                            answerNextOrderLate: {
                                fake.inject(.slowAfterAccepting(milliseconds: 2_500), path: "/api/v5/trade/order")
                            },
                            failNextOrder: { fake.inject(.serverError, path: "/api/v5/trade/order") },
                            garbleNextOrderAnswer: {
                                fake.inject(.malformedAfterAccepting, path: "/api/v5/trade/order")
                            }))
                }
            case .uphold:
                let fake = FakeUphold()
                fake.setRate(base: "BTC", quote: "USD", "64000")
                _ = fake.addCard(currency: "USD", balance: "1000.00")
                _ = fake.addCard(currency: "BTC", balance: "0")
                try await fake.run { url in
                    func client(_ timeout: Int64) -> UpholdExecutionClient {
                        UpholdExecutionClient(
                            client: UpholdClient(
                                baseURL: url, token: fake.token, http: VenueHTTP(timeoutSeconds: timeout)))
                    }
                    try await body(
                        Adapter(
                            symbol: try Symbol(base: "BTC", quote: "USD"), quantity: FixedPoint("0.002")!,
                            restingPrice: FixedPoint("50000")!, execution: client(30), impatient: client(1),
                            // Committed conversions under this reference (a quote that was never committed moved
                            // nothing).
                            ordersAtVenue: { id in
                                fake.transactions.filter { $0.reference == id.rawValue && $0.status != "pending" }.count
                            },
                            answerNextOrderLate: { fake.loseNextCommitAnswer() },
                            failNextOrder: { fake.refuseNextCommit() },
                            garbleNextOrderAnswer: { fake.garbleNextCommitAnswer() }))
                }
            case .ibkr:
                let fake = FakeIBKR()
                try await fake.run { url in
                    func client(_ timeout: Int64) -> IBKRExecutionClient {
                        IBKRExecutionClient(
                            client: IBKRClient(baseURL: url + "/v1/api", http: VenueHTTP(timeoutSeconds: timeout)))
                    }
                    try await body(
                        Adapter(
                            symbol: try Symbol(base: "AAPL", quote: "USD"), quantity: FixedPoint(10),
                            restingPrice: FixedPoint("150")!, execution: client(30), impatient: client(1),
                            ordersAtVenue: { fake.orders(clientOrderID: $0.rawValue) },
                            answerNextOrderLate: {
                                fake.inject(.stallAfterActing(milliseconds: 2_500), method: "POST", path: "/orders")
                            },
                            failNextOrder: { fake.inject(.serverError, method: "POST", path: "/orders") },
                            garbleNextOrderAnswer: {
                                fake.inject(.malformedAfterActing, method: "POST", path: "/orders")
                            }))
                }
            }
        }
    }

    static func order(_ adapter: Adapter, _ sequence: UInt64, price: Price? = nil) throws -> Order {
        try Order(
            clientOrderID: ClientOrderID(botID: "contract", sequence: sequence), symbol: adapter.symbol, side: .buy,
            type: price == nil ? .market : .limit, quantity: adapter.quantity, price: price, createdAt: 0)
    }

    /// Asks until the venue shows the order (it may act after the client stopped waiting).
    static func lookUp(_ adapter: Adapter, _ id: ClientOrderID) async throws -> VenueOrder? {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let found = try await adapter.execution.order(id, symbol: adapter.symbol) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test(
        "a market order fills; the same client order id again answers with that order, never a second",
        arguments: Venue.allCases)
    func idempotentSubmit(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let order = try Self.order(adapter, 1)
            let placed = try await adapter.execution.submit(order)
            #expect(placed.clientOrderID == order.clientOrderID && placed.status == .filled)
            #expect(placed.filledQuantity == adapter.quantity)
            let again = try await adapter.execution.submit(order)
            #expect(again.venueOrderID == placed.venueOrderID)
            #expect(adapter.ordersAtVenue(order.clientOrderID) == 1)
            let fills = try await adapter.execution.fills(symbol: adapter.symbol, since: 0)
            #expect(fills.map(\.clientOrderID) == [order.clientOrderID])
            #expect(fills.reduce(Quantity.zero) { $0 + $1.quantity } == adapter.quantity)
        }
    }

    @Test(
        "an order answered after the client stopped waiting is an unknown outcome; its id finds it; no second order",
        arguments: Venue.allCases)
    func lostAnswer(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let order = try Self.order(adapter, 2)
            // Warm the impatient client (clock, instrument, session) before the order it will lose; on a
            // loaded machine a read can outlast its one second, which sends nothing: it is asked again.
            let probe = try ClientOrderID(botID: "contract", sequence: 99)
            for _ in 0..<10 {
                if await executionFailure({ _ = try await adapter.impatient.order(probe, symbol: adapter.symbol) })
                    == nil
                {
                    break
                }
            }
            adapter.answerNextOrderLate()
            var outcome: ExecutionError?
            for _ in 0..<5 {
                outcome = await executionFailure { _ = try await adapter.impatient.submit(order) }
                // Retryable: a read before the order timed out and the order was not sent (the fault waits).
                guard case .retryable? = outcome else { break }
            }
            guard case .unknownOutcome? = outcome else {
                Issue.record("expected an unknown outcome, got \(String(describing: outcome))")
                return
            }
            let found = try #require(try await Self.lookUp(adapter, order.clientOrderID))
            #expect(found.clientOrderID == order.clientOrderID)
            let again = try await adapter.execution.submit(order)
            #expect(again.venueOrderID == found.venueOrderID)
            #expect(adapter.ordersAtVenue(order.clientOrderID) == 1)
        }
    }

    @Test(
        "a 503 on an order is an unknown outcome; the venue never saw it: the lookup is nil", arguments: Venue.allCases)
    func serverError(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let order = try Self.order(adapter, 3)
            adapter.failNextOrder()
            let outcome = await executionFailure { _ = try await adapter.execution.submit(order) }
            guard case .unknownOutcome? = outcome else {
                Issue.record("expected an unknown outcome, got \(String(describing: outcome))")
                return
            }
            #expect(try await adapter.execution.order(order.clientOrderID, symbol: adapter.symbol) == nil)
            #expect(adapter.ordersAtVenue(order.clientOrderID) == 0)
        }
    }

    @Test(
        "an order carried out whose answer cannot be read is an unknown outcome, never retryable; no second order",
        arguments: Venue.allCases)
    func garbledAnswer(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let order = try Self.order(adapter, 5)
            adapter.garbleNextOrderAnswer()
            let outcome = await executionFailure { _ = try await adapter.execution.submit(order) }
            guard case .unknownOutcome? = outcome else {
                Issue.record("expected an unknown outcome, got \(String(describing: outcome))")
                return
            }
            let found = try #require(try await Self.lookUp(adapter, order.clientOrderID))
            #expect(found.status == .filled)
            _ = try await adapter.execution.submit(order)
            #expect(adapter.ordersAtVenue(order.clientOrderID) == 1)
        }
    }

    @Test(
        "a resting limit order is listed open by its id, then cancelled",
        arguments: Venue.allCases.filter(\.restsOrders))
    func restingAndCancel(_ venue: Venue) async throws {
        try await venue.run { adapter in
            let order = try Self.order(adapter, 4, price: adapter.restingPrice)
            let placed = try await adapter.execution.submit(order)
            #expect(!placed.status.isTerminal && placed.filledQuantity.isZero)
            let open = try await adapter.execution.openOrders(symbol: adapter.symbol)
            #expect(open.map(\.clientOrderID).contains(order.clientOrderID))
            let cancelled = try await adapter.execution.cancel(order.clientOrderID, symbol: adapter.symbol)
            #expect(cancelled.status == .cancelled && cancelled.clientOrderID == order.clientOrderID)
            let after = try await adapter.execution.openOrders(symbol: adapter.symbol)
            #expect(!after.map(\.clientOrderID).contains(order.clientOrderID))
            #expect(adapter.ordersAtVenue(order.clientOrderID) == 1)
        }
    }
}
