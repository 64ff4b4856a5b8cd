import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization

/// A portfolio bot over the real paper exchange, fed a hand-built price path: ETH/USD rises by
/// exactly 1 per 5-second step from 100 (mids 100, 101, 102, …) and BTC/USD stays at 200, both
/// quoted 0.01 either side of the mid. With a window of 4 the bot holds for steps 0–3 (warm-up)
/// and from step 4 on buying ETH passes the rule (E ≈ 0.98 %, σ ≈ 0.013 %, risk ≈ 0.013), while
/// every route that sells ETH or trades BTC alone loses the spread and is rejected.
struct RunnerHarness {
    static let start = TestCandles.newYear2024
    static let interval: Int64 = 5_000
    static let btcUSD = TestQuotes.symbol("BTC/USD")
    static let ethUSD = TestQuotes.symbol("ETH/USD")
    static let pairs = [
        TradingPairSetting(symbol: btcUSD, priority: 100), TradingPairSetting(symbol: ethUSD, priority: 90),
    ]
    static let rules = [
        try! InstrumentRules(symbol: btcUSD, tickSize: decimal("0.01"), stepSize: decimal("0.0001")),
        try! InstrumentRules(symbol: ethUSD, tickSize: decimal("0.01"), stepSize: decimal("0.001")),
    ]

    let clock: TestClock
    let exchange: PaperExchange
    let quotes: ScriptedQuoteClient
    let marketData: MarketDataService
    let orders: InMemoryOrderStore
    let history: RecordingTradeHistoryStore
    let snapshots: InMemoryPriceSnapshotStore
    let events: EventLog

    /// A fresh venue account and empty stores, the clock at step 0.
    /// - Parameters:
    ///   - balances: the paper account's free balances.
    ///   - takerFee: the paper exchange's taker fee (maker is half of it).
    ///   - fillLimit: how much one quote fills.
    static func make(
        balances: [String: String] = ["USD": "10000", "BTC": "1"], takerFee: String = "0",
        fillLimit: PaperFillLimit = .unlimited
    ) -> RunnerHarness {
        let clock = TestClock(start)
        let taker = decimal(takerFee)
        let configuration = PaperExchangeConfiguration(
            rules: rules, makerFeeRate: FixedPoint(rawValue: taker.rawValue / 2), takerFeeRate: taker,
            fillLimit: fillLimit)
        let exchange = PaperExchange(
            configuration: configuration, balances: balances.mapValues(decimal), clock: clock)
        let quotes = ScriptedQuoteClient()
        let marketData = MarketDataService(clients: [quotes], clock: clock, sleeper: RecordingSleeper())
        return RunnerHarness(
            clock: clock, exchange: exchange, quotes: quotes, marketData: marketData, orders: InMemoryOrderStore(),
            history: RecordingTradeHistoryStore(), snapshots: InMemoryPriceSnapshotStore(), events: EventLog())
    }

    /// Window 4, the seed's thresholds and TTL (3 s), 10 % per trade unless told otherwise.
    static func settings(size: TradeSize = .default, keep: Int = 100) throws -> PortfolioBotSettings {
        try PortfolioBotSettings(tradeSize: size, volatilityWindow: 4, historyKeep: keep, pairs: pairs)
    }

    /// A runner with a new order driver over this harness's stores and venue (a restarted process
    /// when called again).
    func runner(
        settings: PortfolioBotSettings? = nil, dryRun: Bool = false, lastOrderSequence: UInt64 = 0,
        sleeper: (any Sleeper)? = nil, orderWait: PortfolioBotRunner.OrderWait = .init()
    ) throws -> PortfolioBotRunner {
        let sleeper = sleeper ?? TestSleeper(clock: clock)
        let driver =
            dryRun
            ? nil : OrderDriver(client: exchange, store: orders, clock: clock, sleeper: TestSleeper(clock: clock))
        let events = self.events
        return try PortfolioBotRunner(
            botID: "pb1", settings: settings ?? Self.settings(), venue: quotes.venue, marketData: marketData,
            client: exchange, driver: driver, history: history, snapshots: snapshots, clock: clock, sleeper: sleeper,
            dryRun: dryRun, lastOrderSequence: lastOrderSequence, orderWait: orderWait,
            onEvent: { event in await events.append(event) })
    }

    /// The quotes of step `step`: ETH/USD mid 100 + step, BTC/USD mid 200, each ±0.01.
    static func quotes(step: Int) -> [Quote] {
        let at = start + Int64(step) * interval
        return [
            TestQuotes.quote("BTC/USD", mid: "200", halfSpread: "0.01", at: at),
            TestQuotes.quote("ETH/USD", mid: "\(100 + step)", halfSpread: "0.01", at: at),
        ]
    }

    /// Moves the clock to step `step` and publishes its quotes to the feed and the paper exchange.
    func publish(step: Int) async {
        clock.set(Self.start + Int64(step) * Self.interval)
        let stepQuotes = Self.quotes(step: step)
        quotes.set(stepQuotes)
        for quote in stepQuotes { await exchange.apply(quote) }
    }

    /// Publishes each step and runs one cycle; returns the reports.
    func cycles(_ runner: PortfolioBotRunner, steps: ClosedRange<Int>) async -> [PortfolioCycleReport] {
        var reports: [PortfolioCycleReport] = []
        for step in steps {
            await publish(step: step)
            reports.append(await runner.runCycle())
        }
        return reports
    }

    /// Free balance of `asset` at the paper exchange.
    func free(_ asset: String) async throws -> Money {
        try await exchange.balances()[asset]?.free ?? .zero
    }

    /// Client ids of every order the venue accepted, in order.
    func venueOrderIDs() async -> [String] {
        await exchange.allOrders.map(\.clientOrderID.rawValue)
    }
}

/// The in-memory trade history, with a log of every write in the order it happened.
actor RecordingTradeHistoryStore: TradeHistoryStore {
    let inner = InMemoryTradeHistoryStore()
    private(set) var log: [String] = []

    func append(_ record: TradeHistoryRecord) async throws(TradeHistoryError) -> TradeHistoryRecord {
        let stored = try await inner.append(record)
        log.append("append \(stored.id ?? 0) \(stored.status.rawValue)")
        return stored
    }

    func updateStatus(id: Int64, to status: TradeStatus) async throws(TradeHistoryError) -> TradeHistoryRecord {
        let updated = try await inner.updateStatus(id: id, to: status)
        log.append("status \(id) \(status.rawValue)")
        return updated
    }

    func recent(limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord] {
        try await inner.recent(limit: limit)
    }

    func records(status: TradeStatus, limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord] {
        try await inner.records(status: status, limit: limit)
    }

    @discardableResult
    func cleanupOldTrades(keep: Int) async throws(TradeHistoryError) -> Int {
        let removed = try await inner.cleanupOldTrades(keep: keep)
        log.append("cleanup keep \(keep) removed \(removed)")
        return removed
    }

    /// Every row, newest first.
    func all() async throws -> [TradeHistoryRecord] { try await inner.recent(limit: 1_000) }
}

/// Collects the runner's events.
actor EventLog {
    private(set) var events: [PortfolioBotEvent] = []

    func append(_ event: PortfolioBotEvent) { events.append(event) }

    /// The events' kinds: `price`, `executed`, `failed`, `error`, `cycle`.
    var kinds: [String] {
        events.map { event in
            switch event {
            case .priceUpdate: return "price"
            case .tradeExecuted: return "executed"
            case .tradeFailed: return "failed"
            case .error: return "error"
            case .cycleCompleted: return "cycle"
            }
        }
    }
}

/// A sleeper that advances the test clock and runs a hook on every wait (quotes arriving while the
/// bot waits); after `cancelAfter` waits it cancels the task that called it (the bot's loop).
final class HookSleeper: Sleeper {
    private let clock: TestClock
    private let cancelAfter: Int?
    private let hook: @Sendable (Int) async -> Void
    private let recorded = Mutex<[Int64]>([])

    init(clock: TestClock, cancelAfter: Int? = nil, hook: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.clock = clock
        self.cancelAfter = cancelAfter
        self.hook = hook
    }

    func sleep(milliseconds: Int64) async {
        let count = recorded.withLock { waits in
            waits.append(milliseconds)
            return waits.count
        }
        clock.advance(by: milliseconds)
        await hook(count)
        if let cancelAfter, count >= cancelAfter {
            withUnsafeCurrentTask { $0?.cancel() }
        }
    }

    var sleeps: [Int64] { recorded.withLock { $0 } }
}
