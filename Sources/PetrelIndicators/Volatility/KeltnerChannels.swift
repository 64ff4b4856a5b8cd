import PetrelCore

/// Keltner channels: an EMA of the close with bands a multiple of the ATR away.
///
/// - Formula: `middle = EMA(close, period)` (TA-Lib seeding), `upper = middle + multiplier ·
///   ATR(atrPeriod)`, `lower = middle − multiplier · ATR(atrPeriod)` with TA-Lib's Wilder ATR.
/// - Warm-up: the first value is at input index `max(period − 1, atrPeriod)` (19 for 20/2/10),
///   when both the EMA and the ATR have values. No TA-Lib equivalent.
public struct KeltnerChannels: CandleIndicator {
    /// One channel reading.
    public struct Value: Sendable, Hashable, Codable {
        /// `middle + multiplier · ATR`.
        public var upper: Double
        /// The EMA of the close.
        public var middle: Double
        /// `middle − multiplier · ATR`.
        public var lower: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - upper: upper band.
        ///   - middle: the EMA.
        ///   - lower: lower band.
        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    /// EMA period of the middle line.
    public let period: Int
    /// ATR multiple between the middle line and each band.
    public let multiplier: Double
    /// ATR period.
    public let atrPeriod: Int
    @usableFromInline var average: EMA
    @usableFromInline var range: ATR
    @usableFromInline var current: Value?

    /// Creates Keltner channels.
    /// - Parameters:
    ///   - period: EMA period, at least 1.
    ///   - multiplier: ATR multiple, finite and not negative.
    ///   - atrPeriod: ATR period, at least 1.
    public init(period: Int = 20, multiplier: Double = 2, atrPeriod: Int = 10) {
        precondition(period >= 1, "Keltner period must be at least 1, got \(period)")
        precondition(multiplier.isFinite && multiplier >= 0, "Keltner multiplier must be ≥ 0, got \(multiplier)")
        precondition(atrPeriod >= 1, "Keltner ATR period must be at least 1, got \(atrPeriod)")
        self.period = period
        self.multiplier = multiplier
        self.atrPeriod = atrPeriod
        average = EMA(period: period)
        range = ATR(period: atrPeriod)
    }

    /// `max(period, atrPeriod + 1)`.
    public var warmUpPeriod: Int { Swift.max(period, atrPeriod + 1) }

    /// The latest channel, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: the new channel, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value? {
        let middle = average.update(close)
        let atr = range.update(high: high, low: low, close: close)
        guard let middle, let atr else { return nil }
        let width = multiplier * atr
        let channel = Value(upper: middle + width, middle: middle, lower: middle - width)
        current = channel
        return channel
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new channel, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        average.reset()
        range.reset()
        current = nil
    }
}
