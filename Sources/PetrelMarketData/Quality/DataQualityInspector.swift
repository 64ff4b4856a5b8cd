import PetrelCore

/// Runs the data checks over candles in file order.
enum DataQualityInspector {
    /// Checks every candle and returns the report.
    /// - Parameters:
    ///   - candles: the candles as read, in file order.
    ///   - timeframe: the timeframe for gap and alignment checks (`nil` skips them).
    ///   - lines: where each candle came from.
    ///   - file: the file name for locations.
    ///   - source: the path or label for the report.
    ///   - format: the file format, if any.
    ///   - collector: holds findings already made while reading (malformed rows).
    /// - Complexity: O(n); O(n) extra memory only when rows go backwards (duplicates are then
    ///   looked up in a dictionary instead of compared with the previous row).
    static func report(
        candles: [Candle], timeframe: Timeframe?, lines: LineMap, file: String, source: String,
        format: CandleFileFormat?, collector: FindingCollector
    ) -> DataQualityReport {
        var collector = collector
        var missingSteps = 0
        let isSorted = zip(candles, candles.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp }
        var firstSeen: [Int64: Int] = [:]
        var latest: Int64?
        for index in candles.indices {
            let candle = candles[index]
            let timestamp = candle.timestamp
            func add(_ problem: DataQualityFinding.Problem) {
                collector.add(DataQualityFinding(location: lines.location(of: index, file: file), problem: problem))
            }
            if index > 0, timestamp < candles[index - 1].timestamp {
                add(.backwards(timestamp: timestamp, previous: candles[index - 1].timestamp))
            }
            if isSorted {
                if index > 0, timestamp == candles[index - 1].timestamp {
                    add(.duplicate(timestamp: timestamp, firstLine: lines.line(of: index - 1)))
                }
            } else if let first = firstSeen[timestamp] {
                add(.duplicate(timestamp: timestamp, firstLine: lines.line(of: first)))
            } else {
                firstSeen[timestamp] = index
            }
            if !StrictValidation.isPossible(candle) {
                add(.impossible(reason: candle.impossibility ?? "invalid values"))
            }
            if candle.volume.isZero { add(.zeroVolume(timestamp: timestamp)) }
            if let timeframe {
                let bucket = timeframe.bucketStart(containing: timestamp)
                if bucket != timestamp { add(.misaligned(timestamp: timestamp, timeframe: timeframe)) }
                if let latest, timestamp > latest {
                    let expected = timeframe.nextBucket(after: timeframe.bucketStart(containing: latest))
                    if bucket > expected {
                        let missing = steps(of: timeframe, from: expected, to: bucket)
                        missingSteps += missing
                        add(.gap(firstMissing: expected, missingSteps: missing, timeframe: timeframe))
                    }
                }
            }
            latest = Swift.max(latest ?? timestamp, timestamp)
        }
        return DataQualityReport(
            source: source, format: format, timeframe: timeframe, rowCount: candles.count,
            firstTimestamp: candles.first?.timestamp, lastTimestamp: candles.last?.timestamp,
            counts: collector.counts, missingSteps: missingSteps,
            findings: collector.kept.sorted { ($0.category, $0.location.line) < ($1.category, $1.location.line) },
            omittedFindings: collector.omitted)
    }

    /// The number of candles of `timeframe` from bucket `start` up to (not including) bucket `end`.
    private static func steps(of timeframe: Timeframe, from start: Int64, to end: Int64) -> Int {
        guard timeframe == .month1 else { return Int((end - start) / timeframe.milliseconds) }
        var count = 0
        var bucket = start
        while bucket < end {
            bucket = timeframe.nextBucket(after: bucket)
            count += 1
        }
        return count
    }
}
