import PetrelCore
import PetrelMarketData
import PetrelRuntime
import Synchronization

/// The built-in simulated market for quote-driven bots (seed 000's portfolio bot): one deterministic
/// ``SyntheticMarket`` price path per pair, moved one step per quote asked for.
///
/// Each pair's path depends only on the seed and the pair's text, so a run is repeatable: the n-th quote
/// of `BTC/USD` is the same in every run. A step stands for one ``Configuration/timeframe`` of simulated
/// time (the path's volatility and regimes follow it); the quote is stamped with the clock's time. The path
/// is generated lazily, a chunk of steps at a time, each chunk continuing from the previous close and
/// regime, so it never ends. When a ``QuoteDrivenVenue`` is attached (the paper exchange), every quote is
/// applied to it before it is returned: the venue fills orders at exactly the prices the bot saw.
public final class SimulatedQuoteClient: MarketDataClient {
    /// What determines the paths.
    public struct Configuration: Sendable, Hashable {
        /// The base seed; each pair mixes its own text into it.
        public var seed: UInt64
        /// The simulated time one step stands for.
        public var timeframe: Timeframe
        /// Bid and ask distance from the path's price, as a fraction (0.0001 = 1 bp each side).
        public var spreadFraction: FixedPoint
        /// Steps generated at a time.
        public var chunkSize: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - seed: the base seed.
        ///   - timeframe: simulated time per step (one hour by default).
        ///   - spreadFraction: half spread, 0 to below 0.5; 1 bp by default.
        ///   - chunkSize: steps generated at a time, at least 1.
        public init(
            seed: UInt64 = 20_260_101, timeframe: Timeframe = .h1,
            spreadFraction: FixedPoint = FixedPoint(rawValue: 10_000), chunkSize: Int = 1_000
        ) {
            precondition(chunkSize > 0, "a chunk has at least one step")
            precondition(
                !spreadFraction.isNegative && spreadFraction < FixedPoint(rawValue: 50_000_000),
                "the spread fraction must be 0 to below 0.5")
            self.seed = seed
            self.timeframe = timeframe
            self.spreadFraction = spreadFraction
            self.chunkSize = chunkSize
        }

        /// Where a pair's path starts: a price of its order of magnitude (BTC 30,000, ETH 2,000, others 100).
        /// - Parameter symbol: the pair.
        /// - Returns: the first price.
        public static func startPrice(for symbol: Symbol) -> Price {
            switch symbol.base {
            case "BTC", "XBT": return 30_000
            case "ETH": return 2_000
            default: return 100
            }
        }

        /// The seed of `symbol`'s path: the base seed mixed with the FNV-1a hash of the pair's text.
        /// - Parameter symbol: the pair.
        /// - Returns: the path's seed.
        public func seed(for symbol: Symbol) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in symbol.description.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return seed ^ hash
        }
    }

    struct Path {
        var candles: [Candle] = []
        var regime: MarketRegime = .sideways
        var chunk: UInt64 = 0
        var index = 0
        var steps = 0
    }

    /// The price grid of every path and quote: 0.01.
    public static let tick = Price(rawValue: 1_000_000)

    /// The source's name (`simulated`).
    public let venue: String
    /// The pairs it quotes.
    public let symbols: Set<Symbol>
    /// The path settings.
    public let configuration: Configuration
    let clock: any TradingClock
    let attachedVenue: (any QuoteDrivenVenue)?
    private let paths: Mutex<[Symbol: Path]>

    /// Creates the market.
    /// - Parameters:
    ///   - venue: the name the market data service knows it by.
    ///   - symbols: the pairs it quotes (spot or not; each gets its own path).
    ///   - configuration: seed, step length and spread.
    ///   - clock: stamps the quotes.
    ///   - feeding: a venue that receives every quote before the caller does.
    public init(
        venue: String = "simulated", symbols: Set<Symbol>, configuration: Configuration = Configuration(),
        clock: any TradingClock, feeding: (any QuoteDrivenVenue)? = nil
    ) {
        self.venue = venue
        self.symbols = symbols
        self.configuration = configuration
        self.clock = clock
        self.attachedVenue = feeding
        self.paths = Mutex(Dictionary(uniqueKeysWithValues: symbols.map { ($0, Path()) }))
    }

    /// The next step of `symbol`'s path as a quote: bid and ask at the spread around its price (rounded
    /// out to the 0.01 grid), stamped with the clock's time; applied to the attached venue first.
    /// - Throws: ``ExecutionError/rejected(_:)`` for a pair this market does not quote.
    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        guard symbols.contains(symbol) else {
            throw .rejected("the \(venue) market quotes \(symbols.map(\.description).sorted()), not \(symbol)")
        }
        let configuration = self.configuration
        let price = paths.withLock { paths in
            var path = paths[symbol] ?? Path()
            let price = Self.advance(&path, symbol: symbol, configuration: configuration)
            paths[symbol] = path
            return price
        }
        let tick = Self.tick
        let offset =
            (try? price.multiplied(by: configuration.spreadFraction, rounding: .up).rounded(toStep: tick, rule: .up))
            ?? tick
        let bid = price - offset
        let quote = Quote(
            symbol: symbol, bid: bid.isPositive ? bid : price, ask: price + offset, last: price,
            timestamp: clock.now())
        if let attachedVenue { _ = await attachedVenue.apply(quote) }
        return quote
    }

    /// Steps taken on `symbol`'s path so far.
    /// - Parameter symbol: the pair.
    public func steps(of symbol: Symbol) -> Int { paths.withLock { $0[symbol]?.steps ?? 0 } }

    /// No history: a quote-driven market has no candles.
    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    { [] }

    /// A stream that ends at once.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    /// A stream that ends at once: quotes are asked for, one step each.
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    /// Moves the path one step, generating its next chunk when the current one is used up.
    static func advance(_ path: inout Path, symbol: Symbol, configuration: Configuration) -> Price {
        if path.index >= path.candles.count {
            let start = path.candles.last?.close ?? Configuration.startPrice(for: symbol)
            let market = SyntheticMarket.Configuration(
                seed: configuration.seed(for: symbol) &+ path.chunk, symbol: symbol, startPrice: start,
                timeframe: configuration.timeframe, count: configuration.chunkSize,
                tickSize: tick, initialRegime: path.regime, intrabarSteps: 1)
            let generated = SyntheticMarket.generateWithRegimes(market)
            path.candles = generated.series.candles
            path.regime = generated.regimes.last ?? path.regime
            path.chunk += 1
            path.index = 0
        }
        let price = path.candles[path.index].close
        path.index += 1
        path.steps += 1
        return price
    }
}
