import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

/// Binance spot as a live market-data source (the `MarketDataClient` port): history and back-fill from
/// REST klines, closed candles from the kline stream, quotes from bookTicker (with the last trade's
/// price from the trade stream on the same combined connection), and trades.
public struct BinanceMarketDataClient: MarketDataClient {
    public let venue = "binance"
    public let client: BinanceClient
    public let streams: BinanceStreams

    public init(client: BinanceClient, streams: BinanceStreams) {
        self.client = client
        self.streams = streams
    }

    /// - Parameters:
    ///   - from: with `from`, the first `limit` closed candles from there; without, the latest `limit`
    ///     before `to` (or now).
    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        guard limit > 0 else { return [] }
        guard let from else { return try await latest(symbol: symbol, timeframe: timeframe, before: to, limit: limit) }
        var result: [Candle] = []
        var cursor = from
        while result.count < limit, cursor < (to ?? .max) {
            let page = try await client.klines(
                symbol: symbol, timeframe: timeframe, from: cursor, to: to,
                limit: min(BinanceClient.maxKlines, limit - result.count))
            guard let last = page.last else { break }
            result.append(contentsOf: page)
            cursor = last.timestamp + 1
        }
        return Array(result.prefix(limit))
    }

    /// The latest `limit` closed candles before `before` (or now), paging backwards.
    func latest(symbol: Symbol, timeframe: Timeframe, before: Int64?, limit: Int) async throws(ExecutionError)
        -> [Candle]
    {
        var result: [Candle] = []
        var upper = before
        while result.count < limit {
            // Without an end the kline still forming comes too and is left out: ask for one more.
            let want = min(BinanceClient.maxKlines, limit - result.count + (upper == nil ? 1 : 0))
            let page = try await client.klines(symbol: symbol, timeframe: timeframe, from: nil, to: upper, limit: want)
            let older = page.filter { $0.timestamp < (result.first?.timestamp ?? .max) }
            guard let first = older.first else { break }
            result = older + result
            upper = first.timestamp
        }
        return Array(result.suffix(limit))
    }

    /// Closed klines only (`x` true), as Binance closes them.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        let events = streams.events([BinanceStream(symbol, .kline(timeframe))])
        return Self.map(events) { event in
            if case .kline(_, let candle, closed: true, _) = event { return candle }
            return nil
        }
    }

    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        try await client.quote(symbol)
    }

    /// Best bid and ask as they change; `last` is the latest trade's price (the mid until one trades).
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        let events = streams.events([BinanceStream(symbol, .bookTicker), BinanceStream(symbol, .trade)])
        let lastTrade = Mutex<Price?>(nil)
        return Self.map(events) { event in
            switch event {
            case .trade(_, let tick):
                lastTrade.withLock { $0 = tick.price }
                return nil
            case .book(_, let bid, let bidSize, let ask, let askSize, let receivedAt):
                let mid = (try? (bid + ask).divided(by: FixedPoint(2))) ?? bid
                return Quote(
                    symbol: symbol, bid: bid, ask: ask, last: lastTrade.withLock { $0 } ?? mid, bidSize: bidSize,
                    askSize: askSize, timestamp: receivedAt)
            case .kline:
                return nil
            }
        }
    }

    public func tradeStream(symbol: Symbol) -> AsyncThrowingStream<TradeTick, any Error> {
        Self.map(streams.events([BinanceStream(symbol, .trade)])) { event in
            if case .trade(_, let tick) = event { return tick }
            return nil
        }
    }

    /// `events` with each turned into an element (or dropped); ends as `events` ends.
    static func map<Element: Sendable>(
        _ events: AsyncThrowingStream<BinanceStreamEvent, any Error>,
        _ transform: @escaping @Sendable (BinanceStreamEvent) -> Element?
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Element.self)
        let task = Task {
            do {
                for try await event in events {
                    if let element = transform(event) { continuation.yield(element) }
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
