import PetrelCore

/// A run of candles of one instrument and timeframe, with where they came from.
///
/// Load one with ``load(from:symbol:timeframe:)`` (CSV, gzip-compressed CSV or binary), build one
/// in memory, or generate one with ``SyntheticMarket``. Series loaded strictly are sorted by
/// timestamp without duplicates, which ``slice(from:to:)`` and ``resampled(to:)`` rely on.
public struct CandleSeries: Sendable, Hashable {
    /// The instrument, when known (given, stored in a binary file, or read from the file name).
    public var symbol: Symbol?
    /// The candle length, when known (given, stored, inferred from the timestamps or the file name).
    public var timeframe: Timeframe?
    /// The candles, oldest first.
    public var candles: [Candle]
    /// Where the candles came from: a file path, or a label such as `synthetic(seed: 42)`.
    public var source: String

    /// Creates a series.
    /// - Parameters:
    ///   - symbol: the instrument, if known.
    ///   - timeframe: the candle length, if known.
    ///   - candles: the candles, oldest first.
    ///   - source: a path or label for messages.
    public init(symbol: Symbol? = nil, timeframe: Timeframe? = nil, candles: [Candle], source: String = "memory") {
        self.symbol = symbol
        self.timeframe = timeframe
        self.candles = candles
        self.source = source
    }

    /// The number of candles.
    public var count: Int { candles.count }

    /// Whether there are no candles.
    public var isEmpty: Bool { candles.isEmpty }

    /// The candles whose timestamp lies in `from ..< to` (either bound may be open).
    ///
    /// Both ends are found by binary search, so the series must be sorted (as loaded series are).
    /// - Parameters:
    ///   - from: first open time to keep (Unix ms, inclusive), or `nil` for the start.
    ///   - to: open time to stop before (Unix ms, exclusive), or `nil` for the end.
    /// - Returns: a series with the same symbol, timeframe and source.
    /// - Complexity: O(log n + k) for k kept candles.
    public func slice(from: Int64? = nil, to: Int64? = nil) -> CandleSeries {
        let lower = from.map { firstIndex(atOrAfter: $0) } ?? 0
        let upper = max(lower, to.map { firstIndex(atOrAfter: $0) } ?? candles.count)
        if lower == 0 && upper == candles.count { return self }
        return CandleSeries(
            symbol: symbol, timeframe: timeframe, candles: Array(candles[lower..<upper]), source: source)
    }

    /// The index of the first candle with `timestamp >= value` (`count` if none).
    /// - Complexity: O(log n).
    public func firstIndex(atOrAfter value: Int64) -> Int {
        candles.firstIndex(atOrAfterTimestamp: value)
    }
}
