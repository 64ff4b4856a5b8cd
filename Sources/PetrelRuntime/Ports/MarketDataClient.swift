import PetrelCore

/// The port through which candles and quotes arrive: a venue adapter, file replay, the simulated
/// market or a test fake.
public protocol MarketDataClient: Sendable {
    /// The source's name (`binance`, `replay`, `simulated`, …).
    var venue: String { get }

    /// Closed candles of `symbol` and `timeframe`, oldest first, at most `limit`, with open times
    /// in `[from, to)` when given (warm-up history and gap back-fill).
    func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError)
        -> [Candle]

    /// Closed candles as they complete; the stream finishes with an error when the feed drops (the
    /// market-data service reconnects and back-fills).
    func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error>

    /// The current best bid/ask/last.
    func quote(symbol: Symbol) async throws(ExecutionError) -> Quote

    /// Quotes as they change.
    func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error>

    /// Whether the source has nothing more to deliver, ever (a finished file replay). Live venues
    /// answer `false`; the market-data service then reconnects instead of ending the feed.
    func isExhausted() async -> Bool

    /// What the source streams live. For ``LiveFeedKind/trades`` and ``LiveFeedKind/quotes`` the
    /// market-data service builds the candles itself (``CandleAggregator``); ``candles(symbol:timeframe:from:to:limit:)``
    /// still serves history and back-fill.
    var liveFeed: LiveFeedKind { get }

    /// Trades as they happen (sources whose ``liveFeed`` is ``LiveFeedKind/trades``).
    func tradeStream(symbol: Symbol) -> AsyncThrowingStream<TradeTick, any Error>
}

/// What a market-data source streams live.
public enum LiveFeedKind: String, Sendable, Hashable, CaseIterable {
    /// Closed candles (``MarketDataClient/candleStream(symbol:timeframe:)``).
    case candles
    /// Individual trades only; candles are built from them.
    case trades
    /// Best bid/ask (and last) only; candles are built from the last price, or the mid.
    case quotes
}

extension MarketDataClient {
    public func isExhausted() async -> Bool { false }

    public var liveFeed: LiveFeedKind { .candles }

    public func tradeStream(symbol: Symbol) -> AsyncThrowingStream<TradeTick, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ExecutionError.fatal("\(venue) does not stream trades")) }
    }
}
