/// How much of a run the strategy held a position, for the exposure-time statistic.
public enum TimeInMarket: Sendable, Hashable, Codable {
    /// Bars with an open position at their close, out of all bars of the run.
    case bars(inMarket: Int, total: Int)
    /// Milliseconds with an open position, out of the run's length.
    case duration(inMarketMilliseconds: Int64, totalMilliseconds: Int64)

    /// The fraction of the run spent in the market, in 0…1.
    /// - Returns: `inMarket / total` clamped to 0…1, or `nil` when the total is not positive.
    /// - Complexity: O(1).
    public var fraction: Double? {
        switch self {
        case .bars(let inMarket, let total):
            guard total > 0 else { return nil }
            return Swift.min(Swift.max(Double(inMarket) / Double(total), 0), 1)
        case .duration(let inMarket, let total):
            guard total > 0 else { return nil }
            return Swift.min(Swift.max(Double(inMarket) / Double(total), 0), 1)
        }
    }

    /// Time in the market from the trades' holding intervals, clipped to the run
    /// `[start, end]`; overlapping trades (several symbols, pyramiding) count once.
    /// - Parameters:
    ///   - trades: closed trades, in any order.
    ///   - start: first timestamp of the run (Unix ms).
    ///   - end: last timestamp of the run (Unix ms).
    /// - Returns: a ``duration(inMarketMilliseconds:totalMilliseconds:)`` value.
    /// - Complexity: O(n log n); sorts a copy of the intervals.
    public static func fromTrades(_ trades: [TradeOutcome], start: Int64, end: Int64) -> TimeInMarket {
        var intervals: [(start: Int64, end: Int64)] = []
        intervals.reserveCapacity(trades.count)
        for trade in trades {
            let from = Swift.max(trade.entryTime, start)
            let to = Swift.min(trade.exitTime, end)
            if to > from { intervals.append((from, to)) }
        }
        intervals.sort { $0.start < $1.start }
        var covered: Int64 = 0
        var current: (start: Int64, end: Int64)?
        for interval in intervals {
            if let open = current, interval.start <= open.end {
                current = (open.start, Swift.max(open.end, interval.end))
            } else {
                if let open = current { covered += open.end - open.start }
                current = interval
            }
        }
        if let open = current { covered += open.end - open.start }
        return .duration(inMarketMilliseconds: covered, totalMilliseconds: Swift.max(end - start, 0))
    }
}
