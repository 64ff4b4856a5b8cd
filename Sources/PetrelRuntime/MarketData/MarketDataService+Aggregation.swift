import PetrelCore
import Synchronization

extension MarketDataService {
    /// The live closed candles of a feed: the source's own candles, or candles built from its trades
    /// or quotes.
    func liveCandles(_ key: CandleFeedKey, client: any MarketDataClient) -> AsyncThrowingStream<Candle, any Error> {
        switch client.liveFeed {
        case .candles:
            return client.candleStream(symbol: key.symbol, timeframe: key.timeframe)
        case .trades:
            return Self.aggregate(
                client.tradeStream(symbol: key.symbol), timeframe: key.timeframe, clock: clock, sleeper: sleeper,
                grace: configuration.candleCloseGraceMilliseconds
            ) { aggregator, trade in aggregator.add(trade) }
        case .quotes:
            return Self.aggregate(
                client.quoteStream(symbol: key.symbol), timeframe: key.timeframe, clock: clock, sleeper: sleeper,
                grace: configuration.candleCloseGraceMilliseconds
            ) { aggregator, quote in aggregator.add(quote) }
        }
    }

    /// Candles built from `ticks`: one task reads the ticks, another (when `grace` is set) closes a
    /// bucket `grace` ms after it ended if no later tick did. Both emit under one lock, so candles
    /// stay in order. The stream ends as `ticks` ends (with its error), so the feed reconnects.
    static func aggregate<Tick: Sendable>(
        _ ticks: AsyncThrowingStream<Tick, any Error>, timeframe: Timeframe, clock: any TradingClock,
        sleeper: any Sleeper, grace: Int64?,
        add: @escaping @Sendable (inout CandleAggregator, Tick) -> [Candle]
    ) -> AsyncThrowingStream<Candle, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Candle.self)
        let aggregator = SharedAggregator(CandleAggregator(timeframe: timeframe))
        let reader = Task {
            do {
                for try await tick in ticks {
                    aggregator.state.withLock { state in
                        for candle in add(&state, tick) { continuation.yield(candle) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let timer: Task<Void, Never>? = grace.map { grace in
            Task {
                while !Task.isCancelled {
                    let due = aggregator.state.withLock { $0.nextCloseAt }
                    // Nothing formed yet: look again in a bucket (or a second for long timeframes).
                    let wait = due.map { $0 + grace - clock.now() } ?? min(timeframe.milliseconds, 1_000)
                    await sleeper.sleep(milliseconds: max(1, wait))
                    if Task.isCancelled { return }
                    aggregator.state.withLock { state in
                        for candle in state.close(upTo: clock.now() - grace) { continuation.yield(candle) }
                    }
                }
            }
        }
        continuation.onTermination = { _ in
            reader.cancel()
            timer?.cancel()
        }
        return stream
    }
}

/// One aggregator shared by the tick reader and the closing timer.
final class SharedAggregator: Sendable {
    let state: Mutex<CandleAggregator>

    init(_ aggregator: CandleAggregator) {
        state = Mutex(aggregator)
    }
}
