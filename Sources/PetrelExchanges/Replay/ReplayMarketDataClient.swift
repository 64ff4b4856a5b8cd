import PetrelCore
import PetrelMarketData
import PetrelRuntime
import Synchronization

/// Replays recorded candles as a live market (seed 002's `replay` data source, and the built-in
/// simulated market): at full speed or at a multiple of real time.
///
/// History queries only see candles that have already been replayed, as a live venue only knows the
/// past. Quotes are derived from the last replayed close with a fixed relative spread.
public final class ReplayMarketDataClient: MarketDataClient {
    struct State {
        /// Candles replayed so far (the next live candle is `candles[cursor]`).
        var cursor: Int
    }

    public let venue: String
    public let symbol: Symbol
    public let timeframe: Timeframe
    let candles: [Candle]
    let speed: Double
    let spread: FixedPoint
    let sleeper: any Sleeper
    private let state: Mutex<State>

    /// Creates a replay.
    /// - Parameters:
    ///   - venue: the name bots use for this source (`replay`, `simulated`).
    ///   - series: the candles to replay; symbol and timeframe must be known.
    ///   - start: how many candles count as already past (available as warm-up history).
    ///   - speed: multiple of real time (1 = one candle per timeframe); 0 replays as fast as possible.
    ///   - spreadFraction: quoted bid/ask distance from the close, e.g. 0.0001 = 1 bp each side.
    ///   - sleeper: how the replay waits between candles.
    /// - Throws: ``ReplayError`` for a series without symbol or timeframe, or a negative speed.
    public init(
        venue: String = "replay", series: CandleSeries, start: Int = 0, speed: Double = 0,
        spreadFraction: Double = 0.0001,
        sleeper: any Sleeper = TaskSleeper()
    ) throws(ReplayError) {
        guard let symbol = series.symbol else { throw .missing("symbol", series.source) }
        guard let timeframe = series.timeframe else { throw .missing("timeframe", series.source) }
        guard speed >= 0, speed.isFinite else { throw .invalidSpeed(speed) }
        guard (0...series.candles.count).contains(start) else {
            throw .invalidStart(start, count: series.candles.count)
        }
        guard spreadFraction >= 0, spreadFraction < 0.5, let spread = try? FixedPoint(approximating: spreadFraction)
        else {
            throw .invalidSpread(spreadFraction)
        }
        self.venue = venue
        self.symbol = symbol
        self.timeframe = timeframe
        self.candles = series.candles
        self.speed = speed
        self.spread = spread
        self.sleeper = sleeper
        self.state = Mutex(State(cursor: start))
    }

    /// Where a bot's replay starts: after the last candle it has already processed (a restart), or
    /// after `lookback` candles of warm-up history (a first start).
    /// - Parameters:
    ///   - candles: the series, oldest first.
    ///   - lastProcessed: open time of the bot's newest processed candle (``BotJournal/lastCandleTime(bot:)``).
    ///   - lookback: warm-up candles of a first start.
    /// - Returns: a `start` for ``init(venue:series:start:speed:spreadFraction:sleeper:)``.
    /// - Complexity: O(log n).
    public static func resumeIndex(in candles: [Candle], after lastProcessed: Int64?, lookback: Int) -> Int {
        guard let lastProcessed else { return min(max(0, lookback), candles.count) }
        var low = 0
        var high = candles.count
        while low < high {
            let middle = (low + high) / 2
            if candles[middle].timestamp > lastProcessed { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Candles replayed so far.
    public var replayed: Int { state.withLock { $0.cursor } }

    /// Whether every candle has been replayed.
    public var isFinished: Bool { replayed >= candles.count }

    /// A replay is exhausted once every candle has been delivered.
    public func isExhausted() async -> Bool { isFinished }

    public func candles(symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int)
        async throws(ExecutionError) -> [Candle]
    {
        try check(symbol, timeframe)
        let past = candles[..<replayed]
        let matching = past.filter { $0.timestamp >= (from ?? .min) && $0.timestamp < (to ?? .max) }
        return from == nil ? Array(matching.suffix(max(0, limit))) : Array(matching.prefix(max(0, limit)))
    }

    public func candleStream(symbol: Symbol, timeframe: Timeframe) -> AsyncThrowingStream<Candle, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try self.check(symbol, timeframe)
                    while let candle = self.advance() {
                        if self.speed > 0 {
                            await self.sleeper.sleep(
                                milliseconds: Int64((Double(self.timeframe.milliseconds) / self.speed).rounded()))
                            try Task.checkCancellation()
                        }
                        continuation.yield(candle)
                        await Task.yield()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Moves the cursor one candle forward and returns that candle, or `nil` at the end.
    func advance() -> Candle? {
        state.withLock { state in
            guard state.cursor < candles.count else { return nil }
            defer { state.cursor += 1 }
            return candles[state.cursor]
        }
    }

    public func quote(symbol: Symbol) async throws(ExecutionError) -> Quote {
        guard symbol == self.symbol else { throw .rejected("\(venue) replays \(self.symbol), not \(symbol)") }
        let index = replayed - 1
        guard index >= 0 else { throw .retryable("\(venue) has not replayed any candle yet") }
        return quote(for: candles[index])
    }

    public func quoteStream(symbol: Symbol) -> AsyncThrowingStream<Quote, any Error> {
        let candles = candleStream(symbol: symbol, timeframe: timeframe)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await candle in candles { continuation.yield(self.quote(for: candle)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Bid and ask around `candle.close` at the configured spread, on the close's decimal grid.
    func quote(for candle: Candle) -> Quote {
        let offset = (try? candle.close.multiplied(by: spread, rounding: .up)) ?? .zero
        let bid = candle.close - offset
        return Quote(
            symbol: symbol, bid: bid.isPositive ? bid : candle.close, ask: candle.close + offset, last: candle.close,
            timestamp: candle.timestamp + timeframe.milliseconds)
    }

    func check(_ symbol: Symbol, _ timeframe: Timeframe) throws(ExecutionError) {
        guard symbol == self.symbol, timeframe == self.timeframe else {
            throw .rejected(
                "\(venue) replays \(self.symbol) \(self.timeframe.rawValue), not \(symbol) \(timeframe.rawValue)")
        }
    }
}

/// A replay that cannot be set up.
public enum ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(String, String)
    case invalidSpeed(Double)
    case invalidStart(Int, count: Int)
    case invalidSpread(Double)

    public var description: String {
        switch self {
        case .missing(let what, let source):
            return "\(source): the replay needs a \(what); name the file exchange_SYMBOL_tf_period.csv or pass it"
        case .invalidSpeed(let speed): return "replay speed \(speed) must be 0 (as fast as possible) or positive"
        case .invalidStart(let start, let count): return "replay start \(start) must be from 0 to \(count)"
        case .invalidSpread(let spread): return "replay spread \(spread) must be from 0 to below 0.5"
        }
    }
}
