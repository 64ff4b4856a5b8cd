import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelRuntime
import PetrelTestSupport
import Synchronization

/// A journal that fails once after a number of successful appends: a process that dies at that
/// write. Everything written before it stays (the stores are the durable part).
final class CrashingJournal: BotJournal {
    let inner: InMemoryBotJournal
    let remaining: Mutex<Int?>

    init(inner: InMemoryBotJournal, failAfter appends: Int?) {
        self.inner = inner
        self.remaining = Mutex(appends)
    }

    var crashed: Bool { remaining.withLock { $0 == -1 } }

    func append(_ entries: [BotJournalEntry], bot: String, expectedCount: Int) async throws(StorageError) {
        let fail = remaining.withLock { left -> Bool in
            guard let count = left else { return false }
            if count <= 0 {
                left = -1
                return true
            }
            left = count - 1
            return false
        }
        if fail { throw .storage("simulated crash") }
        try await inner.append(entries, bot: bot, expectedCount: expectedCount)
    }

    func entries(bot: String) async throws(StorageError) -> [BotJournalEntry] { try await inner.entries(bot: bot) }
    func count(bot: String) async throws(StorageError) -> Int { try await inner.count(bot: bot) }
    func lastCandleTime(bot: String) async throws(StorageError) -> Int64? {
        try await inner.lastCandleTime(bot: bot)
    }
    func reset(bot: String) async throws(StorageError) { try await inner.reset(bot: bot) }
}

/// Collects a bot's activity.
final class ActivityLog: Sendable {
    let events = Mutex<[BotActivity]>([])

    func append(_ event: BotActivity) { events.withLock { $0.append(event) } }

    var all: [BotActivity] { events.withLock { $0 } }
}

/// A replayed paper bot on BTC/USDT 1h candles with durable in-memory stores, rebuilt for every
/// (re)start the way the CLI builds it.
struct BotHarness {
    static let botID = "bot1"
    let candles: [Candle]
    let script: [Int: Signal.Action]
    let failingBar: Int?
    let risk: RiskSettings
    let lookback: Int
    let orders = InMemoryOrderStore()
    let journal = InMemoryBotJournal()
    let bots = InMemoryBotRepository()
    let paperAccounts = InMemoryPaperAccountStore()
    let equity = InMemoryEquityStore()
    let activity = ActivityLog()

    init(
        candles: [Candle], script: [Int: Signal.Action], failingBar: Int? = nil, risk: RiskSettings = .none,
        lookback: Int = 2
    ) {
        self.candles = candles
        self.script = script
        self.failingBar = failingBar
        self.risk = risk
        self.lookback = lookback
    }

    func register() async throws {
        try await bots.save(
            BotRecord(id: Self.botID, configuration: "{}", mode: .paper, createdAt: PaperFixtures.start))
    }

    /// Where a (re)started replay begins: after the journal's last candle, or after the warm-up.
    func replayStart() async throws -> Int {
        ReplayMarketDataClient.resumeIndex(
            in: candles, after: try await journal.lastCandleTime(bot: Self.botID), lookback: lookback)
    }

    /// Builds a runner as a fresh process would.
    /// - Parameters:
    ///   - failAfter: journal appends before the simulated crash (`nil`: none).
    ///   - probe: the runner's latency probe, if any.
    func makeRunner(failAfter: Int? = nil, probe: (any BotLatencyProbe)? = nil) async throws -> (
        BotRunner, PaperExchange, CrashingJournal
    ) {
        let start = try await replayStart()
        let clock = MarketClock(start > 0 ? candles[start - 1].timestamp + 3_600_000 : candles[0].timestamp)
        let paper = try await PaperExchange.open(
            configuration: PaperFixtures.configuration(), balances: ["USDT": decimal("10000")], store: paperAccounts,
            account: Self.botID, clock: clock)
        let replay = try ReplayMarketDataClient(
            venue: "replay", series: CandleSeries(symbol: PaperFixtures.btc, timeframe: .h1, candles: candles),
            start: start, sleeper: RecordingSleeper())
        let service = MarketDataService(clients: [replay], clock: clock, sleeper: RecordingSleeper())
        let crashing = CrashingJournal(inner: journal, failAfter: failAfter)
        let script = self.script
        let failingBar = self.failingBar
        let risk = self.risk
        let environment = BotEnvironment(
            botID: Self.botID, mode: .paper, brokerType: "paper",
            makeKernel: {
                try TradingKernel(
                    configuration: KernelConfiguration(
                        botID: Self.botID, risk: risk, sizing: .fixedAmount(decimal("1000")),
                        initialCash: decimal("10000")),
                    instruments: [
                        KernelInstrument(
                            rules: PaperFixtures.rules, strategy: ScriptedStrategy(script, failingBar: failingBar))
                    ])
            },
            execution: paper, quoteVenue: paper, candleQuoteSpread: decimal("0.0001"), orderStore: orders,
            journal: crashing, bots: bots, equity: equity, marketData: service,
            feed: CandleFeedKey(venue: "replay", symbol: PaperFixtures.btc, timeframe: .h1), lookback: lookback,
            clock: clock, marketClock: clock, sleeper: RecordingSleeper(),
            orderConfiguration: OrderManagerConfiguration(visibilityWindow: 0, resubmitWithin: 7_200_000),
            timerInterval: 0, observe: { [activity] event in activity.append(event) }, latencyProbe: probe)
        return (try BotRunner(environment: environment), paper, crashing)
    }

    /// What must be equal between an uninterrupted run and one with crashes.
    struct Outcome: Equatable, CustomStringConvertible {
        var orders: [String]
        var fills: [Fill]
        var balances: [String: PortfolioLedger.Balance]
        var cash: Money
        var positions: [Position]

        var description: String {
            "orders \(orders), "
                + "fills \(fills.map { "\($0.tradeID) \($0.price)x\($0.quantity)" }), balances \(balances), cash \(cash), positions \(positions)"
        }
    }

    func outcome(paper: PaperExchange, runner: BotRunner) async throws -> Outcome {
        // Orders by what they did (a cancel repeated after a restart carries a later timestamp).
        Outcome(
            orders: await orders.allOrders().map { order in
                "\(order.clientOrderID) \(order.side.rawValue) \(order.type.rawValue) \(order.quantity) "
                    + "\(order.status.rawValue) filled \(order.filledQuantity) fees \(order.fees) venue \(order.venueOrderID ?? "-")"
            }, fills: await orders.allFills(), balances: try await paper.balances(),
            cash: await runner.cash, positions: await runner.positions)
    }
}
