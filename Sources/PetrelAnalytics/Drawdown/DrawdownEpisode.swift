/// One drawdown: from a peak of the equity curve, down to its trough, and back up to the peak
/// (the recovery) or to the end of the data if the equity never got back.
///
/// Indices are positions in the equity curve. The peak is the **last** point at the running
/// high before the fall; the recovery is the first later point whose equity is at least the
/// peak's. ``depth`` is a positive fraction of the peak (0.25 = 25 % below the peak).
public struct DrawdownEpisode: Sendable, Hashable, Codable {
    /// Largest fall from the peak as a positive fraction of the peak equity; exceeds 1 only if
    /// the equity went negative.
    public var depth: Double
    /// Index of the peak (the drawdown's start).
    public var peakIndex: Int
    /// Index of the lowest point (first one if the low repeats).
    public var troughIndex: Int
    /// Index of the first point back at or above the peak, or `nil` if never recovered.
    public var recoveryIndex: Int?
    /// Index where the episode ends: the recovery, or the last point if not recovered.
    public var endIndex: Int
    /// Equity at the peak.
    public var peakEquity: Double
    /// Equity at the trough.
    public var troughEquity: Double
    /// Length in periods from the peak to the recovery (or to the last point if not recovered).
    public var durationBars: Int
    /// Timestamp of the peak (Unix ms); `nil` when computed from values without timestamps.
    public var peakTime: Int64?
    /// Timestamp of the trough (Unix ms); `nil` without timestamps.
    public var troughTime: Int64?
    /// Timestamp of the recovery (Unix ms); `nil` if not recovered or without timestamps.
    public var recoveryTime: Int64?
    /// Timestamp of ``endIndex`` (Unix ms): the recovery, or the last sample; `nil` without timestamps.
    public var endTime: Int64?
    /// `endTime − peakTime` in milliseconds; `nil` without timestamps.
    public var durationMilliseconds: Int64?

    /// Creates an episode from indices and equity values, without timestamps.
    /// - Parameters:
    ///   - depth: positive fraction below the peak.
    ///   - peakIndex: index of the peak.
    ///   - troughIndex: index of the trough.
    ///   - recoveryIndex: index of the recovery, `nil` if not recovered.
    ///   - endIndex: the recovery index, or the last index of the curve.
    ///   - peakEquity: equity at the peak.
    ///   - troughEquity: equity at the trough.
    /// - Complexity: O(1).
    public init(
        depth: Double,
        peakIndex: Int,
        troughIndex: Int,
        recoveryIndex: Int?,
        endIndex: Int,
        peakEquity: Double,
        troughEquity: Double
    ) {
        self.depth = depth
        self.peakIndex = peakIndex
        self.troughIndex = troughIndex
        self.recoveryIndex = recoveryIndex
        self.endIndex = endIndex
        self.peakEquity = peakEquity
        self.troughEquity = troughEquity
        self.durationBars = endIndex - peakIndex
    }

    /// Whether the equity got back to the peak.
    public var isRecovered: Bool { recoveryIndex != nil }

    /// The same episode with its timestamps filled in from the equity samples it was computed on.
    /// - Parameter points: the equity curve whose indices this episode refers to.
    /// - Returns: a copy with ``peakTime``, ``troughTime``, ``recoveryTime``, ``endTime`` and
    ///   ``durationMilliseconds`` set.
    /// - Complexity: O(1).
    public func timed(by points: [EquityPoint]) -> DrawdownEpisode {
        timed { points[$0].timestamp }
    }

    /// The same episode with timestamps read through `timestamp(index)`.
    func timed(_ timestamp: (Int) -> Int64) -> DrawdownEpisode {
        var copy = self
        let start = timestamp(peakIndex)
        let end = timestamp(endIndex)
        copy.peakTime = start
        copy.troughTime = timestamp(troughIndex)
        copy.recoveryTime = recoveryIndex.map(timestamp)
        copy.endTime = end
        copy.durationMilliseconds = end - start
        return copy
    }
}
