import Foundation
import PetrelAnalytics
import PetrelCore

/// `true` when `actual` is within `tolerance` of `expected`, absolutely or relative to
/// `expected` (whichever is looser); `false` for `nil`.
func isClose(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-12) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= max(tolerance, tolerance * abs(expected))
}

/// Unix ms of a UTC calendar date (midnight).
func utc(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    CivilDate.days(year: year, month: month, day: day) * 86_400_000
}

/// Encodes `value` as the API does: sorted keys, default (throwing) non-finite strategy.
func sortedJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}

/// The hand-worked curve used across the suites: six month-start points of 2024.
///
///     index  date        equity  return
///     0      2024-01-01  100.0   —
///     1      2024-02-01  120.0   +0.20
///     2      2024-03-01   90.0   −0.25
///     3      2024-04-01  108.0   +0.20
///     4      2024-05-01  135.0   +0.25
///     5      2024-06-01  121.5   −0.10
enum HandCurve {
    static let values: [Double] = [100, 120, 90, 108, 135, 121.5]
    static let times: [Int64] = [
        utc(2024, 1, 1), utc(2024, 2, 1), utc(2024, 3, 1), utc(2024, 4, 1), utc(2024, 5, 1), utc(2024, 6, 1),
    ]
    static var points: [EquityPoint] { zip(times, values).map { EquityPoint(timestamp: $0, equity: $1) } }
    /// Monthly bars: 12 periods per year.
    static let conventions = AnalyticsConventions(timeframe: .month1)
}
