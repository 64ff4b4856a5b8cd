import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Bot latency probe")
struct BotLatencyProbeTests {
    static let script: [Int: Signal.Action] = [3: .enterLong, 10: .exitLong, 12: .enterLong]
    static let risk = RiskSettings(stopLossPct: 3, takeProfitPct: 20)

    @Test("the probe reports one decision per candle and one sample per order handed to the venue")
    func samplesPerCandleAndOrder() async throws {
        let harness = BotHarness(candles: BotRunnerTests.path, script: Self.script, risk: Self.risk)
        try await harness.register()
        let probe = RecordingLatencyProbe()
        let (runner, _, _) = try await harness.makeRunner(probe: probe)
        _ = try await runner.run()

        // Warm-up candles are history, not market events: every candle after them is one decision.
        let decisions = probe.samples(.decision)
        #expect(decisions.count == BotRunnerTests.path.count - harness.lookback)
        #expect(decisions.allSatisfy { $0.clientOrderID == nil && $0.nanoseconds >= 0 && $0.orderInEvent == 0 })

        // Entries, the protective orders placed after their fills and the exit: each sent once.
        let sent = probe.samples(.orderSent)
        let sentIDs = sent.map { $0.clientOrderID }
        // Numbered within their market event: an entry, then the protective orders its fill causes.
        #expect(sent.allSatisfy { $0.orderInEvent >= 1 })
        #expect(sent.contains { $0.orderInEvent == 2 })
        let stored = await harness.orders.allOrders().map(\.clientOrderID)
        #expect(stored.count >= 4)
        #expect(sentIDs.count == stored.count)
        #expect(Set(sentIDs.compactMap { $0 }) == Set(stored))
        let announced = harness.activity.all.compactMap { event -> ClientOrderID? in
            if case .orderSent(let order) = event { return order.clientOrderID }
            return nil
        }
        #expect(sentIDs.compactMap { $0 } == announced)
    }

    @Test("a bot with a probe trades exactly like one without")
    func probeChangesNothing() async throws {
        let plain = BotHarness(candles: BotRunnerTests.path, script: Self.script, risk: Self.risk)
        try await plain.register()
        let (plainRunner, plainPaper, _) = try await plain.makeRunner()
        _ = try await plainRunner.run()

        let probed = BotHarness(candles: BotRunnerTests.path, script: Self.script, risk: Self.risk)
        try await probed.register()
        let (probedRunner, probedPaper, _) = try await probed.makeRunner(probe: RecordingLatencyProbe())
        _ = try await probedRunner.run()

        let expected = try await plain.outcome(paper: plainPaper, runner: plainRunner)
        let measured = try await probed.outcome(paper: probedPaper, runner: probedRunner)
        #expect(measured == expected)
        let plainJournal = try await plain.journal.entries(bot: BotHarness.botID)
        let probedJournal = try await probed.journal.entries(bot: BotHarness.botID)
        #expect(probedJournal == plainJournal)
    }
}
