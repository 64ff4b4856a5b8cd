import Foundation
import PetrelCore
import PetrelRuntime

/// OKX as a market-data source for bots (`"data_source": "okx"`), over REST: history from the candle
/// endpoints (paged backwards, newest first at OKX), closed candles by polling `/api/v5/market/candles`, and
/// quotes by polling `/api/v5/market/ticker`. The public WebSocket is not used. A failed poll ends the
/// stream with its error, so the market-data service waits `retry_interval`, back-fills and starts again.
public struct OKXMarketDataClient: MarketDataClient {
    public let venue = "okx"
    public let client: OKXClient
    let sleeper: any Sleeper
    /// How often the ticker is asked for a new quote (ms).
    public let quoteInterval: Int64

    public init(client: OKXClient, quoteInterval: Int64 = 2_000, sleeper: any Sleeper = TaskSleeper()) {
        self.client = client
        self.quoteInterval = quoteInterval
        self.sleeper = sleeper
    }

    /// How often the candles are asked for a newly closed one: a thirtieth of the timeframe, 2 s to 30 s.
    public static func pollInterval(_ timeframe: Timeframe) -> Int64 {
        min(30_000, max(2_000, timeframe.milliseconds / 30))
    }

    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        guard limit > 0 else { return [] }
        let end = to ?? client.now() + timeframe.milliseconds
        if let from {
            var result: [Candle] = []
            do {
                try await client.history(symbol: symbol, timeframe: timeframe, from: from, to: end) { result += $0 }
            } catch {
                throw (error as? ExecutionError) ?? .retryable("\(error)")
            }
            return Array(result.prefix(limit))
        }
        // The latest `limit`, page by page backwards.
        var result: [Candle] = []
        var cursor = end
        while result.count < limit {
            let page = try await client.candles(symbol: symbol, timeframe: timeframe, openedBefore: cursor)
            guard let oldest = page.first, oldest.timestamp < cursor else { break }
            result.insert(contentsOf: page, at: 0)
            cursor = oldest.timestamp
        }
        return Array(result.suffix(limit))
    }

    /// Closed candles as they appear, by polling the latest few.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        let client = self.client
        return PolledFeed.candles(sleeper: sleeper, interval: { Self.pollInterval(timeframe) }) { _ in
            try await client.candles(symbol: symbol, timeframe: timeframe, openedBefore: nil, limit: 5, recent: true)
        }
    }

    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        try await client.quote(symbol)
    }

    /// Quotes by polling the ticker every ``quoteInterval``; each change is yielded.
    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        let client = self.client
        return PolledFeed.quotes(sleeper: sleeper, interval: quoteInterval) { try await client.quote(symbol) }
    }
}
