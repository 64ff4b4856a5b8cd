import PetrelCore

/// One problem (or notable fact) found in candle data, with the file and line it concerns.
public struct DataQualityFinding: Sendable, Hashable, CustomStringConvertible {
    /// The kind of finding, for counting and filtering.
    public enum Category: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Rows that could not be parsed (lenient mode skips them).
        case malformed
        /// Rows skipped on purpose (Yahoo `null` rows).
        case skipped
        /// A timestamp earlier than the previous row's.
        case backwards
        /// A timestamp that appeared before.
        case duplicate
        /// A row violating an OHLC invariant.
        case impossible
        /// A timestamp that is not the start of a candle of the timeframe.
        case misaligned
        /// Missing candles between two rows.
        case gap
        /// A candle with zero volume (real exchanges publish them; informational).
        case zeroVolume

        /// Orders categories by severity, most serious first.
        public static func < (lhs: Category, rhs: Category) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }
    }

    /// What was found, with the values that show it.
    public enum Problem: Sendable, Hashable {
        /// The row could not be read; `reason` is the full message without the location.
        case malformed(reason: String)
        /// The row was skipped (e.g. Yahoo's `null` rows).
        case skipped(reason: String)
        /// The timestamp goes back in time.
        case backwards(timestamp: Int64, previous: Int64)
        /// The timestamp repeats the one on `firstLine`.
        case duplicate(timestamp: Int64, firstLine: Int)
        /// The OHLC values are impossible (``PetrelCore/Candle/impossibility``).
        case impossible(reason: String)
        /// The timestamp is not a bucket start of `timeframe`.
        case misaligned(timestamp: Int64, timeframe: Timeframe)
        /// `missingSteps` candles are missing, the first at `firstMissing`; the location is the row after the gap.
        case gap(firstMissing: Int64, missingSteps: Int, timeframe: Timeframe)
        /// The candle has zero volume.
        case zeroVolume(timestamp: Int64)
    }

    /// The file and line (or record) of the row concerned.
    public var location: SourceLocation
    /// What was found.
    public var problem: Problem

    /// Creates a finding.
    /// - Parameters:
    ///   - location: the row concerned.
    ///   - problem: what was found.
    public init(location: SourceLocation, problem: Problem) {
        self.location = location
        self.problem = problem
    }

    /// The finding's category.
    public var category: Category {
        switch problem {
        case .malformed: return .malformed
        case .skipped: return .skipped
        case .backwards: return .backwards
        case .duplicate: return .duplicate
        case .impossible: return .impossible
        case .misaligned: return .misaligned
        case .gap: return .gap
        case .zeroVolume: return .zeroVolume
        }
    }

    /// `data.csv:44081: gap: 80 missing 1m candles from 2023-03-24T12:40:00Z to 2023-03-24T13:59:00Z`.
    public var description: String {
        "\(location): \(category.rawValue): \(detail)"
    }

    private var detail: String {
        switch problem {
        case .malformed(let reason), .skipped(let reason), .impossible(let reason):
            return reason
        case .backwards(let timestamp, let previous):
            return "timestamp \(MarketDataError.describe(timestamp)) is before the previous row's "
                + MarketDataError.describe(previous)
        case .duplicate(let timestamp, let firstLine):
            return "timestamp \(MarketDataError.describe(timestamp)) already appeared at \(location.unit.rawValue) "
                + "\(firstLine)"
        case .misaligned(let timestamp, let timeframe):
            return "timestamp \(MarketDataError.describe(timestamp)) is not the start of a \(timeframe.rawValue) candle"
        case .gap(let firstMissing, let missingSteps, let timeframe):
            var last = firstMissing + Int64(max(missingSteps - 1, 0)) * timeframe.milliseconds
            if timeframe == .month1 {
                last = firstMissing
                for _ in 1..<max(missingSteps, 1) { last = timeframe.nextBucket(after: last) }
            }
            return "\(missingSteps) missing \(timeframe.rawValue) candle\(missingSteps == 1 ? "" : "s") from "
                + "\(CivilDate.iso8601(milliseconds: firstMissing)) to \(CivilDate.iso8601(milliseconds: last))"
        case .zeroVolume(let timestamp):
            return "zero volume at \(MarketDataError.describe(timestamp))"
        }
    }
}
