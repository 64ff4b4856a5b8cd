import PetrelCore

/// Simple moving average of volume.
///
/// - Formula: `(volume_t + … + volume_{t−period+1}) / period` (TA-Lib `SMA` applied to volume).
/// - Warm-up: the first value is at input index `period − 1`.
public struct VolumeSMA: CandleIndicator {
    @usableFromInline var average: SMA

    /// Creates a volume average.
    /// - Parameter period: number of bars averaged, at least 1.
    public init(period: Int = 20) {
        precondition(period >= 1, "volume SMA period must be at least 1, got \(period)")
        average = SMA(period: period)
    }

    /// Number of bars averaged.
    public var period: Int { average.period }

    /// `period`.
    public var warmUpPeriod: Int { average.period }

    /// The latest average volume, `nil` until warm.
    @inlinable public var value: Double? { average.value }

    /// Feeds the next bar's volume.
    /// - Parameter volume: the bar's volume.
    /// - Returns: the mean volume of the last `period` bars, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(volume: Double) -> Double? {
        average.update(volume)
    }

    /// Feeds a candle's volume.
    /// - Parameter candle: the next bar.
    /// - Returns: the new average volume, or `nil` while warming up.
    /// - Complexity: O(1).
    @inlinable
    public mutating func update(_ candle: Candle) -> Double? {
        average.update(candle.volume.doubleValue)
    }

    /// Forgets every input.
    public mutating func reset() {
        average.reset()
    }
}
