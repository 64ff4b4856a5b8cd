import PetrelCore

extension CandleSeries {
    /// Aggregates the candles into a larger timeframe: open = first open, high = highest high,
    /// low = lowest low, close = last close, volume = exact sum.
    ///
    /// Buckets are aligned by `Timeframe.bucketStart(containing:)` (the epoch for minutes to days,
    /// Monday for weeks, the 1st for months), and each output candle carries its bucket's start. A
    /// bucket with missing source candles is built from those present; a bucket with none is absent
    /// (gaps stay gaps, nothing is invented).
    /// - Parameter target: the new timeframe: a whole multiple of the current one, or `1M` from any
    ///   timeframe that divides a day (`1m` … `1d`).
    /// - Returns: a series with the same symbol and source and the new timeframe.
    /// - Throws: ``MarketDataError/invalidResampling(source:target:reason:)`` when the current
    ///   timeframe is unknown, the target is not larger or not a multiple, the candles are unsorted,
    ///   or a volume sum overflows.
    /// - Complexity: O(n), one pass, one allocation.
    public func resampled(to target: Timeframe) throws(MarketDataError) -> CandleSeries {
        guard let source = timeframe else {
            throw .invalidResampling(
                source: nil, target: target, reason: "the series' timeframe is unknown (pass it when loading)")
        }
        try Self.checkResampling(from: source, to: target)
        var output: [Candle] = []
        output.reserveCapacity(Int(Int64(candles.count) * source.milliseconds / target.milliseconds) + 2)
        var current: Candle?
        for (index, candle) in candles.enumerated() {
            let bucket = target.bucketStart(containing: candle.timestamp)
            guard var building = current else {
                current = Candle(
                    timestamp: bucket, open: candle.open, high: candle.high, low: candle.low, close: candle.close,
                    volume: candle.volume)
                continue
            }
            if bucket == building.timestamp {
                if candle.high > building.high { building.high = candle.high }
                if candle.low < building.low { building.low = candle.low }
                building.close = candle.close
                let (sum, overflow) = building.volume.rawValue.addingReportingOverflow(candle.volume.rawValue)
                guard !overflow else {
                    throw .invalidResampling(
                        source: source, target: target,
                        reason: "the volume of the candle at \(MarketDataError.describe(bucket)) overflows")
                }
                building.volume = Quantity(rawValue: sum)
                current = building
            } else if bucket > building.timestamp {
                output.append(building)
                current = Candle(
                    timestamp: bucket, open: candle.open, high: candle.high, low: candle.low, close: candle.close,
                    volume: candle.volume)
            } else {
                throw .invalidResampling(
                    source: source, target: target,
                    reason: "candle \(index + 1) at \(MarketDataError.describe(candle.timestamp)) is out of order")
            }
        }
        if let current { output.append(current) }
        return CandleSeries(symbol: symbol, timeframe: target, candles: output, source: self.source)
    }

    /// Checks that `source` candles can be aggregated into `target` candles.
    /// - Throws: ``MarketDataError/invalidResampling(source:target:reason:)`` explaining why not.
    public static func checkResampling(from source: Timeframe, to target: Timeframe) throws(MarketDataError) {
        let day: Int64 = 86_400_000
        if target == .month1 {
            guard source != .month1, day % source.milliseconds == 0 else {
                throw .invalidResampling(
                    source: source, target: target,
                    reason: "months can be built only from timeframes that divide a day (1m to 1d)")
            }
            return
        }
        guard source != .month1, target.milliseconds > source.milliseconds else {
            throw .invalidResampling(
                source: source, target: target, reason: "the target timeframe must be larger than the source")
        }
        guard target.milliseconds % source.milliseconds == 0 else {
            throw .invalidResampling(
                source: source, target: target,
                reason: "\(target.rawValue) is not a whole multiple of \(source.rawValue)")
        }
    }
}
