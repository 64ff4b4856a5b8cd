extension FixedPoint: LosslessStringConvertible, CustomStringConvertible {
    /// Parses a plain decimal string such as `23141.57000000`, `-0.5`, `+12` or `.25`.
    ///
    /// Digits beyond the 8th fractional digit are accepted only when they are zeros; anything
    /// else is an error rather than a silent rounding. Exponents are not accepted.
    /// - Parameter text: the decimal text.
    /// - Throws: ``FixedPointError`` naming the text.
    /// - Complexity: O(n) in the length of `text`, no allocation for UTF-8 input.
    public init(parsing text: some StringProtocol) throws(FixedPointError) {
        var utf8 = String(text)
        let parsed: FixedPoint? = utf8.withUTF8 { buffer in
            FixedPoint.parse(UnsafeRawBufferPointer(buffer))
        }
        guard let parsed else { throw Self.diagnose(String(text)) }
        self = parsed
    }

    /// Parses decimal text; `nil` when it is not an exact 8-digit decimal in range.
    public init?(_ description: String) {
        guard let value = try? FixedPoint(parsing: description) else { return nil }
        self = value
    }

    /// Parses ASCII bytes (a CSV field, a JSON string) without creating a `String`.
    /// - Returns: the value, or `nil` for bad syntax, excess precision or overflow.
    /// - Complexity: O(n).
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> FixedPoint? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var integer: Int64 = 0
        var digits = 0
        while index < count {
            let byte = bytes[index]
            guard byte >= 48 && byte <= 57 else { break }
            let (shifted, o1) = integer.multipliedReportingOverflow(by: 10)
            let (added, o2) = shifted.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 { return nil }
            integer = added
            digits += 1
            index += 1
        }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                if fractionDigits < 8 {
                    fraction = fraction * 10 + Int64(byte - 48)
                } else if byte != 48 {
                    return nil
                }
                fractionDigits += 1
                index += 1
            }
            if fractionDigits == 0 && digits == 0 { return nil }
        }
        guard index == count, digits + fractionDigits > 0 else { return nil }
        var pad = fractionDigits
        while pad < 8 {
            fraction *= 10
            pad += 1
        }
        let (scaled, o1) = integer.multipliedReportingOverflow(by: scale)
        let (raw, o2) = scaled.addingReportingOverflow(fraction)
        if o1 || o2 {
            // -92233720368.54775808 is representable only as a negative value.
            if negative, integer == 92_233_720_368, fraction == 54_775_808 { return FixedPoint(rawValue: .min) }
            return nil
        }
        return FixedPoint(rawValue: negative ? -raw : raw)
    }

    /// Explains why `text` did not parse.
    static func diagnose(_ text: String) -> FixedPointError {
        let body = text.drop { $0 == "-" || $0 == "+" }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed =
            !body.isEmpty && parts.count <= 2 && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
            && parts.contains { !$0.isEmpty } && text.count - body.count <= 1
        guard wellFormed else { return .invalidSyntax(text) }
        if parts.count == 2, parts[1].dropFirst(fractionDigits).contains(where: { $0 != "0" }) {
            return .tooManyFractionDigits(text)
        }
        return .overflow(text)
    }

    /// The shortest exact decimal form: `23141.57`, `0.00000001`, `-3`, `0`.
    public var description: String {
        formatted(minimumFractionDigits: 0)
    }

    /// The exact decimal form with at least `minimumFractionDigits` fractional digits
    /// (`formatted(minimumFractionDigits: 8)` gives Binance's `23141.57000000`).
    /// - Parameter minimumFractionDigits: 0 to 8.
    public func formatted(minimumFractionDigits: Int) -> String {
        let magnitude = rawValue.magnitude
        let integerPart = magnitude / UInt64(Self.scale)
        var fractionPart = magnitude % UInt64(Self.scale)
        var fractionDigitsCount = Self.fractionDigits
        let minimum = Swift.max(0, Swift.min(Self.fractionDigits, minimumFractionDigits))
        while fractionDigitsCount > minimum && fractionPart % 10 == 0 {
            fractionPart /= 10
            fractionDigitsCount -= 1
        }
        var result = rawValue < 0 ? "-" : ""
        result += String(integerPart)
        if fractionDigitsCount > 0 {
            let digits = String(fractionPart)
            result += "."
            result += String(repeating: "0", count: fractionDigitsCount - digits.count)
            result += digits
        }
        return result
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension FixedPoint: ExpressibleByIntegerLiteral {
    /// A whole-number literal; traps at compile-time-known out-of-range constants.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension FixedPoint {
    /// The exact decimal nearest to a `Double`, for turning a strategy's `Double` output
    /// (a size fraction, a price level) into an order value.
    /// - Parameters:
    ///   - value: a finite number.
    ///   - rounding: applied at the 8th fractional digit.
    /// - Throws: ``FixedPointError/notFinite`` or ``FixedPointError/overflow(_:)``.
    public init(approximating value: Double, rounding: RoundingRule = .halfEven) throws(FixedPointError) {
        guard value.isFinite else { throw .notFinite }
        let scaled = value * Double(Self.scale)
        let rounded: Double
        switch rounding {
        case .down: rounded = scaled.rounded(.down)
        case .up: rounded = scaled.rounded(.up)
        case .towardZero: rounded = scaled.rounded(.towardZero)
        case .halfEven: rounded = scaled.rounded(.toNearestOrEven)
        }
        guard rounded >= -9.223_372_036_854_775e18, rounded < 9.223_372_036_854_775e18 else {
            throw .overflow("\(value)")
        }
        self.init(rawValue: Int64(rounded))
    }
}
