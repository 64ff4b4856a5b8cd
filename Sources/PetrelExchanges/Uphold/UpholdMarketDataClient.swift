import PetrelCore
import PetrelRuntime

/// Uphold's tickers as a quote source for seed 000's portfolio bot: each ``quote(symbol:)`` reads
/// `GET /v0/ticker/BASE-QUOTE` (bid and ask; the last price is their mid, rounded half-even to 8 decimals,
/// since Uphold reports no trades). Uphold has no candles: ``candles(symbol:timeframe:from:to:limit:)`` is
/// empty and ``quoteStream(symbol:)`` polls the ticker every ``quoteInterval`` ms.
public struct UpholdMarketDataClient: MarketDataClient {
    public let venue = "uphold"
    public let client: UpholdClient
    let sleeper: any Sleeper
    /// How often ``quoteStream(symbol:)`` asks for the ticker (ms).
    public let quoteInterval: Int64

    public init(client: UpholdClient, quoteInterval: Int64 = 2_000, sleeper: any Sleeper = TaskSleeper()) {
        self.client = client
        self.quoteInterval = quoteInterval
        self.sleeper = sleeper
    }

    public var liveFeed: LiveFeedKind { .quotes }

    /// The pair's bid and ask now, stamped with the local clock.
    /// - Throws: ``ExecutionError/rejected(_:)`` for a pair Uphold does not quote (its 404).
    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        let (bid, ask) = try await client.ticker(base: symbol.base, quote: symbol.quote)
        let mid: Price
        do {
            mid = try (bid + ask).divided(by: 2)
        } catch {
            throw .retryable("uphold ticker \(symbol): bid \(bid) and ask \(ask) have no mid (\(error))")
        }
        return Quote(symbol: symbol, bid: bid, ask: ask, last: mid, timestamp: client.now())
    }

    /// No history at Uphold.
    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    { [] }

    /// A stream that ends at once: Uphold has no candles (a quote-driven bot asks for quotes).
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    /// The ticker every ``quoteInterval`` ms; a failed read ends the stream with its error.
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Quote.self)
        let task = Task { [self] in
            do {
                while !Task.isCancelled {
                    continuation.yield(try await quote(symbol: symbol))
                    await sleeper.sleep(milliseconds: quoteInterval)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
