import PetrelCore

/// Allocation-free parsers for CSV fields given as byte slices.
enum FieldParsing {
    /// Parses a non-negative decimal integer of at most 18 digits.
    /// - Complexity: O(n).
    @inline(__always)
    static func unsignedInteger(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count > 0, count <= 18 else { return nil }
        var value: Int64 = 0
        var index = 0
        while index < count {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return value
    }

    /// Below this a numeric timestamp is read as Unix seconds (as milliseconds it would be before
    /// 1973-03-03).
    static let secondsLimit: Int64 = 100_000_000_000
    /// From here on a numeric timestamp is read as Unix microseconds (as milliseconds it would be
    /// after the year 5138).
    static let microsecondsStart: Int64 = 100_000_000_000_000
    /// From here on a timestamp is rejected (as microseconds it would be after the year 5138).
    static let microsecondsLimit: Int64 = 100_000_000_000_000_000

    /// Converts a Unix timestamp in seconds, milliseconds or microseconds (told apart by magnitude)
    /// to milliseconds; microseconds are floored to the millisecond. `nil` when out of range.
    @inline(__always)
    static func normalisedTimestamp(_ value: Int64) -> Int64? {
        if value < secondsLimit { return value * 1_000 }
        if value < microsecondsStart { return value }
        if value < microsecondsLimit { return value / 1_000 }
        return nil
    }

    /// Parses a `YYYY-MM-DD` date as UTC midnight in Unix milliseconds; `nil` for anything else,
    /// including impossible dates such as `2023-02-30`.
    static func date(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        guard let year = unsignedInteger(UnsafeRawBufferPointer(rebasing: bytes[0..<4])),
            let month = unsignedInteger(UnsafeRawBufferPointer(rebasing: bytes[5..<7])),
            let day = unsignedInteger(UnsafeRawBufferPointer(rebasing: bytes[8..<10])),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let back = CivilDate.fromDays(days)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return days * 86_400_000
    }

    /// Whether a field is Yahoo's `null` (any case).
    @inline(__always)
    static func isNull(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 4 && (bytes[0] | 0x20) == UInt8(ascii: "n") && (bytes[1] | 0x20) == UInt8(ascii: "u")
            && (bytes[2] | 0x20) == UInt8(ascii: "l") && (bytes[3] | 0x20) == UInt8(ascii: "l")
    }

    /// Parses a decimal with any number of digits and an optional exponent (`185.639999`,
    /// `0.10675300657749176`, `1.5e-05`), rounding half-even to 8 fractional digits.
    ///
    /// Used only for Yahoo Finance files, whose prices are binary floating-point values printed
    /// with up to 17 significant digits; every other format must be exact.
    /// - Returns: the rounded value, or `nil` for bad syntax or a value out of range.
    /// - Complexity: O(n).
    static func roundedDecimal(_ bytes: UnsafeRawBufferPointer) -> FixedPoint? {
        let count = bytes.count
        var index = 0
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var kept = 0  // significant digits in `mantissa`
        var exponent = 0  // value = mantissa × 10^exponent
        var sticky = false  // a dropped non-zero digit beyond the kept ones
        var digits = 0
        var inFraction = false
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !inFraction else { return nil }
                inFraction = true
                index += 1
                continue
            }
            let digit = byte &- 48
            guard digit < 10 else { break }
            digits += 1
            if kept < 18 {
                mantissa = mantissa * 10 + UInt64(digit)
                if mantissa != 0 { kept += 1 }
                if inFraction { exponent -= 1 }
            } else {
                if digit != 0 { sticky = true }
                if !inFraction { exponent += 1 }
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < count {
            guard bytes[index] | 0x20 == UInt8(ascii: "e") else { return nil }
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < count, let written = unsignedInteger(UnsafeRawBufferPointer(rebasing: bytes[index...])),
                written < 10_000
            else { return nil }
            exponent += exponentNegative ? -Int(written) : Int(written)
            index = count
        }
        let raw = scaled(mantissa, power: exponent + FixedPoint.fractionDigits, sticky: sticky)
        guard let raw else { return nil }
        return FixedPoint(rawValue: negative ? -raw : raw)
    }

    /// `mantissa × 10^power` rounded half-even to an integer (`sticky`: the true mantissa is a
    /// little larger); `nil` on overflow.
    private static func scaled(_ mantissa: UInt64, power: Int, sticky: Bool) -> Int64? {
        if mantissa == 0 { return 0 }
        if power >= 0 {
            var value = mantissa
            for _ in 0..<power {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product
            }
            return Int64(exactly: value)
        }
        guard power >= -19 else { return 0 }  // mantissa < 10^18, so the value is below 0.1
        var divisor: UInt64 = 1
        for _ in 0 ..< -power { divisor *= 10 }
        var quotient = mantissa / divisor
        let twiceRemainder = (mantissa % divisor) * 2
        if twiceRemainder > divisor || (twiceRemainder == divisor && (sticky || quotient % 2 == 1)) {
            quotient += 1
        }
        return Int64(exactly: quotient)
    }

    /// Completes "column 'x' value 'v' …" for a field that did not parse as an exact decimal.
    static func decimalProblem(_ text: String) -> String {
        do {
            _ = try FixedPoint(parsing: text)
            return "is not a decimal number"
        } catch {
            switch error {
            case .tooManyFractionDigits:
                return "has more than \(FixedPoint.fractionDigits) fractional digits (Petrel keeps exact decimals)"
            case .overflow:
                return "is outside the representable range ±92233720368.54775807"
            default:
                return text.isEmpty ? "is empty (expected a decimal number)" : "is not a decimal number"
            }
        }
    }
}
