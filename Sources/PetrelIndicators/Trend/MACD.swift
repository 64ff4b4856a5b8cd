import PetrelCore

/// Moving average convergence/divergence, exactly as TA-Lib's `MACD`.
///
/// - Formula: `macd = EMA_fast − EMA_slow`, `signal = EMA_signal(macd)`,
///   `histogram = macd − signal`, each EMA with `k = 2 / (period + 1)`.
/// - Seeding (TA-Lib): the slow EMA is seeded with the mean of inputs `0 … slow−1`; the fast
///   EMA is *aligned* to it and seeded with the mean of inputs `slow−fast … slow−1` (not of the
///   first `fast` inputs), so both start at index `slow − 1`. The signal EMA is seeded with the
///   mean of the first `signal` MACD values.
/// - Warm-up: the first value is at input index `slow + signal − 2` (33 for 12/26/9, TA-Lib
///   lookback 33).
public struct MACD: ScalarIndicator, CandleIndicator {
    /// One MACD reading.
    public struct Value: Sendable, Hashable, Codable {
        /// Fast EMA minus slow EMA.
        public var macd: Double
        /// EMA of ``macd`` over the signal period.
        public var signal: Double
        /// `macd − signal`.
        public var histogram: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - macd: fast EMA minus slow EMA.
        ///   - signal: EMA of the MACD line.
        ///   - histogram: `macd − signal`.
        public init(macd: Double, signal: Double, histogram: Double) {
            self.macd = macd
            self.signal = signal
            self.histogram = histogram
        }
    }

    /// Fast EMA period.
    public let fastPeriod: Int
    /// Slow EMA period.
    public let slowPeriod: Int
    /// Signal EMA period.
    public let signalPeriod: Int
    @usableFromInline let fastSmoothing: Double
    @usableFromInline let slowSmoothing: Double
    @usableFromInline var seen: Int = 0
    @usableFromInline var fastEMA: Double = 0
    @usableFromInline var slowEMA: Double = 0
    @usableFromInline var signalLine: EMA
    @usableFromInline var current: Value?

    /// Creates a MACD.
    /// - Parameters:
    ///   - fast: fast EMA period, at least 1.
    ///   - slow: slow EMA period, at least `fast`.
    ///   - signal: signal EMA period, at least 1.
    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) {
        precondition(fast >= 1, "MACD fast period must be at least 1, got \(fast)")
        precondition(slow >= fast, "MACD slow period (\(slow)) must be at least the fast period (\(fast))")
        precondition(signal >= 1, "MACD signal period must be at least 1, got \(signal)")
        fastPeriod = fast
        slowPeriod = slow
        signalPeriod = signal
        fastSmoothing = 2 / Double(fast + 1)
        slowSmoothing = 2 / Double(slow + 1)
        signalLine = EMA(period: signal)
    }

    /// `slow + signal − 1` (34 for 12/26/9).
    public var warmUpPeriod: Int { slowPeriod + signalPeriod - 1 }

    /// The latest reading, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the new MACD, signal and histogram, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ value: Double) -> Value? {
        if seen >= slowPeriod {
            fastEMA = (value - fastEMA) * fastSmoothing + fastEMA
            slowEMA = (value - slowEMA) * slowSmoothing + slowEMA
        } else {
            slowEMA += value
            if seen >= slowPeriod - fastPeriod { fastEMA += value }
            seen += 1
            if seen < slowPeriod { return nil }
            slowEMA /= Double(slowPeriod)
            fastEMA /= Double(fastPeriod)
        }
        let line = fastEMA - slowEMA
        guard let signal = signalLine.update(line) else { return nil }
        let reading = Value(macd: line, signal: signal, histogram: line - signal)
        current = reading
        return reading
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new reading, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        seen = 0
        fastEMA = 0
        slowEMA = 0
        signalLine.reset()
        current = nil
    }
}
