import PetrelCore

/// The slow stochastic oscillator, exactly as TA-Lib's `STOCH` with SMA smoothing.
///
/// - Fast %K: `100 · (close − lowest low) / (highest high − lowest low)` over the last
///   `fastKPeriod` bars (0 when the range is 0, as TA-Lib). Highest/lowest use monotonic deques.
///   The ratio is taken before scaling, so a close at the high gives exactly 100.
/// - Slow %K (``Value/k``): the SMA of fast %K over `slowKPeriod`.
/// - Slow %D (``Value/d``): the SMA of slow %K over `slowDPeriod`.
/// - Warm-up: the first value is at input index `fastK + slowK + slowD − 3` (17 for 14/3/3;
///   TA-Lib lookback).
public struct Stochastic: CandleIndicator {
    /// One stochastic reading.
    public struct Value: Sendable, Hashable, Codable {
        /// Slow %K, 0 … 100.
        public var k: Double
        /// Slow %D (the SMA of slow %K), 0 … 100.
        public var d: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - k: slow %K.
        ///   - d: slow %D.
        public init(k: Double, d: Double) {
            self.k = k
            self.d = d
        }
    }

    /// Bars in the highest-high/lowest-low window.
    public let fastKPeriod: Int
    /// SMA period smoothing fast %K into slow %K.
    public let slowKPeriod: Int
    /// SMA period smoothing slow %K into slow %D.
    public let slowDPeriod: Int
    @usableFromInline var highest: RollingMaximum
    @usableFromInline var lowest: RollingMinimum
    @usableFromInline var barsSeen: Int = 0
    @usableFromInline var slowK: SMA
    @usableFromInline var slowD: SMA
    @usableFromInline var current: Value?

    /// Creates a slow stochastic.
    /// - Parameters:
    ///   - fastKPeriod: high/low window, at least 1.
    ///   - slowKPeriod: %K smoothing, at least 1.
    ///   - slowDPeriod: %D smoothing, at least 1.
    public init(fastKPeriod: Int = 14, slowKPeriod: Int = 3, slowDPeriod: Int = 3) {
        precondition(fastKPeriod >= 1, "Stochastic fast %K period must be at least 1, got \(fastKPeriod)")
        precondition(slowKPeriod >= 1, "Stochastic slow %K period must be at least 1, got \(slowKPeriod)")
        precondition(slowDPeriod >= 1, "Stochastic slow %D period must be at least 1, got \(slowDPeriod)")
        self.fastKPeriod = fastKPeriod
        self.slowKPeriod = slowKPeriod
        self.slowDPeriod = slowDPeriod
        highest = RollingMaximum(window: fastKPeriod)
        lowest = RollingMinimum(window: fastKPeriod)
        slowK = SMA(period: slowKPeriod)
        slowD = SMA(period: slowDPeriod)
    }

    /// `fastK + slowK + slowD − 2` (18 for 14/3/3).
    public var warmUpPeriod: Int { fastKPeriod + slowKPeriod + slowDPeriod - 2 }

    /// The latest reading, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: slow %K and %D, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value? {
        let top = highest.push(high)
        let bottom = lowest.push(low)
        if barsSeen < fastKPeriod {
            barsSeen += 1
            if barsSeen < fastKPeriod { return nil }
        }
        let range = top - bottom
        let fastK = range != 0 ? 100 * ((close - bottom) / range) : 0
        guard let k = slowK.update(fastK), let d = slowD.update(k) else { return nil }
        let reading = Value(k: k, d: d)
        current = reading
        return reading
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new reading, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        highest.removeAll()
        lowest.removeAll()
        barsSeen = 0
        slowK.reset()
        slowD.reset()
        current = nil
    }
}
