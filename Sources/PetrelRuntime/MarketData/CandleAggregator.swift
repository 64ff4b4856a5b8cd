import PetrelCore

/// Builds closed candles of one timeframe from trades or quotes, for venues that stream only those.
///
/// - A candle closes when a tick of a later bucket arrives or when ``close(upTo:)`` is told the
///   bucket has ended (a timer, for quiet markets).
/// - Buckets without a tick between two candles become flat candles at the last close with zero
///   volume, as venues report them.
/// - The bucket the first tick falls into is partial (trades before the subscription are missing),
///   so it is not emitted unless that tick opened it; the market-data service back-fills it.
/// - Ticks older than the forming bucket, and non-positive prices, are counted and ignored.
public struct CandleAggregator: Sendable {
    public let timeframe: Timeframe
    /// The candle being formed, if any.
    public private(set) var forming: Candle?
    /// Whether ``forming`` started after its bucket opened (it will not be emitted).
    public private(set) var formingIsPartial = false
    /// The close of the last emitted candle.
    public private(set) var lastClose: Price?
    /// Ticks ignored because they were older than the forming bucket or had no valid price.
    public private(set) var ignoredTicks = 0

    public init(timeframe: Timeframe) {
        self.timeframe = timeframe
    }

    /// Adds a trade.
    /// - Returns: the candles it closed, oldest first.
    public mutating func add(_ trade: TradeTick) -> [Candle] {
        add(price: trade.price, volume: trade.quantity, at: trade.timestamp)
    }

    /// Adds a quote: its last trade price when positive, else the mid; no volume. A crossed or empty
    /// book is ignored.
    /// - Returns: the candles it closed, oldest first.
    public mutating func add(_ quote: Quote) -> [Candle] {
        if quote.last.isPositive { return add(price: quote.last, volume: .zero, at: quote.timestamp) }
        guard !quote.isCrossed else {
            ignoredTicks += 1
            return []
        }
        return add(price: quote.mid, volume: .zero, at: quote.timestamp)
    }

    /// Adds one price print.
    /// - Returns: the candles it closed, oldest first.
    public mutating func add(price: Price, volume: Quantity, at timestamp: Int64) -> [Candle] {
        guard price.isPositive, !volume.isNegative else {
            ignoredTicks += 1
            return []
        }
        let bucket = timeframe.bucketStart(containing: timestamp)
        if var candle = forming, bucket == candle.timestamp {
            candle.high = Swift.max(candle.high, price)
            candle.low = Swift.min(candle.low, price)
            candle.close = price
            candle.volume = (try? candle.volume.adding(volume)) ?? candle.volume
            forming = candle
            return []
        }
        let isFirst = forming == nil && lastClose == nil
        if let candle = forming, bucket < candle.timestamp {
            ignoredTicks += 1
            return []
        }
        if forming == nil, let next = nextOpen, bucket < next {
            ignoredTicks += 1
            return []
        }
        let closed = closeBuckets(before: bucket)
        forming = Candle(timestamp: bucket, open: price, high: price, low: price, close: price, volume: volume)
        formingIsPartial = isFirst && timestamp != bucket
        return closed
    }

    /// Closes every bucket that ended at or before `now`: the forming candle, and flat candles for
    /// buckets without a tick.
    /// - Returns: the closed candles, oldest first.
    public mutating func close(upTo now: Int64) -> [Candle] {
        let current = timeframe.bucketStart(containing: now)
        if let candle = forming, candle.timestamp >= current { return [] }
        return closeBuckets(before: current)
    }

    /// When the next candle will be due if no later tick arrives (the end of the forming bucket, or of
    /// the first bucket not yet emitted), if any.
    public var nextCloseAt: Int64? {
        if let candle = forming { return timeframe.nextBucket(after: candle.timestamp) }
        return nextOpen.map { timeframe.nextBucket(after: $0) }
    }

    /// The first bucket after the last emitted candle (when no candle is forming).
    private var nextOpen: Int64?

    /// Emits the forming candle (unless partial) and flat candles for the buckets before `bucket`.
    private mutating func closeBuckets(before bucket: Int64) -> [Candle] {
        var closed: [Candle] = []
        if let candle = forming {
            if !formingIsPartial { closed.append(candle) }
            lastClose = candle.close
            nextOpen = timeframe.nextBucket(after: candle.timestamp)
            forming = nil
            formingIsPartial = false
        }
        guard let close = lastClose, var next = nextOpen else { return closed }
        while next < bucket {
            closed.append(Candle(timestamp: next, open: close, high: close, low: close, close: close, volume: .zero))
            next = timeframe.nextBucket(after: next)
        }
        nextOpen = next
        return closed
    }
}
