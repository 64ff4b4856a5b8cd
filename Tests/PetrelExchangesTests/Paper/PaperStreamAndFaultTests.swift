import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Paper exchange update stream and fault injection")
struct PaperStreamAndFaultTests {
    typealias F = PaperFixtures

    @Test("the update stream carries the acceptance, each fill, then the order's new state; dropping it ends it")
    func updateStream() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        let stream = exchange.updates()
        let order = F.order(1, .buy, quantity: "0.2")
        _ = try await exchange.submit(order)
        let updates = await firstElements(3, of: stream)
        #expect(updates.count == 3)
        guard updates.count == 3, case .order(let accepted) = updates[0], case .fill(let fill) = updates[1],
            case .order(let filled) = updates[2]
        else { return }
        #expect(accepted.status == .accepted && accepted.clientOrderID == order.clientOrderID)
        #expect(fill.clientOrderID == order.clientOrderID && fill.quantity == d("0.2"))
        #expect(filled.status == .filled && filled.filledQuantity == d("0.2"))

        await exchange.dropUpdates()
        _ = try await exchange.submit(F.order(2, .buy, quantity: "0.2"))
        #expect(await firstElements(1, of: stream).isEmpty)
    }

    @Test("a timeout after accept throws unknownOutcome while the order exists; one before throws and leaves none")
    func submitFaults() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        await exchange.inject(.timeoutAfterAccept, on: .submit)
        await exchange.inject(.retryableBeforeAccept, on: .submit)
        let accepted = F.order(1, .buy, quantity: "0.2")
        await #expect(
            throws: ExecutionError.unknownOutcome("timed out waiting for the answer (the order was accepted)")
        ) {
            _ = try await exchange.submit(accepted)
        }
        #expect(try await exchange.order(accepted.clientOrderID, symbol: F.btc)?.status == .filled)

        let refused = F.order(2, .buy, quantity: "0.2")
        await #expect(throws: ExecutionError.retryable("503 service unavailable")) {
            _ = try await exchange.submit(refused)
        }
        #expect(try await exchange.order(refused.clientOrderID, symbol: F.btc) == nil)
        // Faults are used once: the retry goes through.
        #expect(try await exchange.submit(refused).status == .filled)
        #expect(await exchange.allOrders.count == 2)
    }

    @Test("faults on queries fail exactly the next call of that kind")
    func queryFaults() async throws {
        let exchange = await F.exchange(clock: TestClock(F.start))
        await exchange.inject(.rateLimited(1_000), on: .openOrders)
        await #expect(throws: ExecutionError.rateLimited(retryAfterMilliseconds: 1_000, "429 too many requests")) {
            _ = try await exchange.openOrders(symbol: nil)
        }
        #expect(try await exchange.openOrders(symbol: nil).isEmpty)
        #expect(try await exchange.balances()["USDT"]?.free == d("10000"))
    }
}
