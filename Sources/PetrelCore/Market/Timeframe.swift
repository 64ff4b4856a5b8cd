/// A candle length, spelled as the venues spell it (`1m` … `1M`).
public enum Timeframe: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case m1 = "1m", m3 = "3m", m5 = "5m", m15 = "15m", m30 = "30m"
    case h1 = "1h", h2 = "2h", h4 = "4h", h6 = "6h", h8 = "8h", h12 = "12h"
    case d1 = "1d", d3 = "3d", w1 = "1w"
    /// One calendar month (UTC); its length varies.
    case month1 = "1M"

    /// Parses a venue spelling (`1m`, `4h`, `1d`, `1w`, `1M`); `nil` otherwise.
    public init?(parsing text: String) {
        self.init(rawValue: text)
    }

    /// Every accepted spelling, for error messages.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Nominal length in milliseconds (31 days for `1M`; use ``bucketStart(containing:)`` for
    /// calendar months).
    public var milliseconds: Int64 {
        let minute: Int64 = 60_000
        switch self {
        case .m1: return minute
        case .m3: return 3 * minute
        case .m5: return 5 * minute
        case .m15: return 15 * minute
        case .m30: return 30 * minute
        case .h1: return 60 * minute
        case .h2: return 120 * minute
        case .h4: return 240 * minute
        case .h6: return 360 * minute
        case .h8: return 480 * minute
        case .h12: return 720 * minute
        case .d1: return 1_440 * minute
        case .d3: return 3 * 1_440 * minute
        case .w1: return 7 * 1_440 * minute
        case .month1: return 31 * 1_440 * minute
        }
    }

    /// Nominal seconds (see ``milliseconds``).
    public var seconds: Int64 { milliseconds / 1_000 }

    /// How many candles of this length a year holds (365 days, crypto trades every day); used to
    /// annualise statistics.
    public var periodsPerYear: Double {
        switch self {
        case .month1: return 12
        default: return 365.0 * 86_400_000.0 / Double(milliseconds)
        }
    }

    /// Start (Unix ms, UTC) of the candle of this timeframe that contains `timestamp`.
    ///
    /// Minutes, hours and days align to the Unix epoch, weeks to Monday 00:00 UTC (as Binance
    /// does) and months to the first day of the month.
    public func bucketStart(containing timestamp: Int64) -> Int64 {
        switch self {
        case .w1:
            // 1970-01-01 was a Thursday; Monday 1970-01-05 is 4 days later.
            let offset: Int64 = 4 * 86_400_000
            return floorDiv(timestamp - offset, milliseconds) * milliseconds + offset
        case .month1:
            let day = floorDiv(timestamp, 86_400_000)
            let (year, month, _) = CivilDate.fromDays(day)
            return CivilDate.days(year: year, month: month, day: 1) * 86_400_000
        default:
            return floorDiv(timestamp, milliseconds) * milliseconds
        }
    }

    /// Start of the candle after the one starting at `bucketStart`.
    public func nextBucket(after bucketStart: Int64) -> Int64 {
        guard self == .month1 else { return bucketStart + milliseconds }
        let (year, month, _) = CivilDate.fromDays(floorDiv(bucketStart, 86_400_000))
        let nextYear = month == 12 ? year + 1 : year
        let nextMonth = month == 12 ? 1 : month + 1
        return CivilDate.days(year: nextYear, month: nextMonth, day: 1) * 86_400_000
    }

    public static func < (lhs: Timeframe, rhs: Timeframe) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

@inlinable
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (H. Hinnant's algorithms),
/// so that UTC dates need neither `Calendar` nor time zones.
public enum CivilDate {
    /// Days since 1970-01-01 of a calendar date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Calendar date (year, month 1–12, day 1–31) of a day number.
    public static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// ISO-8601 UTC text of a Unix-millisecond timestamp: `2024-01-31T23:59:00Z`.
    public static func iso8601(milliseconds: Int64) -> String {
        let day = floorDiv(milliseconds, 86_400_000)
        let msOfDay = milliseconds - day * 86_400_000
        let (y, m, d) = fromDays(day)
        let seconds = msOfDay / 1_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(y)-\(two(m))-\(two(d))T\(two(seconds / 3_600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        let millis = msOfDay % 1_000
        if millis != 0 {
            text += "." + String(String(millis + 1_000).dropFirst())
        }
        return text + "Z"
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (optionally ending in `Z`) as UTC, or a
    /// Unix-millisecond integer. `nil` for anything else, including dates that do not exist
    /// (`2023-02-29`) and fields with signs or the wrong number of digits (`2024-1-3`).
    public static func parseTimestamp(_ text: String) -> Int64? {
        if let ms = Int64(text), text.count >= 10 { return ms }
        let trimmed = text.hasSuffix("Z") ? String(text.dropLast()) : text
        let halves = trimmed.split(separator: "T", omittingEmptySubsequences: false)
        let spaceHalves = trimmed.split(separator: " ", omittingEmptySubsequences: false)
        let parts = halves.count == 2 ? halves : spaceHalves
        guard parts.count <= 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, let y = digits(date[0], 4), let m = digits(date[1], 2), let d = digits(date[2], 2),
            (1...12).contains(m), (1...31).contains(d), fromDays(days(year: y, month: m, day: d)) == (y, m, d)
        else { return nil }
        var ms = days(year: y, month: m, day: d) * 86_400_000
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(time.count), let hh = digits(time[0], 2), let mm = digits(time[1], 2),
                (0..<24).contains(hh), (0..<60).contains(mm)
            else { return nil }
            var ss: Int64 = 0
            if time.count == 3 {
                guard let s = digits(time[2], 2), (0..<60).contains(s) else { return nil }
                ss = s
            }
            ms += (hh * 3_600 + mm * 60 + ss) * 1_000
        }
        return ms
    }

    /// The value of a field of exactly `count` ASCII digits (no sign, no spaces).
    private static func digits(_ field: Substring, _ count: Int) -> Int64? {
        guard field.utf8.count == count, field.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(field)
    }
}
