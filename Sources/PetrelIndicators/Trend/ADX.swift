import PetrelCore

/// Wilder's average directional index with the +DI and −DI lines, exactly as TA-Lib's `ADX`,
/// `PLUS_DI` and `MINUS_DI`.
///
/// - Directional movement at bar t: `up = high_t − high_{t−1}`, `down = low_{t−1} − low_t`;
///   `+DM = up` if `up > down` and `up > 0`, `−DM = down` if `down > up` and `down > 0`, else 0.
/// - Smoothing (TA-Lib): `+DM`, `−DM` and the true range are summed over bars `1 … period−1`,
///   then each later bar applies Wilder's `S ← S − S/period + new` (so the first smoothed
///   value, at bar `period`, is `S₁₃ − S₁₃/14 + new` for period 14).
/// - `+DI = 100 · S(+DM) / S(TR)`, `−DI = 100 · S(−DM) / S(TR)` (0 when `S(TR)` is 0),
///   `DX = 100 · |+DI − −DI| / (+DI + −DI)`.
/// - ADX: the mean of the first `period` DX values (bars `period … 2·period−1`), then
///   `ADX ← (ADX · (period − 1) + DX) / period`. A bar whose DX is undefined (both DI zero)
///   leaves ADX unchanged, as in TA-Lib.
/// - Warm-up: the first value is at input index `2 · period − 1` (27 for 14; TA-Lib lookback).
///   The two zero tests are exact (TA-Lib 0.4 used |x| < 1e-8, later versions 1e-14).
/// - ``Value/plusDI`` and ``Value/minusDI`` equal TA-Lib's `PLUS_DI`/`MINUS_DI`, which on their
///   own start at index `period`; here they arrive with the ADX.
public struct ADX: CandleIndicator {
    /// One ADX reading.
    public struct Value: Sendable, Hashable, Codable {
        /// Average directional index, 0 … 100.
        public var adx: Double
        /// Positive directional indicator, 0 … 100.
        public var plusDI: Double
        /// Negative directional indicator, 0 … 100.
        public var minusDI: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - adx: average directional index.
        ///   - plusDI: positive directional indicator.
        ///   - minusDI: negative directional indicator.
        public init(adx: Double, plusDI: Double, minusDI: Double) {
            self.adx = adx
            self.plusDI = plusDI
            self.minusDI = minusDI
        }
    }

    /// Wilder smoothing period.
    public let period: Int
    @usableFromInline var barsSeen: Int = 0
    @usableFromInline var previousHigh: Double = 0
    @usableFromInline var previousLow: Double = 0
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var smoothedPlusDM: Double = 0
    @usableFromInline var smoothedMinusDM: Double = 0
    @usableFromInline var smoothedTR: Double = 0
    @usableFromInline var adx: Double = 0
    @usableFromInline var current: Value?

    /// Creates an ADX.
    /// - Parameter period: Wilder smoothing period, at least 1.
    public init(period: Int = 14) {
        precondition(period >= 1, "ADX period must be at least 1, got \(period)")
        self.period = period
    }

    /// `2 · period` (28 for 14).
    public var warmUpPeriod: Int { 2 * period }

    /// The latest reading, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    /// - Returns: ADX, +DI and −DI, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value? {
        let bar = barsSeen
        if bar == 0 {
            previousHigh = high
            previousLow = low
            previousClose = close
            barsSeen = 1
            return nil
        }
        let up = high - previousHigh
        let down = previousLow - low
        var plusDM = 0.0
        var minusDM = 0.0
        if down > 0 && up < down {
            minusDM = down
        } else if up > 0 && up > down {
            plusDM = up
        }
        let range = trueRange(high: high, low: low, previousClose: previousClose)
        previousHigh = high
        previousLow = low
        previousClose = close
        if bar < 2 * period { barsSeen = bar + 1 }

        let p = Double(period)
        if bar < period {
            smoothedPlusDM += plusDM
            smoothedMinusDM += minusDM
            smoothedTR += range
            return nil
        }
        smoothedPlusDM = smoothedPlusDM - smoothedPlusDM / p + plusDM
        smoothedMinusDM = smoothedMinusDM - smoothedMinusDM / p + minusDM
        smoothedTR = smoothedTR - smoothedTR / p + range

        var plusDI = 0.0
        var minusDI = 0.0
        var dx: Double?
        if smoothedTR != 0 {
            plusDI = 100 * (smoothedPlusDM / smoothedTR)
            minusDI = 100 * (smoothedMinusDM / smoothedTR)
            let total = plusDI + minusDI
            if total != 0 { dx = 100 * (abs(minusDI - plusDI) / total) }
        }
        if bar < 2 * period - 1 {
            adx += dx ?? 0
            return nil
        }
        if bar == 2 * period - 1 {
            adx = (adx + (dx ?? 0)) / p
        } else if let dx {
            adx = (adx * (p - 1) + dx) / p
        }
        let reading = Value(adx: adx, plusDI: plusDI, minusDI: minusDI)
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
        barsSeen = 0
        smoothedPlusDM = 0
        smoothedMinusDM = 0
        smoothedTR = 0
        adx = 0
        current = nil
    }
}
