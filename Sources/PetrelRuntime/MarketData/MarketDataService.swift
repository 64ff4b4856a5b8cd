import PetrelCore

/// Candles and quotes for every bot of a process: one shared feed per (venue, symbol, timeframe),
/// warm-up history per subscriber, a TTL quote cache, gap detection with back-fill, and reconnection
/// every `retry_interval` with jitter (seed 002's `data` section, seed 000's `cache_ttl_seconds`).
///
/// Every subscriber sees strictly increasing candle timestamps: history first, then live candles,
/// with back-filled candles in between when the feed dropped or skipped candles.
public actor MarketDataService {
    /// Timing of the service.
    public struct Configuration: Sendable {
        /// Wait before reconnecting a dropped feed (seed 002's `retry_interval`, in ms).
        public var retryIntervalMilliseconds: Int64
        /// Random spread of the wait, as a fraction (0.2 = ±20 %), so many bots do not reconnect at once.
        public var jitterFraction: Double
        /// How long a quote is served from the cache (seed 000's `cache_ttl_seconds`, in ms).
        public var quoteTTLMilliseconds: Int64
        /// Most candles fetched to fill one gap.
        public var maxBackfill: Int
        /// Seed of the jitter generator (deterministic tests).
        public var jitterSeed: UInt64
        /// For candles built from trades or quotes: how long after a bucket ends its candle is closed
        /// when no later tick has closed it (late ticks of a venue are still counted); `nil` closes
        /// candles only on the next tick.
        public var candleCloseGraceMilliseconds: Int64?

        public init(
            retryIntervalMilliseconds: Int64 = 60_000, jitterFraction: Double = 0.2,
            quoteTTLMilliseconds: Int64 = 3_000,
            maxBackfill: Int = 1_000, jitterSeed: UInt64 = 0x5EED, candleCloseGraceMilliseconds: Int64? = 2_000
        ) {
            self.candleCloseGraceMilliseconds = candleCloseGraceMilliseconds.map { max(0, $0) }
            self.retryIntervalMilliseconds = retryIntervalMilliseconds
            self.jitterFraction = jitterFraction
            self.quoteTTLMilliseconds = quoteTTLMilliseconds
            self.maxBackfill = maxBackfill
            self.jitterSeed = jitterSeed
        }
    }

    struct Subscriber {
        var continuation: AsyncStream<MarketDataEvent>.Continuation
        var lastDelivered: Int64
    }

    struct Feed {
        var subscribers: [Int: Subscriber] = [:]
        var lastTimestamp: Int64?
        var pump: Task<Void, Never>?
    }

    let configuration: Configuration
    let clients: [String: any MarketDataClient]
    let clock: any TradingClock
    let sleeper: any Sleeper
    var feeds: [CandleFeedKey: Feed] = [:]
    var quotes: [String: (quote: Quote, fetchedAt: Int64)] = [:]
    var nextSubscriberID = 0
    var jitter: SplitMix64

    /// Creates the service.
    /// - Parameters:
    ///   - clients: market data sources by venue name.
    ///   - clock: the time source for the quote cache.
    ///   - sleeper: how reconnection waits.
    public init(
        clients: [any MarketDataClient], clock: any TradingClock, sleeper: any Sleeper = TaskSleeper(),
        configuration: Configuration = Configuration()
    ) {
        self.clients = Dictionary(clients.map { ($0.venue, $0) }, uniquingKeysWith: { first, _ in first })
        self.clock = clock
        self.sleeper = sleeper
        self.configuration = configuration
        self.jitter = SplitMix64(seed: configuration.jitterSeed)
    }

    /// Number of live shared feeds (one per venue, symbol and timeframe with subscribers).
    public var feedCount: Int { feeds.values.filter { $0.pump != nil }.count }

    /// Subscribes to closed candles, starting with `lookback` candles of history.
    /// - Returns: the events; cancelling the consuming task (or dropping the stream) unsubscribes.
    /// - Throws: ``MarketDataServiceError`` for an unknown venue, a bad lookback or a failed history fetch.
    public func subscribe(to key: CandleFeedKey, lookback: Int) async throws(MarketDataServiceError)
        -> AsyncStream<MarketDataEvent>
    {
        guard let client = clients[key.venue] else {
            throw .unknownVenue(key.venue, known: clients.keys.sorted())
        }
        guard (0...100_000).contains(lookback) else { throw .invalidLookback(lookback) }
        var history: [Candle] = []
        if lookback > 0 {
            do {
                history = try await client.candles(
                    symbol: key.symbol, timeframe: key.timeframe, from: nil, to: nil, limit: lookback)
            } catch {
                throw .history(key, error)
            }
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: MarketDataEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = nextSubscriberID
        nextSubscriberID += 1
        continuation.yield(.history(history))
        var feed = feeds[key] ?? Feed()
        feed.subscribers[id] = Subscriber(continuation: continuation, lastDelivered: history.last?.timestamp ?? .min)
        if feed.lastTimestamp == nil { feed.lastTimestamp = history.last?.timestamp }
        if feed.pump == nil {
            feed.pump = Task { await self.pump(key, client: client) }
        }
        feeds[key] = feed
        continuation.onTermination = { _ in
            Task { await self.unsubscribe(key, id: id) }
        }
        return stream
    }

    func unsubscribe(_ key: CandleFeedKey, id: Int) {
        guard var feed = feeds[key] else { return }
        feed.subscribers[id] = nil
        if feed.subscribers.isEmpty {
            feed.pump?.cancel()
            feeds[key] = nil
        } else {
            feeds[key] = feed
        }
    }

    /// The latest quote, from the cache when it is younger than the TTL.
    /// - Throws: ``MarketDataServiceError``.
    public func quote(venue: String, symbol: Symbol) async throws(MarketDataServiceError) -> Quote {
        try await quote(venue: venue, symbol: symbol, maxAgeMilliseconds: configuration.quoteTTLMilliseconds)
    }

    /// The latest quote, from the shared cache when it was fetched less than `maxAgeMilliseconds`
    /// ago: a bot with its own `cache_ttl_seconds` shares the cache without adopting another bot's TTL.
    /// - Parameters:
    ///   - venue: the market data source.
    ///   - symbol: the instrument.
    ///   - maxAgeMilliseconds: the oldest cached quote the caller accepts; 0 or less always fetches.
    /// - Returns: the quote.
    /// - Throws: ``MarketDataServiceError``.
    public func quote(venue: String, symbol: Symbol, maxAgeMilliseconds: Int64) async throws(MarketDataServiceError)
        -> Quote
    {
        guard let client = clients[venue] else { throw .unknownVenue(venue, known: clients.keys.sorted()) }
        let cacheKey = "\(venue) \(symbol)"
        let now = clock.now()
        if let cached = quotes[cacheKey], now - cached.fetchedAt < maxAgeMilliseconds {
            return cached.quote
        }
        do {
            let quote = try await client.quote(symbol: symbol)
            quotes[cacheKey] = (quote, now)
            return quote
        } catch {
            throw .quote(symbol.description, error)
        }
    }

    /// The next reconnection wait: the retry interval ± jitter.
    func reconnectDelay() -> Int64 {
        let unit = jitter.nextUnitInterval() * 2 - 1
        let base = Double(configuration.retryIntervalMilliseconds)
        return max(0, Int64((base * (1 + unit * configuration.jitterFraction)).rounded()))
    }
}
