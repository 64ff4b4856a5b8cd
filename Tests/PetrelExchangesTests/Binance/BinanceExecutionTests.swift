import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

/// Binance orders through the ``ExecutionClient`` port against the fake venue's matching engine: one venue
/// order per client id whatever fails, and the end state checked after every fault.
@Suite("Binance orders")
struct BinanceExecutionTests {
    static let btc = try! Symbol(base: "BTC", quote: "USDT")

    static func venue() -> FakeBinance {
        let fake = FakeBinance()
        fake.list([.init(id: "BTCUSDT", base: "BTC", quote: "USDT")])
        fake.setBalances(["USDT": ("1000.00000000", "0.00000000")])
        return fake
    }

    static func execution(_ url: String, _ fake: FakeBinance, timeout: Int64 = 30) -> BinanceExecutionClient {
        BinanceExecutionClient(
            client: BinanceClient(
                baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: fake.secret),
                http: VenueHTTP(timeoutSeconds: timeout)),
            pollInterval: .milliseconds(100))
    }

    static func order(
        _ sequence: UInt64, _ side: OrderSide = .buy, _ type: OrderType = .market, quantity: String = "0.1",
        price: String? = nil, timeInForce: TimeInForce = .gtc
    ) throws -> Order {
        try Order(
            clientOrderID: ClientOrderID(botID: "bn", sequence: sequence), symbol: btc, side: side, type: type,
            quantity: FixedPoint(quantity)!, price: price.map { FixedPoint($0)! }, timeInForce: timeInForce,
            createdAt: 0)
    }

    @Test("a market buy fills at the ask: one fill, commission in BTC, balances moved")
    func marketBuy() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(1)
            let placed = try await venue.submit(order)
            #expect(placed.status == .filled && placed.filledQuantity == FixedPoint("0.1")!)
            #expect(placed.averageFillPrice == FixedPoint("100.02")! && placed.clientOrderID == order.clientOrderID)
            let fills = try await venue.fills(symbol: Self.btc, since: 0)
            #expect(fills.count == 1)
            #expect(fills.first?.clientOrderID == order.clientOrderID && fills.first?.liquidity == .taker)
            #expect(fills.first?.fee == FixedPoint("0.0001")! && fills.first?.feeAsset == "BTC")
            let balances = try await venue.balances()
            #expect(balances["USDT"]?.free == FixedPoint("989.998")! && balances["BTC"]?.free == FixedPoint("0.0999")!)
            // Two days back: Binance answers 24 hours at a time, so the trade is found in the second window.
            let before = fake.requests.count
            let twoDays = Int64(Date().timeIntervalSince1970 * 1_000) - 2 * 86_400_000
            #expect(try await venue.fills(symbol: Self.btc, since: twoDays).map(\.tradeID) == fills.map(\.tradeID))
            let windows = fake.requests.dropFirst(before).filter {
                $0.path == "/api/v3/myTrades" && $0.query.contains("endTime")
            }
            #expect(windows.count == 2 || windows.count == 3)
        }
    }

    @Test("a limit order rests, is listed open, fills as maker when the price crosses; cancelling it then is rejected")
    func restingLimit() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(2, .buy, .limit, price: "99.00")
            let placed = try await venue.submit(order)
            #expect(placed.status == .accepted && placed.price == FixedPoint("99")!)
            #expect(fake.balance("USDT")?.locked == "9.9")
            #expect(try await venue.openOrders(symbol: Self.btc).map(\.clientOrderID) == [order.clientOrderID])
            #expect(try await venue.openOrders(symbol: nil).map(\.clientOrderID) == [order.clientOrderID])
            fake.setPrices("BTCUSDT", bid: "98.90", ask: "98.95", last: "98.92")
            let filled = try #require(try await venue.order(order.clientOrderID, symbol: Self.btc))
            #expect(filled.status == .filled && filled.averageFillPrice == FixedPoint("99")!)
            #expect(try await venue.fills(symbol: Self.btc, since: 0).first?.liquidity == .maker)
            await #expect {
                _ = try await venue.cancel(order.clientOrderID, symbol: Self.btc)
            } throws: { error in
                guard case .rejected(let why) = error as? ExecutionError else { return false }
                return why.contains("-2011")
            }
            #expect(try await venue.order(ClientOrderID(botID: "bn", sequence: 99), symbol: Self.btc) == nil)
        }
    }

    @Test("cancel answers with the order cancelled under its own id, and the funds come back")
    func cancel() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(3, .buy, .limit, price: "90.00")
            _ = try await venue.submit(order)
            let cancelled = try await venue.cancel(order.clientOrderID, symbol: Self.btc)
            #expect(cancelled.status == .cancelled && cancelled.clientOrderID == order.clientOrderID)
            #expect(fake.balance("USDT")?.free == "1000" && fake.balance("USDT")?.locked == "0")
            #expect(try await venue.openOrders(symbol: Self.btc).isEmpty)
        }
    }

    @Test("a repeated submit of a client id answers with the order the venue has: never a second one")
    func idempotentSubmit() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(4, .buy, .limit, price: "95.00")
            let first = try await venue.submit(order)
            let again = try await venue.submit(order)
            #expect(again.venueOrderID == first.venueOrderID && again.status == .accepted)
            #expect(fake.orders(clientID: order.clientOrderID.rawValue) == 1)
        }
    }

    @Test("an answer lost after the venue took the order is an unknown outcome; the query finds the one order")
    func timeoutAfterAccepting() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake, timeout: 1)
            let order = try Self.order(5)
            fake.inject(.slow(milliseconds: 2_500), path: "/api/v3/order")
            // The impatient client first measures the venue's clock; on a loaded machine that request alone
            // can outlast its one second, which is retryable and sends no order: then it is tried again.
            var outcome: ExecutionError?
            for _ in 0..<5 {
                do {
                    _ = try await venue.submit(order)
                } catch ExecutionError.retryable(let why) where why.contains("/api/v3/time") {
                    continue
                } catch {
                    outcome = error as? ExecutionError
                }
                break
            }
            guard case .unknownOutcome? = outcome else {
                Issue.record("expected an unknown outcome, got \(String(describing: outcome))")
                return
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while fake.orderCount == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            let found = try #require(try await Self.execution(url, fake).order(order.clientOrderID, symbol: Self.btc))
            #expect(found.status == .filled)
            #expect(fake.orders(clientID: order.clientOrderID.rawValue) == 1)
        }
    }

    @Test(
        "filters and balance refusals carry Binance's reason; a 5xx on an order is an unknown outcome; a 429 places nothing"
    )
    func refusals() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let cases: [(Order, String)] = [
                (try Self.order(10, quantity: "0.000001"), "Filter failure: LOT_SIZE"),
                (try Self.order(11, .buy, .limit, quantity: "0.1", price: "99.001"), "Filter failure: PRICE_FILTER"),
                (try Self.order(12, quantity: "0.00001"), "Filter failure: NOTIONAL"),
                (try Self.order(13, quantity: "20"), "insufficient balance"),
                (try Self.order(14, .sell, quantity: "0.1"), "insufficient balance"),
                (
                    try Self.order(15, .buy, .limit, price: "101.00", timeInForce: .postOnly),
                    "immediately match and take"
                ),
            ]
            for (order, reason) in cases {
                await #expect {
                    _ = try await venue.submit(order)
                } throws: { error in
                    guard case .rejected(let why) = error as? ExecutionError else { return false }
                    return why.contains(reason)
                }
            }
            #expect(fake.orderCount == 0)
            fake.inject(.serverError, path: "/api/v3/order")
            await #expect {
                _ = try await venue.submit(try Self.order(16))
            } throws: { error in
                guard case .unknownOutcome = error as? ExecutionError else { return false }
                return true
            }
            fake.inject(.tooManyRequests(retryAfterSeconds: 1), path: "/api/v3/order")
            await #expect {
                _ = try await venue.submit(try Self.order(17))
            } throws: { error in
                guard case .rateLimited = error as? ExecutionError else { return false }
                return true
            }
            #expect(fake.orderCount == 0)
        }
    }

    @Test("the update stream reports a resting order's fill and its final state")
    func updates() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(20, .buy, .limit, price: "99.50")
            _ = try await venue.submit(order)
            let seen = UpdateLog()
            let reader = Task {
                for await update in venue.updates() { seen.updates.withLock { $0.append(update) } }
            }
            fake.setPrices("BTCUSDT", bid: "99.40", ask: "99.45", last: "99.42")
            func found() -> (Fill?, VenueOrder?) {
                seen.updates.withLock { updates in
                    var fill: Fill?
                    var final: VenueOrder?
                    for update in updates {
                        switch update {
                        case .fill(let got): fill = got
                        case .order(let got) where got.status == .filled: final = got
                        default: break
                        }
                    }
                    return (fill, final)
                }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, found().0 == nil || found().1 == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            reader.cancel()
            let (fill, final) = found()
            #expect(fill?.clientOrderID == order.clientOrderID && fill?.price == FixedPoint("99.5")!)
            #expect(final?.clientOrderID == order.clientOrderID)
        }
    }
}

/// What an update stream delivered, shared with the test.
final class UpdateLog: Sendable {
    let updates = Mutex<[ExecutionUpdate]>([])
}
