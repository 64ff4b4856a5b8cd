extension Analytics {
    /// Maximum drawdown of an equity curve: the largest `(peak − e) / peak` over the running peak.
    ///
    /// Reported as a **positive** fraction (empyrical returns the same number negated). The
    /// first point is the initial peak, so a fall on the first period counts (as in empyrical,
    /// which prepends the starting value). Peaks at zero or below contribute no drawdown.
    /// - Parameter equity: equity values in time order.
    /// - Returns: the depth in 0…1 (above 1 only if the equity went negative); 0 for an empty,
    ///   single-point or never-falling curve.
    /// - Complexity: O(n), no allocation.
    public static func maxDrawdown(equity: [Double]) -> Double {
        guard var peak = equity.first else { return 0 }
        var deepest = 0.0
        for value in equity {
            if value > peak {
                peak = value
            } else if peak > 0 {
                let depth = (peak - value) / peak
                if depth > deepest { deepest = depth }
            }
        }
        return deepest
    }

    /// Maximum drawdown of the wealth obtained by compounding `returns` from 1 (empyrical's
    /// `max_drawdown`, negated to a positive fraction).
    /// - Parameter returns: per-period simple returns; one below −1 counts as −1.
    /// - Returns: the depth in 0…1; 0 for an empty or never-falling series.
    /// - Complexity: O(n), no allocation.
    public static func maxDrawdown(returns: [Double]) -> Double {
        var wealth = 1.0
        var peak = 1.0
        var deepest = 0.0
        for value in returns {
            wealth *= Swift.max(1 + value, 0)
            if wealth > peak {
                peak = wealth
            } else {
                let depth = (peak - wealth) / peak
                if depth > deepest { deepest = depth }
            }
        }
        return deepest
    }

    /// The deepest drawdown episode of an equity curve (the first one if several tie).
    /// - Parameter equity: equity values in time order.
    /// - Returns: the episode (indices, depth, duration), or `nil` if the equity never fell
    ///   below a positive peak.
    /// - Complexity: O(n), no allocation.
    public static func maxDrawdownEpisode(equity: [Double]) -> DrawdownEpisode? {
        var deepest: DrawdownEpisode?
        forEachDrawdown(equity) { episode in
            if episode.depth > (deepest?.depth ?? 0) { deepest = episode }
        }
        return deepest
    }

    /// The longest drawdown episode (most periods from peak to recovery or to the end of data;
    /// the first one if several tie).
    /// - Parameter equity: equity values in time order.
    /// - Returns: the episode, or `nil` if the equity never fell below a positive peak.
    /// - Complexity: O(n), no allocation.
    public static func longestDrawdownEpisode(equity: [Double]) -> DrawdownEpisode? {
        var longest: DrawdownEpisode?
        forEachDrawdown(equity) { episode in
            if episode.durationBars > (longest?.durationBars ?? -1) { longest = episode }
        }
        return longest
    }

    /// Every drawdown episode of an equity curve, in time order (for reports).
    /// - Parameter equity: equity values in time order.
    /// - Returns: the episodes; the last one is unrecovered if the curve ends below its peak.
    /// - Complexity: O(n); allocates the result.
    public static func drawdownEpisodes(equity: [Double]) -> [DrawdownEpisode] {
        var episodes: [DrawdownEpisode] = []
        forEachDrawdown(equity) { episodes.append($0) }
        return episodes
    }

    /// The underwater curve: at every point, the positive fraction below the running peak.
    /// - Parameter equity: equity values in time order.
    /// - Returns: one depth per point (0 at new highs), ready for a drawdown chart (negate to
    ///   plot below the axis).
    /// - Complexity: O(n); allocates the result.
    public static func drawdownSeries(equity: [Double]) -> [Double] {
        guard var peak = equity.first else { return [] }
        var series: [Double] = []
        series.reserveCapacity(equity.count)
        for value in equity {
            if value > peak { peak = value }
            series.append(peak > 0 && value < peak ? (peak - value) / peak : 0)
        }
        return series
    }

    /// Calls `body` with each drawdown episode of `equity`, in time order, in one pass.
    static func forEachDrawdown(_ equity: [Double], _ body: (DrawdownEpisode) -> Void) {
        guard var peakValue = equity.first else { return }
        var peakIndex = 0
        var troughIndex = 0
        var troughValue = peakValue
        var depth = 0.0
        for index in equity.indices.dropFirst() {
            let value = equity[index]
            if value >= peakValue {
                if depth > 0 {
                    body(
                        DrawdownEpisode(
                            depth: depth, peakIndex: peakIndex, troughIndex: troughIndex, recoveryIndex: index,
                            endIndex: index, peakEquity: peakValue, troughEquity: troughValue))
                    depth = 0
                }
                // A flat stretch at the high moves the peak: the drawdown starts after the last high.
                peakIndex = index
                peakValue = value
            } else if peakValue > 0 {
                let fall = (peakValue - value) / peakValue
                if fall > depth {
                    depth = fall
                    troughIndex = index
                    troughValue = value
                }
            }
        }
        if depth > 0 {
            body(
                DrawdownEpisode(
                    depth: depth, peakIndex: peakIndex, troughIndex: troughIndex, recoveryIndex: nil,
                    endIndex: equity.count - 1, peakEquity: peakValue, troughEquity: troughValue))
        }
    }
}
