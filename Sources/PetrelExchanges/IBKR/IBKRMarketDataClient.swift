import Foundation
import PetrelCore
import PetrelRuntime

/// IBKR's gateway as a market-data source for bots (`"data_source": "ibkr"`), over REST: bars from
/// `GET /iserver/marketdata/history` (regular trading hours), closed bars by polling it, and quotes by
/// polling snapshots (bid 84, ask 86, last 31). The gateway's WebSocket is not used.
///
/// - The bar still forming is always dropped: a bar counts once its open time plus the timeframe has passed.
/// - One history answer holds at most ``IBKRClient/maxHistoryPoints`` bars and is asked for by a `period`
///   back from now (no `startTime`): history is not paged, so warm-up and back-fill reach at most about
///   1,000 bars back.
/// - A failed poll ends the stream with its error, so the market-data service waits `retry_interval`,
///   back-fills and starts again. A halted stock (a price marked `H`) has no quote: ``quote(symbol:)``
///   throws, ``quoteStream(symbol:)`` yields nothing until it trades again.
public struct IBKRMarketDataClient: MarketDataClient {
    public let venue = "ibkr"
    public let client: IBKRClient
    let sleeper: any Sleeper
    /// How often a snapshot is asked for a new quote (ms).
    public let quoteInterval: Int64

    public init(client: IBKRClient, quoteInterval: Int64 = 2_000, sleeper: any Sleeper = TaskSleeper()) {
        self.client = client
        self.quoteInterval = quoteInterval
        self.sleeper = sleeper
    }

    /// How often the history is asked for a newly closed bar: a twelfth of the timeframe, 15 s to 60 s
    /// (IBKR treats identical history requests within 15 s as a pacing violation).
    public static func pollInterval(_ timeframe: Timeframe) -> Int64 {
        min(60_000, max(15_000, timeframe.milliseconds / 12))
    }

    /// IBKR's bar for `timeframe`.
    /// - Throws: ``ExecutionError/fatal(_:)`` for a timeframe IBKR has no bars of.
    static func bar(_ timeframe: Timeframe) throws(ExecutionError) -> String {
        guard let bar = IBKRClient.bar(timeframe) else {
            throw .fatal("ibkr has no \(timeframe.rawValue) bars (use 1m 3m 5m 15m 30m 1h 2h 4h 8h 1d 1w or 1M)")
        }
        return bar
    }

    /// The stock's contract id.
    func conid(_ symbol: Symbol) async throws(ExecutionError) -> Int64 {
        guard symbol.kind == .spot else { throw .fatal("ibkr serves stocks only, not \(symbol)") }
        return try await client.conid(for: symbol.base)
    }

    /// The closed bars opened in the last `span` ms.
    func closedBars(_ conid: Int64, _ timeframe: Timeframe, span: Int64) async throws(ExecutionError) -> [Candle] {
        let bar = try Self.bar(timeframe)
        let capped = min(span, Int64(IBKRClient.maxHistoryPoints) * timeframe.milliseconds)
        let bars = try await client.history(conid: conid, period: IBKRClient.period(milliseconds: capped), bar: bar)
        let now = client.now()
        return bars.filter { $0.timestamp + timeframe.milliseconds <= now }
    }

    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        guard limit > 0 else { return [] }
        let conid = try await conid(symbol)
        let now = client.now()
        let end = to ?? now + timeframe.milliseconds
        if let from {
            let bars = try await closedBars(conid, timeframe, span: now - from + timeframe.milliseconds)
            return Array(bars.filter { $0.timestamp >= from && $0.timestamp < end }.prefix(limit))
        }
        // The latest `limit`: markets close (nights, weekends), so the period widens until it holds enough.
        var span = Int64(limit + 1) * timeframe.milliseconds
        var result: [Candle] = []
        for _ in 0..<4 {
            result = try await closedBars(conid, timeframe, span: span).filter { $0.timestamp < end }
            if result.count >= limit || span >= Int64(IBKRClient.maxHistoryPoints) * timeframe.milliseconds { break }
            span *= 3
        }
        return Array(result.suffix(limit))
    }

    /// Closed bars as they appear, by polling the history every ``pollInterval(_:)``: until a bar is seen,
    /// the last day (at least three bars); then from the bar after the last one yielded.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        let client = self.client
        let start = client.now() - max(3 * timeframe.milliseconds, 86_400_000)
        return PolledFeed.candles(sleeper: sleeper, interval: { Self.pollInterval(timeframe) }) { [self] last in
            let conid = try await conid(symbol)
            let now = client.now()
            // From the bar after the last one yielded; a market closed for long (a holiday) must not grow the
            // period past one answer.
            let from = max(
                last.map { timeframe.nextBucket(after: $0) } ?? start,
                now - Int64(IBKRClient.maxHistoryPoints) * timeframe.milliseconds)
            let bars = try await closedBars(conid, timeframe, span: now - from + timeframe.milliseconds)
            return bars.filter { $0.timestamp >= from }
        }
    }

    /// The stock's bid, ask and last from a snapshot, or `nil` while it is halted.
    /// - Throws: ``ExecutionError/retryable(_:)`` when the snapshot has no bid or ask.
    func currentQuote(_ symbol: Symbol, conid: Int64) async throws(ExecutionError) -> Quote? {
        let snapshot = try await client.snapshot(conid: conid)
        if snapshot.halted { return nil }
        guard let bid = snapshot.bid, let ask = snapshot.ask else {
            throw .retryable("ibkr \(symbol.base): the snapshot has no bid and ask (the market may be closed)")
        }
        var quote = Quote(symbol: symbol, bid: bid, ask: ask, last: bid, timestamp: snapshot.updated ?? client.now())
        quote.last = snapshot.last ?? quote.mid
        return quote
    }

    /// The current bid, ask and last (the snapshot's pre-flight handled by ``IBKRClient/snapshot(conid:)``).
    /// - Throws: ``ExecutionError/retryable(_:)`` while the stock is halted or has no bid and ask.
    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        guard let quote = try await currentQuote(symbol, conid: try await conid(symbol)) else {
            throw .retryable("ibkr \(symbol.base): trading is halted; there is no quote until it trades again")
        }
        return quote
    }

    /// Quotes by polling snapshots every ``quoteInterval``; each change is yielded, a halted stock's
    /// snapshots are skipped.
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        PolledFeed.quotes(sleeper: sleeper, interval: quoteInterval) { [self] in
            try await currentQuote(symbol, conid: try await conid(symbol))
        }
    }
}
