extension FixedPoint {
    /// Sum; traps on overflow (use ``adding(_:)`` for untrusted values).
    @inlinable
    public static func + (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(rawValue: lhs.rawValue + rhs.rawValue)
    }

    /// Difference; traps on overflow (use ``subtracting(_:)`` for untrusted values).
    @inlinable
    public static func - (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(rawValue: lhs.rawValue - rhs.rawValue)
    }

    @inlinable
    public static prefix func - (value: FixedPoint) -> FixedPoint {
        FixedPoint(rawValue: -value.rawValue)
    }

    @inlinable
    public static func += (lhs: inout FixedPoint, rhs: FixedPoint) { lhs.rawValue += rhs.rawValue }

    @inlinable
    public static func -= (lhs: inout FixedPoint, rhs: FixedPoint) { lhs.rawValue -= rhs.rawValue }

    /// Sum that reports overflow.
    /// - Throws: ``FixedPointError/overflow(_:)``.
    public func adding(_ other: FixedPoint) throws(FixedPointError) -> FixedPoint {
        let (sum, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        if overflow { throw .overflow("\(self) + \(other)") }
        return FixedPoint(rawValue: sum)
    }

    /// Difference that reports overflow.
    /// - Throws: ``FixedPointError/overflow(_:)``.
    public func subtracting(_ other: FixedPoint) throws(FixedPointError) -> FixedPoint {
        let (difference, overflow) = rawValue.subtractingReportingOverflow(other.rawValue)
        if overflow { throw .overflow("\(self) - \(other)") }
        return FixedPoint(rawValue: difference)
    }

    /// Exact product rounded back to 8 fractional digits, computed in `Int128`.
    /// - Parameters:
    ///   - other: the multiplier.
    ///   - rounding: how to drop digits beyond the 8th.
    /// - Throws: ``FixedPointError/overflow(_:)`` when the result does not fit.
    /// - Complexity: O(1).
    public func multiplied(by other: FixedPoint, rounding: RoundingRule = .halfEven) throws(FixedPointError)
        -> FixedPoint
    {
        let wide = Int128(rawValue) * Int128(other.rawValue)
        let result = Self.divide(wide, by: Int128(Self.scale), rounding: rounding)
        guard let raw = Int64(exactly: result) else { throw .overflow("\(self) × \(other)") }
        return FixedPoint(rawValue: raw)
    }

    /// Exact quotient rounded to 8 fractional digits, computed in `Int128`.
    /// - Parameters:
    ///   - other: the divisor.
    ///   - rounding: how to drop digits beyond the 8th.
    /// - Throws: ``FixedPointError/divisionByZero`` or ``FixedPointError/overflow(_:)``.
    public func divided(by other: FixedPoint, rounding: RoundingRule = .halfEven) throws(FixedPointError)
        -> FixedPoint
    {
        guard other.rawValue != 0 else { throw .divisionByZero }
        let wide = Int128(rawValue) * Int128(Self.scale)
        let result = Self.divide(wide, by: Int128(other.rawValue), rounding: rounding)
        guard let raw = Int64(exactly: result) else { throw .overflow("\(self) ÷ \(other)") }
        return FixedPoint(rawValue: raw)
    }

    /// The product with a whole number, reporting overflow.
    /// - Throws: ``FixedPointError/overflow(_:)``.
    public func multiplied(by integer: Int) throws(FixedPointError) -> FixedPoint {
        let (product, overflow) = rawValue.multipliedReportingOverflow(by: Int64(integer))
        if overflow { throw .overflow("\(self) × \(integer)") }
        return FixedPoint(rawValue: product)
    }

    /// Exact product of three values rounded once to 8 fractional digits: `a × b × c`.
    ///
    /// Notional and P&L of swaps multiply a price, a quantity and a contract value; rounding
    /// after the first product and then multiplying by a large contract value (10,000,000 for
    /// PEPE swaps) would multiply the rounding error too.
    /// - Throws: ``FixedPointError/overflow(_:)`` when the result does not fit.
    static func product(_ a: FixedPoint, _ b: FixedPoint, _ c: FixedPoint, rounding: RoundingRule = .halfEven)
        throws(FixedPointError) -> FixedPoint
    {
        // |a × b| ≤ 2^126 always fits in Int128; when × c does not, |result| ≥ 2^127 / 10^16 does not fit Int64.
        let (wide, overflow) = (Int128(a.rawValue) * Int128(b.rawValue)).multipliedReportingOverflow(
            by: Int128(c.rawValue))
        guard !overflow,
            let raw = Int64(exactly: divide(wide, by: Int128(scale) * Int128(scale), rounding: rounding))
        else { throw .overflow("\(a) × \(b) × \(c)") }
        return FixedPoint(rawValue: raw)
    }

    /// Rounds to a whole multiple of `step` (a tick size or a lot step).
    /// - Parameters:
    ///   - step: the increment; must be positive.
    ///   - rule: the direction.
    /// - Throws: ``FixedPointError/invalidStep(_:)`` when `step` is not positive,
    ///   ``FixedPointError/overflow(_:)`` when rounding up leaves the range.
    public func rounded(toStep step: FixedPoint, rule: RoundingRule) throws(FixedPointError) -> FixedPoint {
        guard step.rawValue > 0 else { throw .invalidStep("\(step)") }
        let steps = Self.divide(Int128(rawValue), by: Int128(step.rawValue), rounding: rule)
        guard let raw = Int64(exactly: steps * Int128(step.rawValue)) else {
            throw .overflow("\(self) rounded to \(step)")
        }
        return FixedPoint(rawValue: raw)
    }

    /// Whether the value is a whole multiple of `step`.
    public func isMultiple(ofStep step: FixedPoint) -> Bool {
        step.rawValue > 0 && rawValue % step.rawValue == 0
    }

    /// Integer division of `numerator` by a positive or negative `denominator` with a rounding rule.
    @usableFromInline
    static func divide(_ numerator: Int128, by denominator: Int128, rounding: RoundingRule) -> Int128 {
        let quotient = numerator / denominator  // truncates toward zero
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let negative = (numerator < 0) != (denominator < 0)
        switch rounding {
        case .towardZero:
            return quotient
        case .down:
            return negative ? quotient - 1 : quotient
        case .up:
            return negative ? quotient : quotient + 1
        case .halfEven:
            let twiceRemainder = remainder.magnitude * 2
            let divisor = denominator.magnitude
            let awayFromZero: Bool
            if twiceRemainder > divisor {
                awayFromZero = true
            } else if twiceRemainder < divisor {
                awayFromZero = false
            } else {
                awayFromZero = quotient % 2 != 0
            }
            guard awayFromZero else { return quotient }
            return negative ? quotient - 1 : quotient + 1
        }
    }
}
