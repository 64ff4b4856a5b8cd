import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Kernel fed by the order manager")
struct KernelOrderFeedTests {
    typealias F = PaperFixtures

    @Test(
        "a kernel entry sent through a timeout-after-accept ends as one venue order and the same position in both books"
    )
    func entryThroughTimeout() async throws {
        let h = try await OrderHarness.make()
        await h.exchange.inject(.timeoutAfterAccept, on: .submit)
        var kernel = try TradingKernel(
            configuration: KernelConfiguration(
                botID: "bot1", sizing: .fixedAmount(d("50")), costReserve: 0.001, initialCash: d("10000")),
            instruments: [KernelInstrument(rules: F.rules, strategy: ScriptedStrategy([0: .enterLong]))])
        var actions: [KernelAction] = []
        let candle = TestCandles.candle("100", "100.1", "99.9", "100", at: F.start)
        kernel.beginBar(timestamp: candle.timestamp, into: &actions)
        try kernel.handleCandle(candle, instrument: 0, into: &actions)
        kernel.endOfBar(timestamp: candle.timestamp, into: &actions)

        let others = try await KernelOrderFeed.perform(actions, kernel: &kernel, driver: h.driver, now: h.clock.now())
        #expect(others.count == 1)
        #expect(await h.exchange.allOrders.count == 1)
        // 0.5 BTC at the slipped ask 100.16: 50.08 USDT plus a 0.10016 fee.
        #expect(kernel.positions[0].quantity == d("0.5"))
        #expect(kernel.cash == d("9949.81984"))
        let venue = try await h.exchange.balances()
        #expect(venue["BTC"]?.free == d("1.5") && venue["USDT"]?.free == kernel.cash)
        #expect(kernel.openOrders.isEmpty)
    }

    @Test("an order refused while trading is blocked is closed in the kernel as rejected with the reason")
    func blockedOrderClosesInKernel() async throws {
        let h = try await OrderHarness.make(reconcile: false)
        var kernel = try TradingKernel(
            configuration: KernelConfiguration(botID: "bot1", sizing: .fixedAmount(d("50")), initialCash: d("10000")),
            instruments: [KernelInstrument(rules: F.rules, strategy: ScriptedStrategy([0: .enterLong]))])
        var actions: [KernelAction] = []
        let candle = TestCandles.candle("100", "100.1", "99.9", "100", at: F.start)
        try kernel.handleCandle(candle, instrument: 0, into: &actions)
        let others = try await KernelOrderFeed.perform(actions, kernel: &kernel, driver: h.driver, now: F.start)
        #expect(kernel.openOrders.isEmpty && kernel.positions[0].isFlat)
        let skipped = others.compactMap { action -> String? in
            if case .skipped(_, let reason, _) = action { return reason } else { return nil }
        }
        #expect(
            skipped == [
                "entry rejected: not sent: trading is blocked: not reconciled with the venue since start-up"
            ])
        #expect(await h.exchange.allOrders.isEmpty)
    }
}
