import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

@Suite("Bot runner")
struct BotRunnerTests {
    /// 24 hourly candles: up from 100 to 111, then down to 96.
    static let path = TestCandles.closes(
        [
            "100", "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "110", "108",
            "106", "104", "102", "100", "99", "98", "97", "96", "96",
        ])

    @Test("a replayed paper bot enters and exits through the paper exchange")
    func roundTrip() async throws {
        let harness = BotHarness(candles: Self.path, script: [3: .enterLong, 10: .exitLong])
        try await harness.register()
        let (runner, paper, _) = try await harness.makeRunner()
        let exit = try await runner.run()
        #expect(exit == .marketFinished)
        let outcome = try await harness.outcome(paper: paper, runner: runner)
        #expect(outcome.orders.count == 2)
        #expect(outcome.orders.allSatisfy { $0.contains(" filled filled ") })
        #expect(outcome.positions.allSatisfy { $0.isFlat })
        let btc = outcome.balances["BTC"]
        #expect(btc == nil || btc?.free == .zero)
        let stored = try await harness.bots.bot(BotHarness.botID)
        #expect(stored?.lifecycle == .stopped)
        let usdt = outcome.balances["USDT"]
        #expect(usdt?.free == outcome.cash)
    }

    @Test("a crash at any journal write leaves orders, fills and balances equal to an uninterrupted run")
    func crashAtEveryWrite() async throws {
        let script: [Int: Signal.Action] = [3: .enterLong, 10: .exitLong, 12: .enterLong]
        let risk = RiskSettings(stopLossPct: 3, takeProfitPct: 20)
        let reference = BotHarness(candles: Self.path, script: script, risk: risk)
        try await reference.register()
        let (runner, paper, _) = try await reference.makeRunner()
        _ = try await runner.run()
        let expected = try await reference.outcome(paper: paper, runner: runner)
        #expect(expected.orders.count >= 4)
        let writes = try await reference.journal.entries(bot: BotHarness.botID).count

        var crashPoints = 0
        for crashAt in 0..<writes {
            let harness = BotHarness(candles: Self.path, script: script, risk: risk)
            try await harness.register()
            var failAfter: Int? = crashAt
            var result: BotHarness.Outcome?
            var crashes = 0
            for _ in 0..<5 {
                let (runner, paper, journal) = try await harness.makeRunner(failAfter: failAfter)
                do {
                    _ = try await runner.run()
                    result = try await harness.outcome(paper: paper, runner: runner)
                    break
                } catch {
                    #expect(journal.crashed, "crash \(crashAt): \(error)")
                    crashes += 1
                    failAfter = nil
                }
            }
            #expect(result == expected, "crash after \(crashAt) journal writes")
            // Past the last write the run no longer crashes: every write has been a crash point.
            if crashes == 0 { break }
            crashPoints += 1
        }
        #expect(crashPoints > 20)
    }
}

@Suite("Bot supervisor")
struct BotSupervisorTests {
    @Test("a strategy that throws crashes its bot; the supervisor restarts it and the stop-loss still fires")
    func crashedStrategyRestarts() async throws {
        let harness = BotHarness(
            candles: BotRunnerTests.path, script: [3: .enterLong], failingBar: 6, risk: RiskSettings(stopLossPct: 3))
        try await harness.register()
        let crashes = ActivityLog()
        let supervisor = BotSupervisor(
            bots: harness.bots, clock: MarketClock(), sleeper: RecordingSleeper(),
            policy: BotSupervisor.Policy(initialBackoff: 10, maxBackoff: 40),
            observe: { _, event in crashes.append(event) }
        ) { _ in try await harness.makeRunner().0 }
        await supervisor.start(BotHarness.botID)
        let exit = await supervisor.wait(for: BotHarness.botID)
        #expect(exit == .marketFinished)
        let record = try await harness.bots.bot(BotHarness.botID)
        #expect(record?.restartCount == 1)
        let reasons = crashes.all.compactMap { event -> String? in
            if case .lifecycle(.crashed, let reason) = event { return reason }
            return nil
        }
        #expect(reasons.count == 1)
        #expect(reasons.first?.contains("scripted failure at bar 6") == true)
        #expect(record?.lifecycle == .stopped)
        let orders = await harness.orders.allOrders()
        let stop = orders.first { $0.type == .stopMarket }
        #expect(stop?.status == .filled)
        let positions = try await harness.bots.positions(bot: BotHarness.botID)
        #expect(positions.isEmpty)
    }

    @Test("shutdown waits for a runner still being built, and afterwards no bot starts")
    func shutdownWaitsForStartingBot() async throws {
        let harness = BotHarness(candles: BotRunnerTests.path, script: [:])
        try await harness.register()
        let order = Mutex<[String]>([])
        let (release, released) = AsyncStream<Void>.makeStream()
        let supervisor = BotSupervisor(bots: harness.bots, clock: MarketClock(), sleeper: RecordingSleeper()) { _ in
            order.withLock { $0.append("building") }
            for await _ in release { break }
            let runner = try await harness.makeRunner().0
            order.withLock { $0.append("built") }
            return runner
        }
        #expect(await supervisor.start(BotHarness.botID))
        while order.withLock({ $0.isEmpty }) { await Task.yield() }
        #expect(await supervisor.activeBotIDs == [BotHarness.botID])
        let stopping = Task {
            await supervisor.shutdown()
            order.withLock { $0.append("shut down") }
        }
        try await Task.sleep(for: .milliseconds(100))
        released.yield()
        await stopping.value
        #expect(order.withLock { $0 } == ["building", "built", "shut down"])
        #expect(await supervisor.isShutDown)
        #expect(await supervisor.start(BotHarness.botID) == false)
        #expect(await supervisor.activeBotIDs.isEmpty)
        #expect(await supervisor.runner(for: BotHarness.botID) == nil)
    }

    struct Unlisted: PermanentBotError, CustomStringConvertible {
        var description: String { "the venue does not list the symbol" }
    }

    @Test("a start that fails for good is not retried; a passing failure is, with back-off")
    func permanentFailureNotRestarted() async throws {
        let harness = BotHarness(candles: BotRunnerTests.path, script: [:])
        try await harness.register()
        let attempts = Mutex(0)
        let permanent = BotSupervisor(bots: harness.bots, clock: MarketClock(), sleeper: RecordingSleeper()) { _ in
            attempts.withLock { $0 += 1 }
            throw Unlisted()
        }
        #expect(await permanent.start(BotHarness.botID))
        #expect(await permanent.wait(for: BotHarness.botID) == nil)
        #expect(attempts.withLock { $0 } == 1)
        let record = try await harness.bots.bot(BotHarness.botID)
        #expect(record?.lifecycle == .crashed && record?.lastError == "the venue does not list the symbol")

        let sleeper = RecordingSleeper()
        let passing = BotSupervisor(
            bots: harness.bots, clock: MarketClock(), sleeper: sleeper,
            policy: BotSupervisor.Policy(maxConsecutiveCrashes: 3)
        ) { _ in
            attempts.withLock { $0 += 1 }
            throw ExecutionError.retryable("binance: BTCUSDT is not trading (status BREAK)")
        }
        #expect(await passing.start(BotHarness.botID))
        #expect(await passing.wait(for: BotHarness.botID) == nil)
        #expect(attempts.withLock { $0 } == 4)
    }

    @Test("capped exponential back-off")
    func backoff() {
        let policy = BotSupervisor.Policy(initialBackoff: 1_000, maxBackoff: 60_000)
        #expect(
            (1...8).map { policy.backoff(afterCrashes: $0) } == [
                1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
            ])
    }

    @Test("after a restart, a venue holding less than the bot's position is reported as an error")
    func holdingsShortfall() async throws {
        let harness = BotHarness(candles: BotRunnerTests.path, script: [3: .enterLong])
        try await harness.register()
        let (runner, _, _) = try await harness.makeRunner()
        _ = try await runner.run()
        let position = try #require(await runner.positions.first { !$0.isFlat })
        #expect(Self.errors(harness).isEmpty, "the venue and the books agree after a clean run")

        // Someone sells the BTC at the venue while the bot is down.
        let (again, paper, _) = try await harness.makeRunner()
        var state = await paper.snapshot()
        let usdt = state.ledger.balance("USDT").total
        state.ledger = PortfolioLedger(balances: ["USDT": usdt])
        await paper.restore(state)
        _ = try await again.run()
        let errors = Self.errors(harness)
        #expect(errors.count == 1, "\(errors)")
        #expect(
            errors.first
                == "the venue holds 0 BTC, less than the bot's BTC/USDT position of \(position.quantity): traded or withdrawn outside the bot?"
        )
    }

    static func errors(_ harness: BotHarness) -> [String] {
        harness.activity.all.compactMap { event in
            if case .error(let message) = event { return message } else { return nil }
        }
    }

    @Test("pause stops new entries and is still in force after a restart")
    func commands() async throws {
        let harness = BotHarness(candles: BotRunnerTests.path, script: [3: .enterLong, 10: .exitLong, 12: .enterLong])
        try await harness.register()
        let (runner, _, _) = try await harness.makeRunner()
        runner.send(.pause)
        _ = try await runner.run()
        let paused = await harness.orders.allOrders()
        #expect(paused.isEmpty)
        let skips = harness.activity.all.compactMap { event -> String? in
            if case .skipped(_, let reason, _) = event { return reason }
            return nil
        }
        #expect(skips.contains("entry skipped: the bot is paused"))
        // The pause is in the journal: a rebuilt bot is still paused.
        let (again, _, _) = try await harness.makeRunner()
        let status = await again.status()
        #expect(status.lifecycle == .starting)
        _ = try await again.run()
        #expect(await again.status().paused)
    }
}
