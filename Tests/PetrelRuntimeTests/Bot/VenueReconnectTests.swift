import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// A bot on a venue that pushes its own order updates (a live venue's user-data stream): when that
/// stream drops, the bot resubscribes and reconciles, and later fills still reach it.
@Suite("Bot runner: a venue's order-update stream that drops")
struct VenueReconnectTests {
    static let botID = "bot1"

    /// Waits until `condition` holds, checking every millisecond for up to 30 s (a safety net for a
    /// loaded machine, not a timing test).
    static func eventually(_ what: String, _ condition: () async -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("never happened: \(what)")
    }

    @Test("the bot resubscribes and reconciles after the stream ends, and the exit's fill still arrives")
    func resubscribesAfterDrop() async throws {
        let clock = TestClock(PaperFixtures.start)
        let paper = await PaperFixtures.exchange(clock: clock)
        let candles = (0..<4).map { index in
            TestCandles.candle("100", "100.5", "99.5", "100", at: PaperFixtures.start + Int64(index) * 3_600_000)
        }
        let market = FakeMarketDataClient(venue: "venue", archive: Array(candles.prefix(2)))
        let service = MarketDataService(clients: [market], clock: clock, sleeper: RecordingSleeper())
        let orders = InMemoryOrderStore()
        let activity = ActivityLog()
        let environment = BotEnvironment(
            botID: Self.botID, mode: .paper, brokerType: "paper",
            makeKernel: {
                try TradingKernel(
                    configuration: KernelConfiguration(
                        botID: Self.botID, sizing: .fixedAmount(decimal("1000")), initialCash: decimal("10000")),
                    instruments: [
                        KernelInstrument(
                            rules: PaperFixtures.rules, strategy: ScriptedStrategy([2: .enterLong, 3: .exitLong]))
                    ])
            },
            execution: paper, quoteVenue: nil, candleQuoteSpread: decimal("0.0001"), orderStore: orders,
            journal: InMemoryBotJournal(), bots: InMemoryBotRepository(), equity: InMemoryEquityStore(),
            marketData: service, feed: CandleFeedKey(venue: "venue", symbol: PaperFixtures.btc, timeframe: .h1),
            lookback: 2, clock: clock, marketClock: nil, sleeper: RecordingSleeper(),
            orderConfiguration: OrderManagerConfiguration(visibilityWindow: 0, resubmitWithin: 7_200_000),
            timerInterval: 0, observe: { event in activity.append(event) }, reconcileRetry: 10)
        let runner = try BotRunner(environment: environment)
        let run = Task { try await runner.run() }

        await MarketDataServiceTests.awaitStreams(market, 1)
        market.send(candles[2])
        await Self.eventually("the entry's fill reaches the bot") {
            await runner.positions.first.map { !$0.isFlat } ?? false
        }
        // The user-data stream drops (as a WebSocket does).
        await paper.dropUpdates()
        await Self.eventually("the bot notices and reconciles") {
            activity.all.contains { event in
                if case .notice(let message) = event { return message.hasPrefix("order updates stopped") }
                return false
            }
        }
        market.send(candles[3])
        // Only a resubscribed bot hears the exit's fill; without it the position would stay open.
        await Self.eventually("the exit's fill reaches the bot") {
            await runner.positions.first?.isFlat ?? false
        }
        let stored = await orders.allOrders()
        #expect(stored.map(\.status) == [.filled, .filled])
        #expect(await paper.allOrders.count == 2)
        runner.send(.stop)
        #expect(try await run.value == .stopped)
    }
}
