import PetrelCore

/// Runs one seed-000 portfolio bot: the I/O loop around ``PortfolioBotDecision``.
///
/// Each ``runCycle()`` is one iteration of the seed's loop: reconcile the order driver if it is
/// not (start-up, after a failure), follow a trade still in flight, fetch a quote per enabled pair
/// through the shared ``MarketDataService`` (a pair whose quote fails is skipped), store the new
/// prices as ``PriceSnapshot``s, read the free balances, decide, write the PENDING record (intent
/// first), then send the legs as market orders through the ``OrderDriver`` and settle the record
/// EXECUTED or FAILED. ``run()`` repeats it every `check_interval_seconds` through the injected
/// ``Sleeper`` until its task is cancelled; nothing throws out of it, problems become
/// ``PortfolioBotEvent/error(_:)`` events and report entries. `docs/portfolio-bot.md` ("The running
/// bot") describes the loop, the bounded wait for an order's outcome and how failures are handled.
///
/// An actor: ``status()`` and ``updateSettings(_:)`` may be called while a cycle awaits the venue.
/// Only one cycle runs at a time; a second ``runCycle()`` call during one is refused in its report.
public actor PortfolioBotRunner {
    /// How long a cycle waits for a market order's outcome before it stops waiting.
    ///
    /// The order is checked every ``pollIntervalMilliseconds`` (queries that are due for an order
    /// whose outcome is unknown, and a look-up at the venue for an order it holds but has not
    /// filled) at most ``timeoutMilliseconds`` long. An order the venue still holds unfilled then is
    /// cancelled and followed for as long again; an order whose outcome is still unknown leaves the
    /// trade PENDING, followed once per cycle until it is known.
    public struct OrderWait: Sendable, Hashable {
        /// Time between two checks of an order that has not ended.
        public var pollIntervalMilliseconds: Int64
        /// The longest wait for one order (and again for the close after cancelling it).
        public var timeoutMilliseconds: Int64

        /// Creates a wait policy.
        /// - Parameters:
        ///   - pollIntervalMilliseconds: above 0; 500 ms by default.
        ///   - timeoutMilliseconds: 0 or more; 10 s by default, longer than the order manager's 5 s
        ///     visibility window so that an order lost on the way is resent within the wait.
        public init(pollIntervalMilliseconds: Int64 = 500, timeoutMilliseconds: Int64 = 10_000) {
            precondition(pollIntervalMilliseconds > 0, "the poll interval must be positive")
            precondition(timeoutMilliseconds >= 0, "the order wait cannot be negative")
            self.pollIntervalMilliseconds = pollIntervalMilliseconds
            self.timeoutMilliseconds = timeoutMilliseconds
        }

        /// Checks that fit in the timeout.
        var maxPolls: Int {
            Int((timeoutMilliseconds + pollIntervalMilliseconds - 1) / pollIntervalMilliseconds)
        }
    }

    /// Seed 000's `check_interval_seconds` range.
    public static let checkIntervalRange = 1...300

    /// The bot's id: the prefix of its client order ids.
    public nonisolated let botID: String
    /// The market data source the quotes come from (a ``MarketDataService`` venue name).
    public nonisolated let venue: String
    /// Seed 000's `--dry-run`: records are written, nothing is sent.
    public nonisolated let isDryRun: Bool
    /// Seconds between two cycles of ``run()``.
    public internal(set) var checkIntervalSeconds: Int
    /// The last order sequence number used; persist it and pass it as `lastOrderSequence` after a restart.
    public internal(set) var orderSequence: UInt64

    let marketData: MarketDataService
    let client: any ExecutionClient
    let driver: OrderDriver?
    let history: any TradeHistoryStore
    let snapshots: any PriceSnapshotStore
    let clock: any TradingClock
    let sleeper: any Sleeper
    let orderWait: OrderWait
    let onEvent: (@Sendable (PortfolioBotEvent) async -> Void)?

    var decision: PortfolioBotDecision
    var driverStarted = false
    var cycleInProgress = false
    var isRunning = false
    var inFlight: InFlightTrade?
    var rules: [Symbol: InstrumentRules] = [:]
    var prices: [Symbol: Quote] = [:]
    var holdings: [String: Money] = [:]
    var cycles = 0
    var lastCycleAt: Int64?
    var lastDecision: PortfolioBotDecision.Decision?
    var counts: [TradeStatus: Int] = [:]
    var blockedReason: String?
    var lastError: String?
    /// Problems of the running cycle, moved into its report when it ends.
    var problems: [String] = []

    /// Creates the runner of one bot.
    /// - Parameters:
    ///   - botID: the bot's id (client order ids are `ClientOrderID(botID:sequence:)`).
    ///   - settings: the validated decision settings.
    ///   - checkIntervalSeconds: seconds between cycles, 1–300 (seed 000's default is 5).
    ///   - venue: the market data source in `marketData` that quotes the pairs.
    ///   - marketData: the shared quote service; the bot's `cache_ttl_seconds` is the oldest cached
    ///     quote it accepts.
    ///   - client: the venue account, for balances (also in a dry run), instrument rules and order look-ups.
    ///   - driver: sends the orders; `nil` only in a dry run.
    ///   - history: the trade history.
    ///   - snapshots: where new prices are stored.
    ///   - clock: the bot clock.
    ///   - sleeper: how the loop and the order wait pause.
    ///   - dryRun: decide and record, never send.
    ///   - lastOrderSequence: the sequence of the last order this bot sent (0 for a new bot).
    ///   - orderWait: how long a cycle waits for an order's outcome.
    ///   - onEvent: receives every ``PortfolioBotEvent``, awaited in order.
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` for a check interval outside 1–300 s.
    public init(
        botID: String, settings: PortfolioBotSettings, checkIntervalSeconds: Int = 5, venue: String,
        marketData: MarketDataService, client: any ExecutionClient, driver: OrderDriver?,
        history: any TradeHistoryStore, snapshots: any PriceSnapshotStore, clock: any TradingClock,
        sleeper: any Sleeper, dryRun: Bool = false, lastOrderSequence: UInt64 = 0, orderWait: OrderWait = OrderWait(),
        onEvent: (@Sendable (PortfolioBotEvent) async -> Void)? = nil
    ) throws(PortfolioBotError) {
        precondition(dryRun || driver != nil, "a portfolio bot that trades needs an order driver")
        try Self.validate(checkIntervalSeconds: checkIntervalSeconds)
        self.botID = botID
        self.venue = venue
        self.isDryRun = dryRun
        self.checkIntervalSeconds = checkIntervalSeconds
        self.orderSequence = lastOrderSequence
        self.marketData = marketData
        self.client = client
        self.driver = dryRun ? nil : driver
        self.history = history
        self.snapshots = snapshots
        self.clock = clock
        self.sleeper = sleeper
        self.orderWait = orderWait
        self.onEvent = onEvent
        self.decision = PortfolioBotDecision(settings: settings, dryRun: dryRun)
    }

    /// Creates the runner of a bot described by a portfolio-bot file.
    /// - Parameters:
    ///   - botID: the bot's id.
    ///   - configuration: the parsed file; its `check_interval_seconds` sets the loop's interval.
    ///   - feeRate: the commission per leg the decision expects (the file has none); 0 by default.
    ///   - venue: the market data source that quotes the pairs.
    ///   - marketData: the shared quote service.
    ///   - client: the venue account.
    ///   - driver: sends the orders; `nil` only in a dry run.
    ///   - history: the trade history.
    ///   - snapshots: where new prices are stored.
    ///   - clock: the bot clock.
    ///   - sleeper: how the loop and the order wait pause.
    ///   - dryRun: decide and record, never send.
    ///   - lastOrderSequence: the sequence of the last order this bot sent.
    ///   - orderWait: how long a cycle waits for an order's outcome.
    ///   - onEvent: receives every event.
    /// - Throws: ``PortfolioBotError`` naming the first value the settings refuse.
    public init(
        botID: String, configuration: PortfolioBotConfiguration, feeRate: Double = 0, venue: String,
        marketData: MarketDataService, client: any ExecutionClient, driver: OrderDriver?,
        history: any TradeHistoryStore, snapshots: any PriceSnapshotStore, clock: any TradingClock,
        sleeper: any Sleeper, dryRun: Bool = false, lastOrderSequence: UInt64 = 0, orderWait: OrderWait = OrderWait(),
        onEvent: (@Sendable (PortfolioBotEvent) async -> Void)? = nil
    ) throws(PortfolioBotError) {
        try self.init(
            botID: botID, settings: try PortfolioBotSettings(configuration: configuration, feeRate: feeRate),
            checkIntervalSeconds: configuration.checkIntervalSeconds, venue: venue, marketData: marketData,
            client: client, driver: driver, history: history, snapshots: snapshots, clock: clock, sleeper: sleeper,
            dryRun: dryRun, lastOrderSequence: lastOrderSequence, orderWait: orderWait, onEvent: onEvent)
    }

    /// The decision settings in force.
    public var settings: PortfolioBotSettings { decision.settings }

    /// Loops ``runCycle()`` every `check_interval_seconds` until the calling task is cancelled.
    ///
    /// Cycles start on a fixed cadence: the wait after a cycle is the interval minus the time the
    /// cycle took (none when it took longer). Never throws; a second call while the loop runs
    /// returns at once.
    public func run() async {
        guard !isRunning else { return }
        isRunning = true
        defer { isRunning = false }
        while !Task.isCancelled {
            let started = clock.now()
            _ = await runCycle()
            if Task.isCancelled { break }
            let next = started + Int64(checkIntervalSeconds) * 1_000
            await sleeper.sleep(milliseconds: Swift.max(0, next - clock.now()))
        }
    }

    /// One iteration of seed 000's loop (see the type's documentation).
    /// - Returns: what the cycle did; the same report is sent as ``PortfolioBotEvent/cycleCompleted(_:)``.
    public func runCycle() async -> PortfolioCycleReport {
        let now = clock.now()
        var report = PortfolioCycleReport(startedAt: now)
        guard !cycleInProgress else {
            report.problems = ["another cycle of bot \(botID) is still running; this call did nothing"]
            return report
        }
        cycleInProgress = true
        problems = []
        let canTrade = await prepareTrading()
        if inFlight != nil { report.resolvedTrade = await followInFlight() }
        report.quotes = await fetchQuotes(now: now, skipped: &report.skippedPairs)
        await storeSnapshots(report.quotes)
        report.holdings = await readHoldings()
        if let holdings = report.holdings {
            let decided = decision.decide(holdings: holdings, quotes: report.quotes, now: now)
            report.decision = decided
            lastDecision = decided
            if let trade = decided.trade, let record = decided.records.first {
                if decided.isDryRun {
                    report.trade = await recordDryRun(record)
                } else if let flight = inFlight {
                    report.notTradedReason =
                        "trade \(flight.result.record.id ?? 0) is still in flight (order \(flight.orderID) "
                        + "unresolved); no new trade until its outcome is known"
                } else if !canTrade {
                    report.notTradedReason =
                        "trading is blocked: \(blockedReason ?? "the order driver refuses orders")"
                } else {
                    report.trade = await execute(trade, record: record, now: now)
                }
            }
        } else {
            decision.record(report.quotes, now: now)
        }
        if let driver { blockedReason = await driver.blockedReason }
        if report.trade?.legs.isEmpty == false, let fresh = try? await client.balances() {
            holdings = fresh.mapValues(\.free)
        }
        report.problems = problems
        cycles += 1
        lastCycleAt = now
        cycleInProgress = false
        for problem in problems { await emit(.error(problem)) }
        await emit(.cycleCompleted(report))
        return report
    }

    /// Applies seed 000's `update_config`: validates every given field through the settings'
    /// checks, then applies them all, or none.
    /// - Parameter update: the fields to change.
    /// - Returns: the settings now in force.
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` naming the first bad field,
    ///   its value and the allowed range; nothing changes then.
    @discardableResult
    public func updateSettings(_ update: PortfolioBotSettingsUpdate) throws(PortfolioBotError) -> PortfolioBotSettings {
        let current = decision.settings
        let next = try PortfolioBotSettings(
            riskTolerance: update.riskTolerance ?? current.riskTolerance,
            minConfidence: update.minConfidence ?? current.minConfidence,
            tradeSize: update.tradeSize ?? current.tradeSize,
            cacheTTLSeconds: update.cacheTTLSeconds ?? current.cacheTTLSeconds,
            volatilityWindow: current.volatilityWindow, feeRate: current.feeRate, historyKeep: current.historyKeep,
            pairs: current.pairs)
        let interval = update.checkIntervalSeconds ?? checkIntervalSeconds
        try Self.validate(checkIntervalSeconds: interval)
        decision.update(settings: next)
        checkIntervalSeconds = interval
        return next
    }

    /// Seed 000's `get_status`: settings, last decision, prices, holdings and trade counts.
    public func status() -> PortfolioBotStatus {
        PortfolioBotStatus(
            botID: botID, isRunning: isRunning, isDryRun: isDryRun, settings: decision.settings,
            checkIntervalSeconds: checkIntervalSeconds, cycles: cycles, lastCycleAt: lastCycleAt,
            lastDecision: lastDecision?.decision, lastReasoning: lastDecision?.reasoning, prices: prices,
            holdings: holdings, executedTrades: counts[.executed] ?? 0, failedTrades: counts[.failed] ?? 0,
            pendingTrades: counts[.pending] ?? 0, orderSequence: orderSequence, tradingBlockedReason: blockedReason,
            lastError: lastError)
    }

    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` outside ``checkIntervalRange``.
    public static func validate(checkIntervalSeconds: Int) throws(PortfolioBotError) {
        guard checkIntervalRange.contains(checkIntervalSeconds) else {
            throw .outOfRange(
                field: "check_interval_seconds", value: "\(checkIntervalSeconds)", allowed: "1 to 300 seconds")
        }
    }

    func note(_ problem: String) {
        problems.append(problem)
        lastError = problem
    }

    func emit(_ event: PortfolioBotEvent) async {
        await onEvent?(event)
    }
}
