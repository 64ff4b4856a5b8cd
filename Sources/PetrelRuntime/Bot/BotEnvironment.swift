import PetrelCore

/// Everything one bot's task needs, chosen by the composition root (the CLI or the server): the
/// kernel recipe, the venue, the stores, the market data, the clock and where activity goes.
public struct BotEnvironment: Sendable {
    /// The bot's id (client order ids, journal, logs).
    public var botID: String
    public var mode: BotMode
    /// The config's broker type, for status.
    public var brokerType: String
    /// Builds a fresh kernel with fresh strategy instances from the bot's configuration. The runner
    /// rebuilds its state by applying the journal to it.
    public var makeKernel: @Sendable () throws -> TradingKernel
    /// The venue.
    public var execution: any ExecutionClient
    /// Set when the venue is fed by the bot itself (the paper exchange): quotes are derived from
    /// closed candles (`candleQuoteSpread`) or come from the quote stream, and applied before the
    /// kernel sees them.
    public var quoteVenue: (any QuoteDrivenVenue)?
    /// Bid and ask distance from a candle's prices, as a fraction, for the quotes derived from
    /// candles on a quote-driven venue (`nil`: no quotes from candles; use ``subscribesToQuotes``).
    public var candleQuoteSpread: FixedPoint?
    /// Whether quotes are streamed from the market-data source to the quote-driven venue.
    public var subscribesToQuotes: Bool
    public var orderStore: any OrderStore
    public var journal: any BotJournal
    public var bots: any BotRepository
    public var equity: (any EquityStore)?
    public var marketData: MarketDataService
    /// The market-data source of quotes when ``subscribesToQuotes`` is set.
    public var quoteSource: (any MarketDataClient)?
    public var feed: CandleFeedKey
    /// `lookback_bars`: warm-up history on the first start.
    public var lookback: Int
    /// The time source; a ``MarketClock`` is advanced to each candle's close (replayed markets).
    public var clock: any TradingClock
    /// Set for replayed markets: the same object as ``clock``.
    public var marketClock: MarketClock?
    /// How the bot's timers and retries wait.
    public var sleeper: any Sleeper
    /// The order manager's timing rules.
    public var orderConfiguration: OrderManagerConfiguration
    /// How often pending orders are checked (ms); 0 disables the timer (replays check at every candle).
    public var timerInterval: Int64
    /// Where activity goes (logs, files, the API). Called on the bot's task: keep it cheap.
    public var observe: @Sendable (BotActivity) -> Void
    /// How long the bot waits between failed reconciliations (ms) before it gives up and crashes.
    public var reconcileRetry: Int64
    /// Failed reconciliations in a row after which the bot crashes (the supervisor restarts it).
    public var reconcileAttempts: Int
    /// Opt-in latency measurement (benchmarks, diagnostics): `nil`, the default, reads no clock and
    /// records nothing. See ``BotLatencyProbe``.
    public var latencyProbe: (any BotLatencyProbe)?

    public init(
        botID: String, mode: BotMode, brokerType: String, makeKernel: @escaping @Sendable () throws -> TradingKernel,
        execution: any ExecutionClient, quoteVenue: (any QuoteDrivenVenue)? = nil, candleQuoteSpread: FixedPoint? = nil,
        subscribesToQuotes: Bool = false, orderStore: any OrderStore, journal: any BotJournal, bots: any BotRepository,
        equity: (any EquityStore)? = nil, marketData: MarketDataService, quoteSource: (any MarketDataClient)? = nil,
        feed: CandleFeedKey, lookback: Int, clock: any TradingClock, marketClock: MarketClock? = nil,
        sleeper: any Sleeper, orderConfiguration: OrderManagerConfiguration = OrderManagerConfiguration(),
        timerInterval: Int64 = 1_000, observe: @escaping @Sendable (BotActivity) -> Void = { _ in },
        reconcileRetry: Int64 = 5_000, reconcileAttempts: Int = 12, latencyProbe: (any BotLatencyProbe)? = nil
    ) {
        self.botID = botID
        self.mode = mode
        self.brokerType = brokerType
        self.makeKernel = makeKernel
        self.execution = execution
        self.quoteVenue = quoteVenue
        self.candleQuoteSpread = candleQuoteSpread
        self.subscribesToQuotes = subscribesToQuotes
        self.orderStore = orderStore
        self.journal = journal
        self.bots = bots
        self.equity = equity
        self.marketData = marketData
        self.quoteSource = quoteSource
        self.feed = feed
        self.lookback = lookback
        self.clock = clock
        self.marketClock = marketClock
        self.sleeper = sleeper
        self.orderConfiguration = orderConfiguration
        self.timerInterval = timerInterval
        self.observe = observe
        self.reconcileRetry = reconcileRetry
        self.reconcileAttempts = reconcileAttempts
        self.latencyProbe = latencyProbe
    }
}
