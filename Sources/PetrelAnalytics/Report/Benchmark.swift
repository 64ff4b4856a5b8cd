import PetrelCore

/// The traded market over the run, for the buy-and-hold comparison.
public struct Benchmark: Sendable, Hashable, Codable {
    /// Close of the first bar of the run.
    public var firstClose: Double
    /// Close of the last bar of the run.
    public var lastClose: Double

    /// Creates a benchmark from two closes.
    /// - Parameters:
    ///   - firstClose: close of the first bar.
    ///   - lastClose: close of the last bar.
    /// - Complexity: O(1).
    public init(firstClose: Double, lastClose: Double) {
        self.firstClose = firstClose
        self.lastClose = lastClose
    }

    /// Creates a benchmark from exact prices.
    /// - Parameters:
    ///   - firstClose: close of the first bar.
    ///   - lastClose: close of the last bar.
    /// - Complexity: O(1).
    public init(firstClose: Price, lastClose: Price) {
        self.init(firstClose: firstClose.doubleValue, lastClose: lastClose.doubleValue)
    }

    /// Creates a benchmark from the first and last candle of the run.
    /// - Parameter candles: the run's candles in time order.
    /// - Returns: `nil` for an empty list.
    /// - Complexity: O(1).
    public init?(candles: [Candle]) {
        guard let first = candles.first, let last = candles.last else { return nil }
        self.init(firstClose: first.close, lastClose: last.close)
    }

    /// Buy-and-hold change of the market: `lastClose / firstClose − 1`.
    /// - Returns: the fraction, or `nil` when the first close is not positive.
    /// - Complexity: O(1).
    public var change: Double? {
        guard firstClose > 0 else { return nil }
        return Analytics.finite(lastClose / firstClose - 1)
    }
}
