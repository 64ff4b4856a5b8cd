import PetrelCore

/// What a data check found in a candle file or series: counts of every kind of problem, and the
/// findings themselves (each with file and line) up to a cap per category.
///
/// Produced by ``CandleSeries/inspect(from:symbol:timeframe:maxFindingsPerCategory:)`` for files
/// (lenient: it reads past problems) and ``CandleSeries/qualityReport(maxFindingsPerCategory:)`` for
/// series in memory (locations are record numbers).
public struct DataQualityReport: Sendable, Hashable, CustomStringConvertible {
    /// The file path or series label.
    public var source: String
    /// The file format, when the report is about a file.
    public var format: CandleFileFormat?
    /// The timeframe used for the gap and alignment checks (`nil`: those checks were skipped).
    public var timeframe: Timeframe?
    /// The number of candles read (malformed and skipped rows excluded).
    public var rowCount: Int
    /// The first row's timestamp (Unix ms).
    public var firstTimestamp: Int64?
    /// The last row's timestamp (Unix ms).
    public var lastTimestamp: Int64?
    /// How many findings of each category there were (all of them, not only the kept ones).
    public var counts: [DataQualityFinding.Category: Int]
    /// The total number of missing candles over all gaps.
    public var missingSteps: Int
    /// The kept findings, in file order within each category, at most the cap per category.
    public var findings: [DataQualityFinding]
    /// Findings counted but not kept because their category reached the cap.
    public var omittedFindings: Int

    /// The number of findings of `category`.
    /// - Parameter category: the kind of finding.
    public func count(_ category: DataQualityFinding.Category) -> Int { counts[category, default: 0] }

    /// Gap events (runs of consecutive missing candles).
    public var gapCount: Int { count(.gap) }
    /// Rows whose timestamp repeats an earlier one.
    public var duplicateCount: Int { count(.duplicate) }
    /// Rows whose timestamp is earlier than the previous row's.
    public var backwardsCount: Int { count(.backwards) }
    /// Rows with impossible OHLC values.
    public var impossibleCount: Int { count(.impossible) }
    /// Rows with zero volume.
    public var zeroVolumeCount: Int { count(.zeroVolume) }
    /// Rows whose timestamp is not a candle start of the timeframe.
    public var misalignedCount: Int { count(.misaligned) }
    /// Rows that could not be parsed.
    public var malformedCount: Int { count(.malformed) }
    /// Rows skipped on purpose (Yahoo `null` rows).
    public var skippedCount: Int { count(.skipped) }

    /// The kept findings of one category.
    /// - Parameter category: the kind of finding.
    public func findings(_ category: DataQualityFinding.Category) -> [DataQualityFinding] {
        findings.filter { $0.category == category }
    }

    /// Whether the data is clean: nothing malformed, backwards, duplicated, impossible or misaligned
    /// (gaps and zero volume are facts of real markets, not errors). Strict loading refuses the first
    /// four; misalignment is only found here, once the timeframe is known.
    public var isClean: Bool {
        malformedCount + backwardsCount + duplicateCount + impossibleCount + misalignedCount == 0
    }

    /// A multi-line summary followed by the kept findings.
    public var description: String {
        var lines = ["\(source): \(rowCount) candles" + (format.map { " (\($0))" } ?? "")]
        if let firstTimestamp, let lastTimestamp {
            lines.append(
                "  from \(CivilDate.iso8601(milliseconds: firstTimestamp)) to "
                    + CivilDate.iso8601(milliseconds: lastTimestamp)
                    + (timeframe.map { ", timeframe \($0.rawValue)" } ?? ", timeframe unknown"))
        }
        lines.append("  gaps: \(gapCount) (\(missingSteps) missing candles)")
        for category in DataQualityFinding.Category.allCases where category != .gap {
            lines.append("  \(category.rawValue): \(count(category))")
        }
        lines += findings.map { "  \($0)" }
        if omittedFindings > 0 { lines.append("  … \(omittedFindings) more findings not listed") }
        return lines.joined(separator: "\n")
    }
}
