import PetrelCore

/// How a bot's task ended without crashing.
public enum BotExit: Sendable, Hashable {
    /// A `stop` command (or the process is shutting down).
    case stopped
    /// The market-data source has nothing more to deliver (a finished replay).
    case marketFinished
}

/// Why a bot's task crashed; the supervisor restarts it.
public struct BotCrash: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One bot: a single task consuming one stream of events (candles, quotes, order updates, timers,
/// commands), so the bot's state has one writer and no locks (DESIGN §3).
///
/// The kernel is rebuilt at start-up by applying the bot's journal to a fresh kernel; every kernel
/// input is appended to the journal before the orders it caused are sent. The order manager
/// (intent first, unknown outcomes resolved by client id) stands between the kernel and the venue,
/// and nothing is sent before reconciliation has succeeded. See `docs/runtime.md`.
///
/// A runner runs once: the supervisor builds a new one for every (re)start.
public actor BotRunner {
    let environment: BotEnvironment
    let driver: OrderDriver
    var kernel: TradingKernel
    /// Entries applied to the kernel but not yet written.
    var pendingJournal: [BotJournalEntry] = []
    /// Entries stored.
    var journalCount = 0
    var lastCandleTime: Int64?
    var lifecycle: BotLifecycle = .starting
    var dataPoints = 0
    var feedConnected = false
    var lastPrice: Price?
    var lastSignal: BotStatus.LastSignal?
    var lastSkip: String?
    var lastError: String?
    var closedTrades = 0
    var realizedPnL: Money = .zero
    /// Orders the kernel asked to cancel while the journal was applied again (repeated after a restart).
    var cancelsRequested: Set<ClientOrderID> = []
    /// Whether a fill changed the positions since they were last stored.
    var positionsChanged = false
    /// The latency probe and the start of the market event being handled, when a probe is set.
    let probeMark: LatencyMark?
    private let events: AsyncStream<BotEvent>
    private let input: AsyncStream<BotEvent>.Continuation

    /// Prepares a bot; nothing happens until ``run()``.
    /// - Throws: ``BotCrash`` when the kernel cannot be built from the configuration.
    public init(environment: BotEnvironment) throws(BotCrash) {
        self.environment = environment
        do {
            self.kernel = try environment.makeKernel()
        } catch {
            throw BotCrash("the bot's kernel could not be built: \(error)")
        }
        let mark = environment.latencyProbe.map(LatencyMark.init(probe:))
        probeMark = mark
        var willSubmit: (@Sendable (Order) -> Void)?
        if let mark { willSubmit = { order in mark.orderSent(order) } }
        self.driver = OrderDriver(
            client: environment.execution, store: environment.orderStore, clock: environment.clock,
            sleeper: environment.sleeper, configuration: environment.orderConfiguration, willSubmit: willSubmit)
        (events, input) = AsyncStream.makeStream(of: BotEvent.self, bufferingPolicy: .unbounded)
    }

    /// Sends a command; it is handled in order with the bot's other events.
    public nonisolated func send(_ command: BotCommand) {
        input.yield(.command(command))
    }

    /// The bot's id.
    public nonisolated var botID: String { environment.botID }

    /// Runs the bot until a `stop` command, the end of a replayed market, or a crash.
    /// - Returns: how it ended.
    /// - Throws: ``BotCrash`` (a strategy that threw, a journal that could not be written,
    ///   reconciliation that kept failing); positions stay at the venue and are managed again by the
    ///   next run.
    public func run() async throws(BotCrash) -> BotExit {
        var sources: [Task<Void, Never>] = []
        defer {
            for task in sources { task.cancel() }
            input.finish()
        }
        await setLifecycle(.starting, reason: nil)
        try await rebuild()
        await setLifecycle(.reconciling, reason: nil)
        let catchUp = try await catchUpFromStore()
        try await reconcileUntilDone()
        try await recoverLostActions(follow: catchUp.follow, lost: catchUp.lost)
        sources = try await startSources()
        await setLifecycle(kernel.entriesPaused ? .paused : .running, reason: nil)
        var exit = BotExit.stopped
        loop: for await event in events {
            switch event {
            case .market(let marketEvent):
                probeMark?.start()
                let finished = try await handle(marketEvent)
                probeMark?.clear()
                if finished {
                    exit = .marketFinished
                    break loop
                }
            case .quote(let quote):
                probeMark?.start()
                try await applyQuotes([quote])
                probeMark?.clear()
            case .execution(let update):
                try await handleExecution(update)
            case .executionStreamEnded(let reason):
                // Resubscribe first, then reconcile: an update that arrives in between is in the new
                // stream, and everything before it is in the venue's answers.
                await driver.connectionLost(reason)
                environment.observe(
                    .notice(
                        "order updates stopped (\(reason)); resubscribing in \(environment.reconcileRetry) ms, then reconciling"
                    ))
                await environment.sleeper.sleep(milliseconds: environment.reconcileRetry)
                sources.append(subscribeToVenueUpdates())
                try await reconcileUntilDone()
            case .timer:
                try await resolvePending()
            case .command(let command):
                if try await handle(command) { break loop }
            }
        }
        await setLifecycle(.stopping, reason: nil)
        try await flushJournal()
        await storePositions()
        await setLifecycle(.stopped, reason: exit == .marketFinished ? "the market replay finished" : nil)
        return exit
    }

    /// Seed 002's `get_status()`.
    public func status() async -> BotStatus {
        let now = environment.clock.now()
        var positions: [BotStatus.OpenPosition] = []
        let last = lastPrice ?? .zero
        for position in kernel.positions where !position.isFlat {
            let unrealized = (try? position.unrealizedPnL(at: last)) ?? .zero
            positions.append(
                BotStatus.OpenPosition(
                    symbol: position.symbol, quantity: position.quantity, averagePrice: position.averageEntryPrice,
                    lastPrice: last, unrealizedPnL: unrealized))
        }
        return BotStatus(
            botID: environment.botID, lifecycle: lifecycle, tradingState: kernel.tradingState,
            paused: kernel.entriesPaused, mode: environment.mode,
            feed: BotStatus.Feed(
                source: environment.feed.venue, symbol: environment.feed.symbol,
                interval: environment.feed.timeframe.rawValue, connected: feedConnected, dataPoints: dataPoints,
                lastCandleTime: lastCandleTime, lastPrice: lastPrice),
            broker: BotStatus.Broker(
                type: environment.brokerType, connected: await driver.canTrade,
                blockedReason: await driver.blockedReason, cash: kernel.cash, equity: kernel.equity,
                quoteAsset: kernel.quoteAsset),
            positions: positions, openOrders: kernel.openOrders.count, lastSignal: lastSignal, lastSkip: lastSkip,
            closedTrades: closedTrades, realizedPnL: realizedPnL, lastError: lastError, updatedAt: now)
    }

    /// The kernel's positions, for tests and status pages.
    public var positions: [Position] { kernel.positions }

    /// The kernel's cash.
    public var cash: Money { kernel.cash }

    /// The bot's lifecycle as this runner sees it.
    public var currentLifecycle: BotLifecycle { lifecycle }

    // MARK: - Commands

    /// Handles an operator command. - Returns: whether the bot should stop.
    func handle(_ command: BotCommand) async throws(BotCrash) -> Bool {
        let now = environment.clock.now()
        switch command {
        case .pause:
            guard !kernel.entriesPaused else { return false }
            kernel.entriesPaused = true
            pendingJournal.append(.paused(true, timestamp: now))
            try await flushJournal()
            await setLifecycle(.paused, reason: "paused by the operator")
        case .resume:
            guard kernel.entriesPaused else { return false }
            kernel.entriesPaused = false
            pendingJournal.append(.paused(false, timestamp: now))
            try await flushJournal()
            await setLifecycle(.running, reason: "resumed by the operator")
        case .halt(let reason):
            var actions: [KernelAction] = []
            kernel.halt(reason: reason, at: now, into: &actions)
            pendingJournal.append(.halt(reason: reason, timestamp: now))
            try await flushJournal()
            try await perform(actions)
        case .stop:
            return true
        }
        return false
    }

    // MARK: - Lifecycle

    func setLifecycle(_ new: BotLifecycle, reason: String?) async {
        lifecycle = new
        environment.observe(.lifecycle(new, reason: reason))
        do {
            try await environment.bots.updateLifecycle(
                environment.botID, to: new, error: nil, restartCount: nil, at: environment.clock.now())
        } catch {
            environment.observe(.error("the bot's lifecycle could not be stored: \(error)"))
        }
    }

    /// Forwards the venue's pushed order updates into the event stream; its end becomes an event.
    func subscribeToVenueUpdates() -> Task<Void, Never> {
        let input = self.input
        let updates = environment.execution.updates()
        return Task {
            for await update in updates { input.yield(.execution(update)) }
            if !Task.isCancelled { input.yield(.executionStreamEnded("the venue's update stream ended")) }
        }
    }

    /// Starts the tasks that feed the event stream: candles, quotes, order updates and the timer.
    func startSources() async throws(BotCrash) -> [Task<Void, Never>] {
        let input = self.input
        var tasks: [Task<Void, Never>] = []
        let stream: AsyncStream<MarketDataEvent>
        do {
            stream = try await environment.marketData.subscribe(to: environment.feed, lookback: environment.lookback)
        } catch {
            throw BotCrash("the market data feed could not be opened: \(error)")
        }
        tasks.append(
            Task {
                for await event in stream { input.yield(.market(event)) }
            })
        if environment.subscribesToQuotes, let source = environment.quoteSource {
            let symbol = environment.feed.symbol
            let sleeper = environment.sleeper
            let retry = max(1_000, environment.marketData.configuration.retryIntervalMilliseconds)
            // A live quote stream that drops is opened again after the feed's retry interval; only a source
            // with nothing more to deliver (a finished replay) ends it.
            tasks.append(
                Task {
                    while !Task.isCancelled {
                        do {
                            for try await quote in source.quoteStream(symbol: symbol) { input.yield(.quote(quote)) }
                        } catch {}
                        if Task.isCancelled { return }
                        if await source.isExhausted() { return }
                        await sleeper.sleep(milliseconds: retry)
                    }
                })
        }
        if environment.quoteVenue == nil { tasks.append(subscribeToVenueUpdates()) }
        if environment.timerInterval > 0 {
            let sleeper = environment.sleeper
            let interval = environment.timerInterval
            tasks.append(
                Task {
                    while !Task.isCancelled {
                        await sleeper.sleep(milliseconds: interval)
                        if Task.isCancelled { return }
                        input.yield(.timer)
                    }
                })
        }
        return tasks
    }
}
