import PetrelCore

/// Donchian channels: the highest high and lowest low of the last `period` bars and their
/// midpoint.
///
/// - Formula: `upper = max(high)`, `lower = min(low)` over the last `period` bars including the
///   current one, `middle = (upper + lower) / 2` (TA-Lib `MAX(high)`, `MIN(low)` and
///   `MIDPRICE`). Extremes use monotonic deques.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib lookback `period − 1`).
public struct DonchianChannels: CandleIndicator {
    /// One channel reading.
    public struct Value: Sendable, Hashable, Codable {
        /// Highest high of the window.
        public var upper: Double
        /// `(upper + lower) / 2`.
        public var middle: Double
        /// Lowest low of the window.
        public var lower: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - upper: highest high.
        ///   - middle: midpoint.
        ///   - lower: lowest low.
        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    /// Number of bars in the window.
    public let period: Int
    @usableFromInline var highest: RollingMaximum
    @usableFromInline var lowest: RollingMinimum
    @usableFromInline var barsSeen: Int = 0
    @usableFromInline var current: Value?

    /// Creates Donchian channels.
    /// - Parameter period: window length, at least 1.
    public init(period: Int = 20) {
        precondition(period >= 1, "Donchian period must be at least 1, got \(period)")
        self.period = period
        highest = RollingMaximum(window: period)
        lowest = RollingMinimum(window: period)
    }

    /// `period`.
    public var warmUpPeriod: Int { period }

    /// The latest channel, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    /// - Returns: the new channel, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(high: Double, low: Double) -> Value? {
        let top = highest.push(high)
        let bottom = lowest.push(low)
        if barsSeen < period {
            barsSeen += 1
            if barsSeen < period { return nil }
        }
        let channel = Value(upper: top, middle: (top + bottom) / 2, lower: bottom)
        current = channel
        return channel
    }

    /// Feeds a candle's high and low.
    /// - Parameter candle: the next bar.
    /// - Returns: the new channel, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        highest.removeAll()
        lowest.removeAll()
        barsSeen = 0
        current = nil
    }
}
