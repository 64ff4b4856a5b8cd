import PetrelCore
import PetrelRuntime
import Synchronization

/// A market data source whose quotes the test sets per symbol, and whose quote calls it can make
/// fail per symbol: a multi-pair quote feed for the portfolio bot's scenarios. It has no candles.
public final class ScriptedQuoteClient: MarketDataClient {
    struct State {
        var quotes: [Symbol: Quote] = [:]
        var failures: [Symbol: ExecutionError] = [:]
        var calls: [Symbol: Int] = [:]
    }

    /// The source's name (`scripted` by default).
    public let venue: String
    private let state = Mutex(State())

    /// Creates a source without quotes.
    /// - Parameter venue: the name the market data service knows it by.
    public init(venue: String = "scripted") {
        self.venue = venue
    }

    /// Makes `quotes` the current quotes of their symbols.
    /// - Parameter quotes: one quote per symbol.
    public func set(_ quotes: [Quote]) {
        state.withLock { state in
            for quote in quotes { state.quotes[quote.symbol] = quote }
        }
    }

    /// Makes every quote call for `symbol` fail with `error` until ``recover(_:)``.
    /// - Parameters:
    ///   - symbol: the pair.
    ///   - error: the failure (a 503 by default).
    public func fail(_ symbol: Symbol, with error: ExecutionError = .retryable("503 service unavailable")) {
        state.withLock { $0.failures[symbol] = error }
    }

    /// Ends the failure of `symbol`.
    /// - Parameter symbol: the pair.
    public func recover(_ symbol: Symbol) {
        state.withLock { $0.failures[symbol] = nil }
    }

    /// Quote calls made for `symbol` so far.
    /// - Parameter symbol: the pair.
    public func calls(for symbol: Symbol) -> Int { state.withLock { $0.calls[symbol] ?? 0 } }

    /// No history: an empty list.
    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    { [] }

    /// A stream that ends at once.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    /// The scripted quote of `symbol`.
    /// - Throws: the scripted failure, or a retryable error when no quote was set.
    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        let (quote, failure) = state.withLock { state -> (Quote?, ExecutionError?) in
            state.calls[symbol, default: 0] += 1
            return (state.quotes[symbol], state.failures[symbol])
        }
        if let failure { throw failure }
        guard let quote else { throw .retryable("no quote scripted for \(symbol)") }
        return quote
    }

    /// A stream that ends at once.
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        AsyncThrowingStream { $0.finish() }
    }
}
