import PetrelCore
import PetrelRuntime
import Synchronization

/// A scriptable in-memory market data source: the test decides which candles exist (for history
/// and back-fill), pushes live candles (or trades or quotes, for a source whose ``liveFeed`` is
/// those) and drops the feed.
public final class FakeMarketDataClient: MarketDataClient {
    struct State {
        var archive: [Candle] = []
        var streams: [AsyncThrowingStream<Candle, any Error>.Continuation] = []
        var tradeStreams: [AsyncThrowingStream<TradeTick, any Error>.Continuation] = []
        var quoteStreams: [AsyncThrowingStream<Quote, any Error>.Continuation] = []
        var streamsOpened = 0
        var quote: Quote?
        var quoteCalls = 0
        var historyCalls: [(from: Int64?, to: Int64?, limit: Int)] = []
    }

    public let venue: String
    public let liveFeed: LiveFeedKind
    private let state = Mutex(State())

    public init(venue: String = "fake", archive: [Candle] = [], liveFeed: LiveFeedKind = .candles) {
        self.venue = venue
        self.liveFeed = liveFeed
        state.withLock { $0.archive = archive }
    }

    /// Adds candles to what history and back-fill queries can return (they "happened").
    public func record(_ candles: [Candle]) {
        state.withLock { $0.archive += candles }
    }

    /// Records a candle and pushes it to every open live stream.
    public func send(_ candle: Candle, record: Bool = true) {
        let streams = state.withLock { state -> [AsyncThrowingStream<Candle, any Error>.Continuation] in
            if record { state.archive.append(candle) }
            return state.streams
        }
        for stream in streams { stream.yield(candle) }
    }

    /// Pushes a trade to every open trade stream.
    public func sendTrade(_ trade: TradeTick) {
        for stream in state.withLock({ $0.tradeStreams }) { stream.yield(trade) }
    }

    /// Pushes a quote to every open quote stream.
    public func sendQuote(_ quote: Quote) {
        for stream in state.withLock({ $0.quoteStreams }) { stream.yield(quote) }
    }

    /// Ends every open live stream with an error, as a dropped connection does.
    public func drop(_ error: any Error = FakeFeedError.disconnected) {
        let (candles, trades, quotes) = state.withLock { state in
            defer {
                state.streams = []
                state.tradeStreams = []
                state.quoteStreams = []
            }
            return (state.streams, state.tradeStreams, state.quoteStreams)
        }
        for stream in candles { stream.finish(throwing: error) }
        for stream in trades { stream.finish(throwing: error) }
        for stream in quotes { stream.finish(throwing: error) }
    }

    public func setQuote(_ quote: Quote) { state.withLock { $0.quote = quote } }

    /// Live streams opened so far (1 + reconnections).
    public var streamsOpened: Int { state.withLock { $0.streamsOpened } }
    public var quoteCalls: Int { state.withLock { $0.quoteCalls } }
    public var historyCalls: Int { state.withLock { $0.historyCalls.count } }

    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        state.withLock { state in
            state.historyCalls.append((from, to, limit))
            let matching = state.archive.filter { candle in
                candle.timestamp >= (from ?? .min) && candle.timestamp < (to ?? .max)
            }
            return from == nil ? Array(matching.suffix(limit)) : Array(matching.prefix(limit))
        }
    }

    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Candle.self)
        state.withLock { state in
            state.streams.append(continuation)
            state.streamsOpened += 1
        }
        return stream
    }

    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        let quote = state.withLock { state -> Quote? in
            state.quoteCalls += 1
            return state.quote
        }
        guard let quote else { throw .retryable("no quote scripted") }
        return quote
    }

    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        guard liveFeed == .quotes else { return AsyncThrowingStream { $0.finish() } }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Quote.self)
        state.withLock { state in
            state.quoteStreams.append(continuation)
            state.streamsOpened += 1
        }
        return stream
    }

    public func tradeStream(symbol: Symbol) -> AsyncThrowingStream<TradeTick, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: TradeTick.self)
        state.withLock { state in
            state.tradeStreams.append(continuation)
            state.streamsOpened += 1
        }
        return stream
    }
}

/// The error a dropped fake feed ends with.
public enum FakeFeedError: Error, Sendable {
    case disconnected
}

/// A sleeper that returns at once and records every requested wait.
public final class RecordingSleeper: Sleeper {
    private let waits = Mutex<[Int64]>([])

    public init() {}

    public func sleep(milliseconds: Int64) async {
        waits.withLock { $0.append(milliseconds) }
        await Task.yield()
    }

    public var requested: [Int64] { waits.withLock { $0 } }
}
