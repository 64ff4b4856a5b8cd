import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Fills computed by hand: fixture fees maker 0.1 %, taker 0.2 %, slippage 0.1 %, tick 0.01.
@Suite("Paper exchange matching")
struct PaperMatchingTests {
    typealias F = PaperFixtures

    @Test("a market buy fills at the slipped ask rounded up to the tick, a market sell at the slipped bid rounded down")
    func marketOrders() async throws {
        let clock = TestClock(F.start)
        let exchange = await F.exchange(clock: clock)
        await exchange.apply(F.quote(bid: "100.03", ask: "100.08"))

        // 100.08 × 1.001 = 100.18008 → 100.19; 100.19 × 0.3333 = 33.393327; fee 0.066786654 → 0.06678666.
        let buy = try await exchange.submit(F.order(1, .buy, quantity: "0.3333"))
        #expect(buy.status == .filled)
        #expect(buy.averageFillPrice == d("100.19"))
        let buyFill = try #require(try await exchange.fills(symbol: F.btc, since: 0).last)
        #expect(buyFill.price == d("100.19") && buyFill.quantity == d("0.3333"))
        #expect(buyFill.fee == d("0.06678666") && buyFill.feeAsset == "USDT" && buyFill.liquidity == .taker)
        #expect(try await balance(exchange, "USDT") == (d("9966.53988634"), d("0")))
        #expect(try await balance(exchange, "BTC") == (d("1.3333"), d("0")))

        // 100.03 × 0.999 = 99.92997 → 99.92; 99.92 × 0.25 = 24.98; fee 0.04996.
        let sell = try await exchange.submit(F.order(2, .sell, quantity: "0.25"))
        #expect(sell.status == .filled && sell.averageFillPrice == d("99.92"))
        let sellFill = try #require(try await exchange.fills(symbol: F.btc, since: 0).last)
        #expect(sellFill.fee == d("0.04996"))
        #expect(try await balance(exchange, "USDT") == (d("9991.46992634"), d("0")))
        #expect(try await balance(exchange, "BTC") == (d("1.0833"), d("0")))
    }

    @Test("a resting limit buy locks its cost, waits until the ask crosses it and fills at the limit as maker")
    func restingLimit() async throws {
        let clock = TestClock(F.start)
        let exchange = await F.exchange(clock: clock)
        let placed = try await exchange.submit(F.order(1, .buy, .limit, quantity: "0.2", price: "99.50"))
        #expect(placed.status == .accepted && placed.venueOrderID == "paper-1")
        // 99.50 × 0.2 = 19.9 plus the higher fee rate: 0.0398.
        #expect(try await balance(exchange, "USDT") == (d("9980.0602"), d("19.9398")))

        let above = await exchange.apply(F.quote(bid: "99.60", ask: "99.70", at: F.start + 1_000))
        #expect(above.isEmpty)

        let crossed = await exchange.apply(F.quote(bid: "99.40", ask: "99.45", at: F.start + 2_000))
        let fill = try #require(fills(in: crossed).first)
        #expect(fill.price == d("99.50") && fill.quantity == d("0.2") && fill.liquidity == .maker)
        #expect(fill.fee == d("0.0199") && fill.timestamp == F.start + 2_000)
        #expect(orderUpdates(in: crossed).map(\.status) == [.filled])
        // The unused fee reserve (0.0199) returns to free.
        #expect(try await balance(exchange, "USDT") == (d("9980.0801"), d("0")))
        #expect(try await balance(exchange, "BTC") == (d("1.2"), d("0")))
        #expect(try await exchange.openOrders(symbol: nil).isEmpty)
    }

    @Test("a limit that crosses on arrival takes the touch price with the taker fee and unlocks the rest")
    func marketableLimit() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        let order = try await exchange.submit(F.order(1, .buy, .limit, quantity: "0.1", price: "100.10"))
        #expect(order.status == .filled && order.averageFillPrice == d("100.05"))
        let fill = try #require(try await exchange.fills(symbol: F.btc, since: 0).first)
        #expect(fill.liquidity == .taker && fill.fee == d("0.02001"))
        // Locked 10.03002, spent 10.02501.
        #expect(try await balance(exchange, "USDT") == (d("9989.97499"), d("0")))
    }

    @Test("a sell stop triggers on the last price and fills at the slipped bid rounded down")
    func sellStop() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        _ = try await exchange.submit(F.order(1, .sell, .stopMarket, quantity: "0.5", stop: "95.00"))
        #expect(try await balance(exchange, "BTC") == (d("0.5"), d("0.5")))
        #expect(await exchange.apply(F.quote(bid: "95.50", ask: "95.60", last: "95.10")).isEmpty)

        let triggered = await exchange.apply(F.quote(bid: "94.50", ask: "94.60", last: "94.90"))
        // 94.50 × 0.999 = 94.4055 → 94.40; 47.2 USDT, fee 0.0944.
        let fill = try #require(fills(in: triggered).first)
        #expect(fill.price == d("94.40") && fill.quantity == d("0.5") && fill.liquidity == .taker)
        #expect(fill.fee == d("0.0944"))
        #expect(try await balance(exchange, "BTC") == (d("0.5"), d("0")))
        #expect(try await balance(exchange, "USDT") == (d("10047.1056"), d("0")))
    }

    @Test(
        "a stop watches the last price by default and the touch when configured",
        arguments: [(PaperStopTrigger.last, false), (PaperStopTrigger.bidAsk, true)])
    func stopTriggerSource(trigger: PaperStopTrigger, fires: Bool) async throws {
        let exchange = await F.exchange(clock: TestClock(F.start), stopTrigger: trigger)
        _ = try await exchange.submit(F.order(1, .sell, .stopMarket, quantity: "0.5", stop: "95.00"))
        // The bid is through the stop, the last trade is not.
        let updates = await exchange.apply(F.quote(bid: "94.90", ask: "95.00", last: "95.20"))
        #expect(fills(in: updates).map(\.price) == (fires ? [d("94.80")] : []))
    }

    @Test("a buy stop-limit triggers, then fills at the touch when the touch is within its limit")
    func buyStopLimit() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        _ = try await exchange.submit(
            F.order(1, .buy, .stopLimit, quantity: "0.1", price: "101.20", stop: "101.00"))
        // 101.20 × 0.1 = 10.12 + 0.02024.
        #expect(try await balance(exchange, "USDT") == (d("9989.85976"), d("10.14024")))
        let updates = await exchange.apply(F.quote(bid: "101.00", ask: "101.10", last: "101.05"))
        let fill = try #require(fills(in: updates).first)
        #expect(fill.price == d("101.10") && fill.fee == d("0.02022") && fill.liquidity == .taker)
        #expect(try await balance(exchange, "USDT") == (d("9989.86978"), d("0")))
    }

    @Test("quote sizes fill a resting order in parts; a cancel then unlocks only the unfilled rest")
    func partialFills() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start), fillLimit: .quoteSize)
        let id = F.order(1, .sell, .limit, quantity: "1", price: "101.00").clientOrderID
        _ = try await exchange.submit(F.order(1, .sell, .limit, quantity: "1", price: "101.00"))
        #expect(try await balance(exchange, "BTC") == (d("0"), d("1")))

        let first = await exchange.apply(F.quote(bid: "101.10", ask: "101.20", bidSize: "0.3"))
        #expect(fills(in: first).map(\.quantity) == [d("0.3")])
        #expect(fills(in: first).map(\.fee) == [d("0.0303")])
        #expect(orderUpdates(in: first).map(\.status) == [.partiallyFilled])
        #expect(try await balance(exchange, "BTC") == (d("0"), d("0.7")))
        #expect(try await balance(exchange, "USDT") == (d("10030.2697"), d("0")))

        let second = await exchange.apply(F.quote(bid: "101.05", ask: "101.20", bidSize: "0.5"))
        #expect(fills(in: second).map(\.quantity) == [d("0.5")])
        #expect(try await balance(exchange, "USDT") == (d("10080.7192"), d("0")))

        let cancelled = try await exchange.cancel(id, symbol: F.btc)
        #expect(cancelled.status == .cancelled && cancelled.filledQuantity == d("0.8"))
        #expect(try await balance(exchange, "BTC") == (d("0.2"), d("0")))
    }

    @Test("one quote's size is shared by the orders in arrival order")
    func sharedLiquidity() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start), fillLimit: .maxQuantity(d("0.1")))
        let a = try await exchange.submit(F.order(1, .buy, quantity: "0.25"))
        let b = try await exchange.submit(F.order(2, .buy, quantity: "0.15"))
        #expect(a.filledQuantity == d("0.1") && b.filledQuantity == d("0.1"))
        var sequence: [(ClientOrderID, Quantity)] = []
        for second in 1...3 {
            let updates = await exchange.apply(F.quote(bid: "100.00", ask: "100.05", at: F.start + Int64(second)))
            sequence += fills(in: updates).map { ($0.clientOrderID, $0.quantity) }
        }
        #expect(sequence.map(\.0) == [a.clientOrderID, a.clientOrderID, b.clientOrderID])
        #expect(sequence.map(\.1) == [d("0.1"), d("0.05"), d("0.05")])
        #expect(try await exchange.openOrders(symbol: F.btc).isEmpty)
        #expect(try await exchange.fills(symbol: F.btc, since: 0).allSatisfy { $0.price == d("100.16") })
    }
}
