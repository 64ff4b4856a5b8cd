import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Paper exchange account, rules and idempotency")
struct PaperAccountTests {
    typealias F = PaperFixtures

    @Test("a cancel unlocks the whole reservation; a repeated cancel returns the same order")
    func cancelUnlocks() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        let order = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        _ = try await exchange.submit(order)
        #expect(try await balance(exchange, "USDT") == (d("9980.0602"), d("19.9398")))
        let cancelled = try await exchange.cancel(order.clientOrderID, symbol: F.btc)
        #expect(cancelled.status == .cancelled && cancelled.reason == "cancelled by the client")
        #expect(try await balance(exchange, "USDT") == (d("10000"), d("0")))
        #expect(try await exchange.cancel(order.clientOrderID, symbol: F.btc) == cancelled)
        #expect(try await balance(exchange, "USDT") == (d("10000"), d("0")))
    }

    @Test("cancelling a filled or unknown order is rejected")
    func cancelRefused() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        let filled = F.order(1, .buy, quantity: "0.2")
        _ = try await exchange.submit(filled)
        await #expect(throws: ExecutionError.rejected("order bot1x1 is already filled")) {
            _ = try await exchange.cancel(filled.clientOrderID, symbol: F.btc)
        }
        await #expect(throws: ExecutionError.rejected("unknown order bot1x9 for BTC/USDT")) {
            _ = try await exchange.cancel(F.order(9, .buy, quantity: "1").clientOrderID, symbol: F.btc)
        }
    }

    static let violations: [(Order, String)] = [
        (
            F.order(1, .buy, .limit, quantity: "0.2", price: "100.005"),
            "price 100.005 is not a multiple of the tick size 0.01"
        ),
        (
            F.order(1, .buy, .limit, quantity: "0.20005", price: "100"),
            "quantity 0.20005 is not a multiple of the step size 0.0001"
        ),
        (F.order(1, .buy, .limit, quantity: "0.099", price: "100"), "order value 9.9 is below the minimum notional 10"),
        (F.order(1, .buy, quantity: "0.05"), "order value 5.0025 is below the minimum notional 10"),
        (
            F.order(1, .sell, .stopMarket, quantity: "0.2", stop: "95.001"),
            "price 95.001 is not a multiple of the tick size 0.01"
        ),
        (
            try! Order(
                clientOrderID: ClientOrderID(botID: "bot1", sequence: 1), symbol: Symbol(parsing: "ETH/USDT"),
                side: .buy, type: .market, quantity: decimal("1"), createdAt: F.start),
            "ETH/USDT is not traded at the paper exchange"
        ),
        (F.order(1, .buy, .limit, quantity: "200", price: "100"), "insufficient USDT balance: needs 20040, 10000 free"),
        (F.order(1, .sell, .limit, quantity: "2", price: "100"), "insufficient BTC balance: needs 2, 1 free"),
    ]

    @Test(
        "an order that breaks an instrument rule or the balance is rejected with the rule's message and leaves nothing behind",
        arguments: violations)
    func rejected(order: Order, message: String) async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        await #expect(throws: ExecutionError.rejected(message)) { _ = try await exchange.submit(order) }
        #expect(try await exchange.order(order.clientOrderID, symbol: order.symbol) == nil)
        #expect(try await balance(exchange, "USDT") == (d("10000"), d("0")))
        #expect(try await balance(exchange, "BTC") == (d("1"), d("0")))
    }

    @Test("a market order before the first quote is rejected: there is no price")
    func marketWithoutQuote() async throws {
        let exchange = PaperExchange(configuration: F.configuration(), balances: F.balances, clock: TestClock(F.start))
        await #expect(throws: ExecutionError.rejected("no quote for BTC/USDT yet: a market order needs a price")) {
            _ = try await exchange.submit(F.order(1, .buy, quantity: "0.2"))
        }
    }

    @Test("a second submit with the same client id returns the existing order and locks nothing more")
    func idempotentSubmit() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        let resting = F.order(1, .buy, .limit, quantity: "0.2", price: "99.50")
        let first = try await exchange.submit(resting)
        let second = try await exchange.submit(resting)
        #expect(first == second && second.venueOrderID == "paper-1")
        #expect(try await balance(exchange, "USDT") == (d("9980.0602"), d("19.9398")))

        let market = F.order(2, .buy, quantity: "0.1")
        _ = try await exchange.submit(market)
        let again = try await exchange.submit(market)
        #expect(again.status == .filled && again.venueOrderID == "paper-2")
        #expect(await exchange.allOrders.count == 2)
        #expect(try await exchange.fills(symbol: F.btc, since: 0).count == 1)
        #expect(try await balance(exchange, "BTC") == (d("1.1"), d("0")))
    }

    @Test("a snapshot survives JSON and a restored exchange continues exactly like the original")
    func snapshotRoundTrip() async throws {
        let clock = TestClock(F.start)
        let original = await F.exchange(clock: clock, fillLimit: .quoteSize)
        _ = try await original.submit(F.order(1, .buy, quantity: "0.2"))
        _ = try await original.submit(F.order(2, .sell, .limit, quantity: "0.5", price: "101.00"))
        _ = try await original.submit(F.order(3, .buy, .limit, quantity: "0.2", price: "99.00"))
        await original.apply(F.quote(bid: "101.00", ask: "101.10", bidSize: "0.2", at: F.start + 1_000))

        let saved = await original.snapshot()
        let data = try JSONEncoder().encode(saved)
        let decoded = try JSONDecoder().decode(PaperExchangeState.self, from: data)
        #expect(decoded == saved)
        let restored = PaperExchange(
            configuration: F.configuration(fillLimit: .quoteSize), state: decoded, clock: clock)
        #expect(try await restored.balances() == original.balances())
        #expect(try await restored.openOrders(symbol: nil) == original.openOrders(symbol: nil))
        #expect(try await restored.fills(symbol: F.btc, since: 0) == original.fills(symbol: F.btc, since: 0))

        let next = F.quote(bid: "101.00", ask: "101.10", bidSize: "1", at: F.start + 2_000)
        let fromOriginal = await original.apply(next)
        let fromRestored = await restored.apply(next)
        #expect(fromRestored == fromOriginal)
        #expect(fills(in: fromRestored).map(\.tradeID) == ["paper-t3"])
        let later = try await restored.submit(F.order(4, .buy, .limit, quantity: "0.2", price: "98.00"))
        #expect(later.venueOrderID == "paper-4")
        #expect(await restored.snapshot().orderSequence == 4)
    }
}
