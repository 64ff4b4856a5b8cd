import PetrelCore

/// Ichimoku Kinko Hyo: conversion and base lines, the two cloud spans and the lagging span.
///
/// - `tenkan_t = (highest high + lowest low) / 2` over the last `tenkan` bars (9);
///   `kijun_t` the same over `kijun` bars (26).
/// - Spans as computed at bar t: `A_t = (tenkan_t + kijun_t) / 2`,
///   `B_t = (highest high + lowest low) / 2` over `senkouB` bars (52). Charts plot them
///   `displacement` bars ahead (26).
/// - **Alignment of ``Value``** (what the update for bar t returns):
///   - `tenkan`, `kijun`: computed at t.
///   - `senkouA`, `senkouB`: the cloud *plotted at t*, i.e. `A_{t−displacement}` and
///     `B_{t−displacement}`. Compare them with bar t's close for "price above the cloud".
///   - `chikou`: bar t's close, which charts plot `displacement` bars back, at t − displacement.
///     To test "lagging span above the price of 26 bars ago", compare `chikou` with the close
///     of bar t − displacement.
/// - Warm-up: every field is defined from input index
///   `max(tenkan, kijun, senkouB) − 1 + displacement` (77 for 9/26/52/26). No TA-Lib
///   equivalent.
public struct Ichimoku: CandleIndicator {
    /// One Ichimoku reading for bar t (see the type's discussion for the alignment).
    public struct Value: Sendable, Hashable, Codable {
        /// Conversion line at t.
        public var tenkan: Double
        /// Base line at t.
        public var kijun: Double
        /// Leading span A plotted at t (computed `displacement` bars earlier).
        public var senkouA: Double
        /// Leading span B plotted at t (computed `displacement` bars earlier).
        public var senkouB: Double
        /// Lagging span: bar t's close, plotted `displacement` bars back.
        public var chikou: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - tenkan: conversion line at t.
        ///   - kijun: base line at t.
        ///   - senkouA: leading span A plotted at t.
        ///   - senkouB: leading span B plotted at t.
        ///   - chikou: bar t's close.
        public init(tenkan: Double, kijun: Double, senkouA: Double, senkouB: Double, chikou: Double) {
            self.tenkan = tenkan
            self.kijun = kijun
            self.senkouA = senkouA
            self.senkouB = senkouB
            self.chikou = chikou
        }
    }

    /// Conversion-line period.
    public let tenkanPeriod: Int
    /// Base-line period.
    public let kijunPeriod: Int
    /// Leading-span-B period.
    public let senkouBPeriod: Int
    /// How many bars ahead the cloud is plotted (and the lagging span behind).
    public let displacement: Int
    @usableFromInline var tenkanHigh: RollingMaximum
    @usableFromInline var tenkanLow: RollingMinimum
    @usableFromInline var kijunHigh: RollingMaximum
    @usableFromInline var kijunLow: RollingMinimum
    @usableFromInline var spanBHigh: RollingMaximum
    @usableFromInline var spanBLow: RollingMinimum
    /// Span A as computed on each of the last `displacement + 1` bars.
    @usableFromInline var spanAHistory: RingBuffer
    /// Span B as computed on each of the last `displacement + 1` bars.
    @usableFromInline var spanBHistory: RingBuffer
    @usableFromInline var barsSeen: Int = 0
    @usableFromInline var current: Value?

    /// Creates an Ichimoku indicator.
    /// - Parameters:
    ///   - tenkan: conversion-line period, at least 1.
    ///   - kijun: base-line period, at least 1.
    ///   - senkouB: leading-span-B period, at least 1.
    ///   - displacement: bars the cloud is shifted forward, at least 0.
    public init(tenkan: Int = 9, kijun: Int = 26, senkouB: Int = 52, displacement: Int = 26) {
        precondition(tenkan >= 1, "Ichimoku tenkan period must be at least 1, got \(tenkan)")
        precondition(kijun >= 1, "Ichimoku kijun period must be at least 1, got \(kijun)")
        precondition(senkouB >= 1, "Ichimoku senkou B period must be at least 1, got \(senkouB)")
        precondition(displacement >= 0, "Ichimoku displacement must not be negative, got \(displacement)")
        tenkanPeriod = tenkan
        kijunPeriod = kijun
        senkouBPeriod = senkouB
        self.displacement = displacement
        tenkanHigh = RollingMaximum(window: tenkan)
        tenkanLow = RollingMinimum(window: tenkan)
        kijunHigh = RollingMaximum(window: kijun)
        kijunLow = RollingMinimum(window: kijun)
        spanBHigh = RollingMaximum(window: senkouB)
        spanBLow = RollingMinimum(window: senkouB)
        spanAHistory = RingBuffer(capacity: displacement + 1)
        spanBHistory = RingBuffer(capacity: displacement + 1)
    }

    /// `max(tenkan, kijun, senkouB) + displacement` (78 for 9/26/52/26).
    public var warmUpPeriod: Int { Swift.max(tenkanPeriod, kijunPeriod, senkouBPeriod) + displacement }

    /// The latest reading, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next bar.
    /// - Parameters:
    ///   - high: the bar's high.
    ///   - low: the bar's low.
    ///   - close: the bar's close (becomes the lagging span).
    /// - Returns: the lines aligned to this bar, or `nil` while warming up.
    /// - Complexity: O(1) amortised (monotonic deques for the six rolling extremes).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value? {
        let tenkan = (tenkanHigh.push(high) + tenkanLow.push(low)) / 2
        let kijun = (kijunHigh.push(high) + kijunLow.push(low)) / 2
        let spanB = (spanBHigh.push(high) + spanBLow.push(low)) / 2
        barsSeen += 1
        if barsSeen >= Swift.max(tenkanPeriod, kijunPeriod) {
            _ = spanAHistory.push((tenkan + kijun) / 2)
        }
        if barsSeen >= senkouBPeriod {
            _ = spanBHistory.push(spanB)
        }
        guard spanAHistory.isFull && spanBHistory.isFull else { return nil }
        let reading = Value(
            tenkan: tenkan, kijun: kijun, senkouA: spanAHistory.oldest, senkouB: spanBHistory.oldest, chikou: close)
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
        tenkanHigh.removeAll()
        tenkanLow.removeAll()
        kijunHigh.removeAll()
        kijunLow.removeAll()
        spanBHigh.removeAll()
        spanBLow.removeAll()
        spanAHistory.removeAll()
        spanBHistory.removeAll()
        barsSeen = 0
        current = nil
    }
}
