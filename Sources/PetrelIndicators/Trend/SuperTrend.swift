import PetrelCore

/// SuperTrend: a trailing band `multiplier × ATR` away from the bar midpoint that flips side
/// when the close crosses it.
///
/// - Basic bands: `hl2 = (high + low) / 2`, `upper = hl2 + multiplier · ATR`,
///   `lower = hl2 − multiplier · ATR`, with TA-Lib's Wilder ``ATR``.
/// - Final bands ratchet: the upper band only moves down (unless the previous close broke
///   above it), the lower band only moves up (unless the previous close broke below it).
/// - Direction: in a downtrend the trend turns up when the close rises above the final upper
///   band; in an uptrend it turns down when the close falls below the final lower band. The
///   value is the lower band in an uptrend and the upper band in a downtrend.
/// - Start: the first bar with an ATR takes the basic bands as final bands and starts as a
///   downtrend, like TradingView's `ta.supertrend`.
/// - Warm-up: the first value is at input index `period` (the ATR's). TradingView's ATR counts
///   bar 0's `high − low` and starts one bar earlier; from there on values converge. No TA-Lib
///   equivalent.
public struct SuperTrend: CandleIndicator {
    /// One SuperTrend reading.
    public struct Value: Sendable, Hashable, Codable {
        /// The trailing stop level: the lower band in an uptrend, the upper band in a downtrend.
        public var value: Double
        /// Whether the trend is up (price above the line).
        public var isUptrend: Bool

        /// Creates a reading.
        /// - Parameters:
        ///   - value: the trailing stop level.
        ///   - isUptrend: whether the trend is up.
        public init(value: Double, isUptrend: Bool) {
            self.value = value
            self.isUptrend = isUptrend
        }
    }

    /// ATR period.
    public let period: Int
    /// ATR multiple between the midpoint and the bands.
    public let multiplier: Double
    @usableFromInline var atr: ATR
    @usableFromInline var started = false
    @usableFromInline var upperBand: Double = 0
    @usableFromInline var lowerBand: Double = 0
    @usableFromInline var uptrend = false
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var current: Value?

    /// Creates a SuperTrend.
    /// - Parameters:
    ///   - period: ATR period, at least 1.
    ///   - multiplier: ATR multiple, finite and not negative.
    public init(period: Int = 10, multiplier: Double = 3) {
        precondition(period >= 1, "SuperTrend period must be at least 1, got \(period)")
        precondition(multiplier.isFinite && multiplier >= 0, "SuperTrend multiplier must be ≥ 0, got \(multiplier)")
        self.period = period
        self.multiplier = multiplier
        atr = ATR(period: period)
    }

    /// `period + 1`.
    public var warmUpPeriod: Int { period + 1 }

    /// The latest reading, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: the trailing level and direction, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value? {
        defer { previousClose = close }
        guard let range = atr.update(high: high, low: low, close: close) else { return nil }
        let middle = (high + low) / 2
        let basicUpper = middle + multiplier * range
        let basicLower = middle - multiplier * range
        if started {
            let upper = basicUpper < upperBand || previousClose > upperBand ? basicUpper : upperBand
            let lower = basicLower > lowerBand || previousClose < lowerBand ? basicLower : lowerBand
            uptrend = uptrend ? close >= lower : close > upper
            upperBand = upper
            lowerBand = lower
        } else {
            started = true
            upperBand = basicUpper
            lowerBand = basicLower
            uptrend = false
        }
        let reading = Value(value: uptrend ? lowerBand : upperBand, isUptrend: uptrend)
        current = reading
        return reading
    }

    /// Feeds a candle's high, low and close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new reading, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(high: candle.high.doubleValue, low: candle.low.doubleValue, close: candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        atr.reset()
        started = false
        upperBand = 0
        lowerBand = 0
        uptrend = false
        previousClose = 0
        current = nil
    }
}
