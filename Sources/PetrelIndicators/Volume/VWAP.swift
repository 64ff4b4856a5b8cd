import PetrelCore

/// Volume-weighted average price of the typical price, over a rolling window of bars or
/// anchored to sessions.
///
/// - Formula: `VWAP = Σ(TP_i · volume_i) / Σ volume_i` with `TP = (high + low + close) / 3`,
///   summed over the last `period` bars (rolling mode) or over the bars of the current session
///   (session mode). When the summed volume is 0 (no trades in the window or session so far)
///   the value is the latest bar's typical price.
/// - Sessions: bar t belongs to session `⌊timestamp / sessionLengthMs⌋`; the sums restart
///   with the first bar of a new session. The default length of one day restarts at 00:00 UTC.
/// - Warm-up: rolling mode's first value is at input index `period − 1`; session mode has a
///   value from the first bar. No TA-Lib equivalent.
public struct VWAP: CandleIndicator {
    /// What the sums run over.
    public enum Mode: Sendable, Hashable {
        /// The last `period` bars.
        case rolling(period: Int)
        /// The bars since the start of the current session of `lengthMs` milliseconds.
        case session(lengthMs: Int64)
    }

    /// One UTC day in milliseconds, the default session length.
    public static let dayMs: Int64 = 86_400_000

    /// What the sums run over.
    public let mode: Mode
    @usableFromInline var weightedPrices: RingBuffer
    @usableFromInline var volumes: RingBuffer
    @usableFromInline var weightedSum: Double = 0
    @usableFromInline var volumeSum: Double = 0
    /// Bars with non-zero volume in the window, counted exactly (float sums can leave dust).
    @usableFromInline var tradedBars: Int = 0
    @usableFromInline var session: Int64 = .min
    @usableFromInline let sessionLength: Int64
    @usableFromInline var current: Double?

    /// Creates a rolling VWAP over the last `period` bars.
    /// - Parameter period: number of bars, at least 1.
    public init(period: Int) {
        precondition(period >= 1, "VWAP period must be at least 1, got \(period)")
        mode = .rolling(period: period)
        weightedPrices = RingBuffer(capacity: period)
        volumes = RingBuffer(capacity: period)
        sessionLength = 0
    }

    /// Creates a session VWAP that restarts every `sessionLengthMs` milliseconds of Unix time.
    /// - Parameter sessionLengthMs: session length, at least 1; one UTC day by default.
    public init(sessionLengthMs: Int64 = VWAP.dayMs) {
        precondition(sessionLengthMs >= 1, "VWAP session length must be at least 1 ms, got \(sessionLengthMs)")
        mode = .session(lengthMs: sessionLengthMs)
        weightedPrices = RingBuffer(capacity: 1)
        volumes = RingBuffer(capacity: 1)
        sessionLength = sessionLengthMs
    }

    /// Rolling: `period`; session: 1.
    public var warmUpPeriod: Int { sessionLength == 0 ? weightedPrices.capacity : 1 }

    /// The latest VWAP, `nil` until warm.
    @inlinable public var value: Double? { current }

    /// Feeds the next bar to a rolling VWAP (session mode needs timestamps: use
    /// ``update(timestamp:high:low:close:volume:)``; calling this in session mode is a
    /// programmer error and traps).
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    ///   - volume: the bar's volume.
    /// - Returns: the new VWAP, or `nil` while warming up.
    /// - Complexity: O(1) amortised (the sums are recomputed once per `period` bars).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) -> Double? {
        precondition(
            sessionLength == 0, "a session VWAP needs timestamps: call update(timestamp:high:low:close:volume:)")
        let typical = (high + low + close) / 3
        let weighted = typical * volume
        if weightedPrices.isFull {
            let evictedVolume = volumes.replaceOldest(with: volume)
            let evictedWeighted = weightedPrices.replaceOldest(with: weighted)
            if evictedVolume != 0 { tradedBars -= 1 }
            if weightedPrices.head == 0 {
                recomputeSums()
            } else {
                weightedSum += weighted - evictedWeighted
                volumeSum += volume - evictedVolume
            }
        } else {
            weightedPrices.append(weighted)
            volumes.append(volume)
            weightedSum += weighted
            volumeSum += volume
        }
        if volume != 0 { tradedBars += 1 }
        guard weightedPrices.isFull else { return nil }
        let vwap = tradedBars > 0 && volumeSum > 0 ? weightedSum / volumeSum : typical
        current = vwap
        return vwap
    }

    /// Re-adds the window from scratch so rounding in the running sums cannot accumulate.
    @usableFromInline
    mutating func recomputeSums() {
        var weighted = 0.0
        for value in weightedPrices.unorderedValues { weighted += value }
        var volume = 0.0
        for value in volumes.unorderedValues { volume += value }
        weightedSum = weighted
        volumeSum = volume
    }

    /// Feeds the next bar with its open time; works in both modes (rolling mode ignores the
    /// timestamp).
    /// - Parameters:
    ///   - timestamp: the bar's open time in Unix milliseconds (UTC).
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close.
    ///   - volume: the bar's volume.
    /// - Returns: the new VWAP, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(timestamp: Int64, high: Double, low: Double, close: Double, volume: Double) -> Double? {
        if sessionLength == 0 {
            return update(high: high, low: low, close: close, volume: volume)
        }
        let (quotient, remainder) = timestamp.quotientAndRemainder(dividingBy: sessionLength)
        let bucket = remainder < 0 ? quotient - 1 : quotient
        if bucket != session {
            session = bucket
            weightedSum = 0
            volumeSum = 0
        }
        let typical = (high + low + close) / 3
        weightedSum += typical * volume
        volumeSum += volume
        let vwap = volumeSum > 0 ? weightedSum / volumeSum : typical
        current = vwap
        return vwap
    }

    /// Feeds a candle (its timestamp, high, low, close and volume).
    /// - Parameter candle: the next bar.
    /// - Returns: the new VWAP, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        update(
            timestamp: candle.timestamp, high: candle.high.doubleValue, low: candle.low.doubleValue,
            close: candle.close.doubleValue, volume: candle.volume.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        weightedPrices.removeAll()
        volumes.removeAll()
        weightedSum = 0
        volumeSum = 0
        tradedBars = 0
        session = .min
        current = nil
    }
}
