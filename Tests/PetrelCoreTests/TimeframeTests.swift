import Foundation
import PetrelCore
import Testing

@Suite("Timeframes, candle buckets and UTC dates")
struct TimeframeTests {
    /// 2024-01-03T10:17:42.123Z, a Wednesday.
    static let wednesdayMorning: Int64 = 1_704_277_062_123
    static let day: Int64 = 86_400_000

    @Test(
        "aligns minute, hour and day candles to the Unix epoch",
        arguments: [
            (Timeframe.m1, 1_704_277_020_000),  // 10:17
            (.m3, 1_704_276_900_000),  // 10:15
            (.m5, 1_704_276_900_000),  // 10:15
            (.m15, 1_704_276_900_000),  // 10:15
            (.m30, 1_704_276_000_000),  // 10:00
            (.h1, 1_704_276_000_000),  // 10:00
            (.h2, 1_704_276_000_000),  // 10:00
            (.h4, 1_704_268_800_000),  // 08:00
            (.h6, 1_704_261_600_000),  // 06:00
            (.h8, 1_704_268_800_000),  // 08:00
            (.h12, 1_704_240_000_000),  // 00:00
            (.d1, 1_704_240_000_000),  // 2024-01-03
            (.d3, 1_704_240_000_000),  // 2024-01-03: day 19725 is a multiple of 3
        ] as [(Timeframe, Int64)]
    )
    func alignsToEpoch(timeframe: Timeframe, expected: Int64) {
        #expect(timeframe.bucketStart(containing: Self.wednesdayMorning) == expected)
        #expect(timeframe.bucketStart(containing: expected) == expected)
        #expect(timeframe.nextBucket(after: expected) == expected + timeframe.milliseconds)
    }

    @Test(
        "aligns weekly candles to Monday 00:00 UTC",
        arguments: [
            (Self.wednesdayMorning, 1_704_067_200_000),  // Wed 2024-01-03 → Mon 2024-01-01
            (1_704_067_200_000, 1_704_067_200_000),  // Monday midnight is its own start
            (1_704_067_199_999, 1_703_462_400_000),  // Sun 2023-12-31 23:59:59.999 → Mon 2023-12-25
            (1_704_671_999_999, 1_704_067_200_000),  // last ms of that week
            (0, -259_200_000),  // Thu 1970-01-01 → Mon 1969-12-29
            (-1, -259_200_000),
        ] as [(Int64, Int64)]
    )
    func alignsWeeksToMonday(timestamp: Int64, expected: Int64) {
        #expect(Timeframe.w1.bucketStart(containing: timestamp) == expected)
        #expect(Timeframe.w1.nextBucket(after: expected) == expected + 7 * Self.day)
    }

    @Test(
        "aligns monthly candles to the first day of the calendar month",
        arguments: [
            (1_707_955_200_000, 1_706_745_600_000),  // 2024-02-15 → 2024-02-01
            (1_709_251_199_999, 1_706_745_600_000),  // 2024-02-29 23:59:59.999 → 2024-02-01
            (1_709_251_200_000, 1_709_251_200_000),  // 2024-03-01
            (Self.wednesdayMorning, 1_704_067_200_000),  // 2024-01-03 → 2024-01-01
            (-1_468_800_000, -2_678_400_000),  // 1969-12-15 → 1969-12-01
            (-1, -2_678_400_000),
            (951_782_400_000, 949_363_200_000),  // 2000-02-29 → 2000-02-01
        ] as [(Int64, Int64)]
    )
    func alignsMonths(timestamp: Int64, expected: Int64) {
        #expect(Timeframe.month1.bucketStart(containing: timestamp) == expected)
    }

    @Test(
        "steps from one calendar month to the next, across years and leap Februaries",
        arguments: [
            (1_701_388_800_000, 1_704_067_200_000),  // 2023-12-01 → 2024-01-01
            (1_704_067_200_000, 1_706_745_600_000),  // 2024-01-01 → 2024-02-01
            (1_706_745_600_000, 1_709_251_200_000),  // 2024-02-01 → 2024-03-01 (29 days)
            (1_675_209_600_000, 1_677_628_800_000),  // 2023-02-01 → 2023-03-01 (28 days)
            (1_733_011_200_000, 1_735_689_600_000),  // 2024-12-01 → 2025-01-01
            (-2_678_400_000, 0),  // 1969-12-01 → 1970-01-01
        ] as [(Int64, Int64)]
    )
    func stepsMonths(start: Int64, next: Int64) {
        #expect(Timeframe.month1.nextBucket(after: start) == next)
    }

    @Test("every timestamp lies in exactly one bucket of every timeframe")
    func bucketsPartitionTime() {
        var random = SplitMix64(seed: 0xB0C4E7)
        for _ in 0..<2_000 {
            // 1900 to 2100.
            let timestamp = Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &random)
            for timeframe in Timeframe.allCases {
                let start = timeframe.bucketStart(containing: timestamp)
                let next = timeframe.nextBucket(after: start)
                #expect(start <= timestamp && timestamp < next, "\(timeframe) \(timestamp)")
                #expect(timeframe.bucketStart(containing: start) == start)
                #expect(timeframe.bucketStart(containing: next) == next)
                #expect(timeframe.bucketStart(containing: next - 1) == start)
                if timeframe == .month1 {
                    #expect(CivilDate.fromDays(start / Self.day).day == 1)
                    #expect((28...31).contains((next - start) / Self.day))
                } else if timeframe == .w1 {
                    // 1970-01-05 was a Monday.
                    #expect((start / Self.day - 4) % 7 == 0, "\(timestamp)")
                }
            }
        }
    }

    @Test("parses venue spellings and lists them for error messages")
    func parsesSpellings() {
        #expect(Timeframe(parsing: "1m") == .m1)
        #expect(Timeframe(parsing: "4h") == .h4)
        #expect(Timeframe(parsing: "1M") == .month1)
        #expect(Timeframe(parsing: "1w") == .w1)
        #expect(Timeframe(parsing: "1H") == nil)
        #expect(Timeframe(parsing: "60m") == nil)
        #expect(Timeframe.allowedValues == "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M")
    }

    @Test("orders timeframes by length and annualises them over 365 days")
    func lengthsAndOrder() {
        #expect(Timeframe.allCases.sorted() == Timeframe.allCases)
        #expect(Timeframe.h4.seconds == 14_400)
        #expect(Timeframe.d1.periodsPerYear == 365)
        #expect(Timeframe.h1.periodsPerYear == 8_760)
        #expect(Timeframe.month1.periodsPerYear == 12)
        #expect(Timeframe.w1.periodsPerYear == 365.0 / 7)
    }

    // MARK: Calendar arithmetic

    @Test("converts between day numbers and dates over ±300 years, day by day")
    func civilDatesRoundTrip() {
        // An independent model: walk the calendar one day at a time with a month-length table.
        func daysIn(month: Int64, of year: Int64) -> Int64 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)]
        }
        var date: (year: Int64, month: Int64, day: Int64) = (1970, 1, 1)
        var failures = 0
        for dayNumber in Int64(0)...110_000 {
            let converted = CivilDate.fromDays(dayNumber)
            if converted != date || CivilDate.days(year: date.year, month: date.month, day: date.day) != dayNumber {
                failures += 1
                Issue.record("day \(dayNumber): expected \(date), got \(converted)")
                if failures > 5 { return }
            }
            date.day += 1
            if date.day > daysIn(month: date.month, of: date.year) {
                date = date.month == 12 ? (date.year + 1, 1, 1) : (date.year, date.month + 1, 1)
            }
        }
        date = (1970, 1, 1)
        for dayNumber in stride(from: Int64(-1), through: -110_000, by: -1) {
            date.day -= 1
            if date.day == 0 {
                date = date.month == 1 ? (date.year - 1, 12, 31) : (date.year, date.month - 1, 0)
                if date.day == 0 { date.day = daysIn(month: date.month, of: date.year) }
            }
            let converted = CivilDate.fromDays(dayNumber)
            if converted != date || CivilDate.days(year: date.year, month: date.month, day: date.day) != dayNumber {
                failures += 1
                Issue.record("day \(dayNumber): expected \(date), got \(converted)")
                if failures > 5 { return }
            }
        }
    }

    @Test(
        "knows the day numbers of well-known dates",
        arguments: [
            (2024, 1, 1, 19_723),
            (2000, 2, 29, 11_016),
            (1900, 3, 1, -25_508),
            (2100, 2, 28, 47_540),
            (1, 1, 1, -719_162),
            (9999, 12, 31, 2_932_896),
        ] as [(Int64, Int64, Int64, Int64)]
    )
    func knownDates(year: Int64, month: Int64, day: Int64, number: Int64) {
        #expect(CivilDate.days(year: year, month: month, day: day) == number)
        #expect(CivilDate.fromDays(number) == (year, month, day))
    }

    @Test(
        "prints ISO-8601 UTC text, with milliseconds only when there are some",
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (1_706_745_540_000, "2024-01-31T23:59:00Z"),
            (1_706_745_540_123, "2024-01-31T23:59:00.123Z"),
            (1_706_745_540_005, "2024-01-31T23:59:00.005Z"),
            (1_706_745_540_050, "2024-01-31T23:59:00.050Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00Z"),
            (253_402_300_799_000, "9999-12-31T23:59:59Z"),
        ] as [(Int64, String)]
    )
    func printsISO8601(milliseconds: Int64, text: String) {
        #expect(CivilDate.iso8601(milliseconds: milliseconds) == text)
    }

    @Test(
        "parses dates, date-times and Unix milliseconds as UTC",
        arguments: [
            ("2024-01-03", 1_704_240_000_000),
            ("2024-01-03T10:17", 1_704_277_020_000),
            ("2024-01-03T10:17:42", 1_704_277_062_000),
            ("2024-01-03T10:17:42Z", 1_704_277_062_000),
            ("2024-01-03 10:17:42", 1_704_277_062_000),
            ("2024-02-29", 1_709_164_800_000),
            ("2000-02-29T00:00:00Z", 951_782_400_000),
            ("1969-12-31T23:59:59Z", -1_000),
            ("1704277062123", 1_704_277_062_123),
            ("0000000000", 0),
        ] as [(String, Int64)]
    )
    func parsesTimestamps(text: String, expected: Int64) {
        #expect(CivilDate.parseTimestamp(text) == expected)
    }

    @Test(
        "rejects text that is not one of the accepted timestamp forms or not a real date",
        arguments: [
            "", "yesterday", "12345", "2024", "2024-01", "24-01-03", "2024/01/03", "2024-01-03T", "2024-01-03T10",
            "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-02-30", "2023-02-29", "2024-04-31",
            "2100-02-29", "2024-01-03T24:00", "2024-01-03T10:60", "2024-01-03T10:17:60", "2024-01-03T-1:00",
            "2024-01-03T10:17:42+02:00", "2024-01-03T10:17:42:00", "+024-01-03", "2024-+1-03", "2024-01-+3",
            "2024-01-03T+9:00", "2024-1-3", "2024-01-03T1:2", "２０２４-01-03",
        ]
    )
    func rejectsBadTimestamps(text: String) {
        #expect(CivilDate.parseTimestamp(text) == nil)
    }

    @Test("reads back what it prints for whole seconds")
    func iso8601RoundTrip() {
        var random = SplitMix64(seed: 1_970)
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_208_988_800...4_102_444_800, using: &random)
            let text = CivilDate.iso8601(milliseconds: seconds * 1_000)
            #expect(CivilDate.parseTimestamp(text) == seconds * 1_000, "\(text)")
        }
    }
}
