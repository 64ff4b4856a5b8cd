import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

/// Yahoo as a market-data source for bots (`"data_source": "yahoo"`): history from the chart endpoint, and
/// closed candles by polling it (Yahoo has no stream). A poll runs every twelfth of the timeframe (5 s for
/// 1-minute bars), at most once a minute; a failed poll ends the stream with its error, so the
/// market-data service waits `retry_interval`, back-fills and starts again.
///
/// Yahoo's ticker of a symbol is found on first use: the pair (`BTC/USD` → `BTC-USD`, crypto and
/// currencies); when Yahoo does not know it, the base alone in the quote's currency (`AAPL/USD` → `AAPL`,
/// equities), taken only when Yahoo quotes it in that currency.
public struct YahooMarketDataClient: MarketDataClient {
    public let venue = "yahoo"
    public let client: YahooClient
    let sleeper: any Sleeper
    let tickers = Tickers()

    /// Yahoo tickers found so far.
    final class Tickers: Sendable {
        let known = Mutex<[Symbol: String]>([:])
    }

    public init(client: YahooClient, sleeper: any Sleeper = TaskSleeper()) {
        self.client = client
        self.sleeper = sleeper
    }

    /// Yahoo's ticker for `symbol`: the pair if Yahoo has it, else the base in the quote's currency.
    /// - Throws: ``ExecutionError/fatal(_:)`` when Yahoo has neither.
    public func ticker(_ symbol: Symbol, _ timeframe: Timeframe) async throws(ExecutionError) -> String {
        if let known = tickers.known.withLock({ $0[symbol] }) { return known }
        let pair = symbol.venueSpelling(.dashed)
        let now = client.now()
        let from = now - 2 * timeframe.milliseconds
        let found: String
        do {
            _ = try await client.chart(ticker: pair, timeframe: timeframe, from: from, to: now)
            found = pair
        } catch .fatal(let why) where symbol.kind == .spot {
            let (_, currency) = try await client.chart(ticker: symbol.base, timeframe: timeframe, from: from, to: now)
            guard currency?.uppercased() == symbol.quote else {
                throw .fatal(
                    "yahoo knows neither \(pair) (\(why)) nor \(symbol.base) in \(symbol.quote) (it quotes \(symbol.base) in \(currency ?? "no currency"))"
                )
            }
            found = symbol.base
        }
        tickers.known.withLock { $0[symbol] = found }
        return found
    }

    /// How often the chart is asked for a new bar.
    public static func pollInterval(_ timeframe: Timeframe) -> Int64 {
        min(60_000, max(5_000, timeframe.milliseconds / 12))
    }

    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        guard limit > 0 else { return [] }
        let end = to ?? client.now() + timeframe.milliseconds
        let ticker = try await ticker(symbol, timeframe)
        if let from {
            var result: [Candle] = []
            do {
                _ = try await client.history(ticker: ticker, timeframe: timeframe, from: from, to: end) {
                    result += $0
                }
            } catch {
                throw (error as? ExecutionError) ?? .retryable("\(error)")
            }
            return Array(result.prefix(limit))
        }
        // The latest `limit`: markets close (nights, weekends), so the window widens until it holds enough.
        var span = Int64(limit + 1) * timeframe.milliseconds
        var result: [Candle] = []
        for _ in 0..<4 {
            result = []
            do {
                _ = try await client.history(ticker: ticker, timeframe: timeframe, from: end - span, to: end) {
                    result += $0
                }
            } catch {
                throw (error as? ExecutionError) ?? .retryable("\(error)")
            }
            if result.count >= limit { break }
            span *= 3
        }
        return Array(result.suffix(limit))
    }

    /// Closed candles as they appear, by polling: until a bar is seen the last three whole buckets
    /// (aligned, so a bar is never cut off), then from the bucket after the last one yielded.
    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        let client = self.client
        return PolledFeed.candles(sleeper: sleeper, interval: { Self.pollInterval(timeframe) }) { [self] last in
            let ticker = try await ticker(symbol, timeframe)
            let now = client.now()
            let from =
                last.map { timeframe.nextBucket(after: $0) }
                ?? timeframe.bucketStart(containing: now) - 3 * timeframe.milliseconds
            return try await client.chart(
                ticker: ticker, timeframe: timeframe, from: from, to: now + timeframe.milliseconds
            ).candles
        }
    }

    /// The latest close as bid, ask and last (Yahoo has no book).
    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        let ticker = try await ticker(symbol, .m1)
        let now = client.now()
        let (candles, _) = try await client.chart(ticker: ticker, timeframe: .m1, from: now - 86_400_000, to: now)
        guard let last = candles.last else { throw .retryable("yahoo \(ticker): no bar in the last day") }
        return Quote(symbol: symbol, bid: last.close, ask: last.close, last: last.close, timestamp: last.timestamp)
    }

    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ExecutionError.fatal("yahoo does not stream quotes")) }
    }
}
