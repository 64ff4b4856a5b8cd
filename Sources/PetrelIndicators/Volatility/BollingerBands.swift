import PetrelCore

/// Bollinger Bands: an SMA with bands a multiple of the population standard deviation away,
/// as TA-Lib's `BBANDS` with SMA.
///
/// - Formula: `middle = SMA(period)`, `σ = √(Σ(x_i − middle)² / period)` (population, like
///   TA-Lib), `upper = middle + deviations · σ`, `lower = middle − deviations · σ`.
/// - Numerics: TA-Lib computes `σ² = Σx²/n − mean²`, which loses up to eight significant digits
///   on BTC prices (TA-Lib 0.4 also clamped variances below 1e-8 to 0, flattening low-priced
///   pairs). This uses a windowed Welford update on shifted inputs with an error-bounded
///   two-pass recompute (O(1) amortised), so σ agrees with a direct two-pass computation to
///   about 1e-12 relative, also when a volatile window turns flat.
/// - Warm-up: the first value is at input index `period − 1` (TA-Lib lookback `period − 1`).
public struct BollingerBands: ScalarIndicator, CandleIndicator {
    /// One Bollinger reading.
    public struct Value: Sendable, Hashable, Codable {
        /// `middle + deviations · σ`.
        public var upper: Double
        /// The SMA.
        public var middle: Double
        /// `middle − deviations · σ`.
        public var lower: Double

        /// Creates a reading.
        /// - Parameters:
        ///   - upper: upper band.
        ///   - middle: the moving average.
        ///   - lower: lower band.
        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }

        /// Band width relative to the middle: `(upper − lower) / middle` (0 when middle is 0).
        public var bandwidth: Double { middle != 0 ? (upper - lower) / middle : 0 }

        /// Where a price sits between the bands: 0 at the lower band, 1 at the upper band.
        /// - Parameter close: the price to place, usually the bar's close.
        /// - Returns: `(close − lower) / (upper − lower)`; 0.5 when the bands have collapsed.
        public func percentB(close: Double) -> Double {
            let width = upper - lower
            return width != 0 ? (close - lower) / width : 0.5
        }
    }

    /// Number of inputs in the window.
    public let period: Int
    /// Multiple of σ between the middle and each band.
    public let deviations: Double
    @usableFromInline var moments: RollingMoments
    @usableFromInline var current: Value?

    /// Creates Bollinger Bands.
    /// - Parameters:
    ///   - period: window length, at least 1.
    ///   - deviations: band distance in standard deviations, finite and not negative.
    public init(period: Int = 20, deviations: Double = 2) {
        precondition(period >= 1, "Bollinger period must be at least 1, got \(period)")
        precondition(deviations.isFinite && deviations >= 0, "Bollinger deviations must be ≥ 0, got \(deviations)")
        self.period = period
        self.deviations = deviations
        moments = RollingMoments(size: period)
    }

    /// `period`.
    public var warmUpPeriod: Int { period }

    /// The latest bands, `nil` until warm.
    @inlinable public var value: Value? { current }

    /// Feeds the next input.
    /// - Parameter value: the next number (usually a close).
    /// - Returns: the new bands, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ value: Double) -> Value? {
        moments.push(value)
        guard moments.isFull else { return nil }
        let middle = moments.mean
        let width = deviations * moments.populationVariance.squareRoot()
        let bands = Value(upper: middle + width, middle: middle, lower: middle - width)
        current = bands
        return bands
    }

    /// Feeds the candle's close.
    /// - Parameter candle: the next bar.
    /// - Returns: the new bands, or `nil` while warming up.
    /// - Complexity: O(1) amortised.
    @inlinable
    public mutating func update(_ candle: Candle) -> Value? {
        update(candle.close.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        moments.removeAll()
        current = nil
    }
}
