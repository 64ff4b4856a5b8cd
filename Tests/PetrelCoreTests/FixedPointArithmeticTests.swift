import PetrelCore
import Testing

@Suite("Fixed-point arithmetic")
struct FixedPointArithmeticTests {
    @Test("adds and subtracts exactly")
    func addsAndSubtracts() throws {
        #expect(dec("0.1") + dec("0.2") == dec("0.3"))
        #expect(dec("23141.57") - dec("23141.58") == dec("-0.01"))
        #expect(try dec("0.1").adding(dec("0.2")) == dec("0.3"))
        #expect(try dec("-5").subtracting(dec("-7.5")) == dec("2.5"))
        var total = FixedPoint.zero
        for _ in 0..<10 { total += dec("0.1") }
        #expect(total == .one)
        total -= dec("0.00000001")
        #expect(total == dec("0.99999999"))
        #expect(-dec("1.5") == dec("-1.5"))
    }

    @Test("reports overflow of a sum or difference instead of wrapping")
    func reportsAdditionOverflow() {
        #expect(throws: FixedPointError.overflow("92233720368.54775807 + 0.00000001")) {
            try FixedPoint.max.adding(.ulp)
        }
        #expect(throws: FixedPointError.overflow("-92233720368.54775808 - 0.00000001")) {
            try FixedPoint.min.subtracting(.ulp)
        }
        #expect(throws: FixedPointError.overflow("0 - -92233720368.54775808")) {
            try FixedPoint.zero.subtracting(.min)
        }
        #expect(throws: FixedPointError.overflow("-1 + -92233720368.54775808")) {
            try dec("-1").adding(.min)
        }
    }

    @Test("the overflow message names both operands and the range")
    func overflowMessage() {
        let error = #expect(throws: FixedPointError.self) { try FixedPoint.max.adding(.one) }
        #expect(
            error?.description == "92233720368.54775807 + 1 is outside the representable range ±92233720368.54775807")
    }

    @Test(
        "multiplies exactly and rounds beyond the 8th digit by the rule asked for",
        arguments: [
            ("1.5", "2.25", RoundingRule.halfEven, "3.375"),
            ("23141.57", "0.00123", .halfEven, "28.4641311"),
            ("0.00000001", "0.5", .halfEven, "0"),
            ("0.00000001", "0.5", .up, "0.00000001"),
            ("0.00000001", "0.5", .down, "0"),
            ("0.00000001", "0.5", .towardZero, "0"),
            ("0.00000003", "0.5", .halfEven, "0.00000002"),
            ("0.00000005", "0.5", .halfEven, "0.00000002"),
            ("0.00000007", "0.5", .halfEven, "0.00000004"),
            ("-0.00000001", "0.5", .halfEven, "0"),
            ("-0.00000003", "0.5", .halfEven, "-0.00000002"),
            ("-0.00000001", "0.5", .down, "-0.00000001"),
            ("-0.00000001", "0.5", .up, "0"),
            ("-0.00000001", "0.5", .towardZero, "0"),
            ("0.12345678", "0.1", .halfEven, "0.01234568"),
            ("0.12345678", "0.1", .down, "0.01234567"),
            ("-0.12345678", "0.1", .down, "-0.01234568"),
            ("-0.12345678", "0.1", .towardZero, "-0.01234567"),
            ("0.00000001", "0.00000001", .halfEven, "0"),
            ("0.00000001", "0.00000001", .up, "0.00000001"),
            ("-3", "-4", .halfEven, "12"),
            ("92233720368.54775807", "1", .halfEven, "92233720368.54775807"),
            ("-92233720368.54775808", "1", .halfEven, "-92233720368.54775808"),
        ] as [(String, String, RoundingRule, String)]
    )
    func multiplies(lhs: String, rhs: String, rule: RoundingRule, expected: String) throws {
        #expect(try dec(lhs).multiplied(by: dec(rhs), rounding: rule) == dec(expected))
        #expect(try dec(rhs).multiplied(by: dec(lhs), rounding: rule) == dec(expected))
    }

    @Test(
        "divides exactly and rounds beyond the 8th digit by the rule asked for",
        arguments: [
            ("10", "4", RoundingRule.halfEven, "2.5"),
            ("1", "3", .halfEven, "0.33333333"),
            ("1", "3", .up, "0.33333334"),
            ("2", "3", .halfEven, "0.66666667"),
            ("2", "3", .down, "0.66666666"),
            ("2", "3", .towardZero, "0.66666666"),
            ("-2", "3", .down, "-0.66666667"),
            ("-2", "3", .up, "-0.66666666"),
            ("-2", "3", .towardZero, "-0.66666666"),
            ("2", "-3", .halfEven, "-0.66666667"),
            ("-2", "-3", .halfEven, "0.66666667"),
            ("0.00000001", "2", .halfEven, "0"),
            ("0.00000003", "2", .halfEven, "0.00000002"),
            ("-0.00000003", "2", .halfEven, "-0.00000002"),
            ("6942.473", "0.3", .halfEven, "23141.57666667"),
            ("92233720368.54775807", "1", .halfEven, "92233720368.54775807"),
            ("-92233720368.54775808", "-92233720368.54775808", .halfEven, "1"),
        ] as [(String, String, RoundingRule, String)]
    )
    func divides(lhs: String, rhs: String, rule: RoundingRule, expected: String) throws {
        #expect(try dec(lhs).divided(by: dec(rhs), rounding: rule) == dec(expected))
    }

    @Test("refuses division by zero")
    func refusesDivisionByZero() {
        #expect(throws: FixedPointError.divisionByZero) { try FixedPoint.one.divided(by: .zero) }
        #expect(throws: FixedPointError.divisionByZero) { try FixedPoint.zero.divided(by: .zero, rounding: .up) }
        #expect(FixedPointError.divisionByZero.description == "division by zero")
    }

    @Test("reports overflow of a product or quotient instead of wrapping")
    func reportsProductOverflow() {
        #expect(throws: FixedPointError.overflow("92233720368.54775807 × 1.00000001")) {
            try FixedPoint.max.multiplied(by: dec("1.00000001"))
        }
        #expect(throws: FixedPointError.overflow("-92233720368.54775808 × -1")) {
            try FixedPoint.min.multiplied(by: dec("-1"))
        }
        #expect(throws: FixedPointError.overflow("1000000 × 1000000")) {
            try dec("1000000").multiplied(by: dec("1000000"))
        }
        #expect(throws: FixedPointError.overflow("-92233720368.54775808 ÷ -1")) {
            try FixedPoint.min.divided(by: dec("-1"))
        }
        #expect(throws: FixedPointError.overflow("1000 ÷ 0.00000001")) {
            try dec("1000").divided(by: .ulp)
        }
    }

    @Test("multiplies by a whole number and reports overflow")
    func multipliesByInteger() throws {
        #expect(try dec("0.125").multiplied(by: 8) == .one)
        #expect(try dec("-2.5").multiplied(by: -3) == dec("7.5"))
        #expect(try FixedPoint.max.multiplied(by: 1) == .max)
        #expect(throws: FixedPointError.overflow("46116860184.27387904 × 2")) {
            try FixedPoint(rawValue: Int64.max / 2 + 1).multiplied(by: 2)
        }
        #expect(throws: FixedPointError.overflow("-92233720368.54775808 × -1")) {
            try FixedPoint.min.multiplied(by: -1)
        }
    }

    @Test(
        "rounds to a tick or lot step in each direction",
        arguments: [
            ("23141.575", "0.01", RoundingRule.down, "23141.57"),
            ("23141.575", "0.01", .up, "23141.58"),
            ("23141.575", "0.01", .towardZero, "23141.57"),
            ("23141.575", "0.01", .halfEven, "23141.58"),
            ("23141.565", "0.01", .halfEven, "23141.56"),
            ("23141.5651", "0.01", .halfEven, "23141.57"),
            ("-23141.575", "0.01", .down, "-23141.58"),
            ("-23141.575", "0.01", .up, "-23141.57"),
            ("-23141.575", "0.01", .towardZero, "-23141.57"),
            ("-23141.575", "0.01", .halfEven, "-23141.58"),
            ("0.123456", "0.001", .down, "0.123"),
            ("7", "5", .halfEven, "5"),
            ("7.5", "5", .halfEven, "10"),
            ("12.5", "5", .halfEven, "10"),
            ("23141.57", "0.01", .up, "23141.57"),
            ("0.00000007", "0.00000005", .halfEven, "0.00000005"),
            ("92233720368.54775807", "0.00000001", .up, "92233720368.54775807"),
            ("-92233720368.54775808", "0.00000001", .down, "-92233720368.54775808"),
        ] as [(String, String, RoundingRule, String)]
    )
    func roundsToStep(value: String, step: String, rule: RoundingRule, expected: String) throws {
        let rounded = try dec(value).rounded(toStep: dec(step), rule: rule)
        #expect(rounded == dec(expected))
        #expect(rounded.isMultiple(ofStep: dec(step)))
    }

    @Test("refuses a step that is not positive", arguments: ["0", "-0.01"])
    func refusesBadStep(step: String) {
        #expect(throws: FixedPointError.invalidStep(step)) { try dec("1").rounded(toStep: dec(step), rule: .down) }
        #expect(FixedPointError.invalidStep(step).description == "rounding step \(step) must be greater than zero")
    }

    @Test("reports overflow when rounding away from zero leaves the range")
    func reportsRoundingOverflow() throws {
        #expect(throws: FixedPointError.overflow("92233720368.54775807 rounded to 1")) {
            try FixedPoint.max.rounded(toStep: .one, rule: .up)
        }
        #expect(throws: FixedPointError.overflow("-92233720368.54775808 rounded to 0.1")) {
            try FixedPoint.min.rounded(toStep: dec("0.1"), rule: .down)
        }
        #expect(try FixedPoint.max.rounded(toStep: .one, rule: .down) == dec("92233720368"))
    }

    @Test("tells whether a value is a multiple of a step")
    func multiplesOfStep() {
        #expect(dec("0.3").isMultiple(ofStep: dec("0.1")))
        #expect(dec("-0.3").isMultiple(ofStep: dec("0.1")))
        #expect(FixedPoint.zero.isMultiple(ofStep: dec("0.1")))
        #expect(!dec("0.35").isMultiple(ofStep: dec("0.1")))
        #expect(!dec("1").isMultiple(ofStep: .zero))
        #expect(!dec("1").isMultiple(ofStep: dec("-1")))
    }

    @Test("creates values from whole numbers and reports those out of range")
    func createsFromIntegers() throws {
        #expect(try FixedPoint(exactly: 42) == dec("42"))
        #expect(try FixedPoint(exactly: -92_233_720_368) == dec("-92233720368"))
        #expect(throws: FixedPointError.overflow("92233720369")) { try FixedPoint(exactly: 92_233_720_369) }
        #expect(throws: FixedPointError.overflow("\(Int.min)")) { try FixedPoint(exactly: Int.min) }
        #expect(FixedPoint(7) == dec("7"))
        let literal: FixedPoint = 250
        #expect(literal.rawValue == 25_000_000_000)
    }

    @Test("exposes sign, magnitude, constants, order and a Double view")
    func properties() {
        #expect(FixedPoint.zero.isZero && !FixedPoint.zero.isPositive && !FixedPoint.zero.isNegative)
        #expect(dec("-0.1").isNegative && dec("0.1").isPositive)
        #expect(dec("-2.5").magnitude == dec("2.5"))
        #expect(FixedPoint.max.magnitude == .max)
        #expect(FixedPoint.one.rawValue == 100_000_000 && FixedPoint.ulp.rawValue == 1)
        #expect(FixedPoint.fractionDigits == 8 && FixedPoint.scale == 100_000_000)
        #expect(dec("-1") < dec("-0.99999999") && dec("-0.99999999") < .zero && FixedPoint.min < .max)
        #expect([dec("3"), dec("-1"), dec("2.5")].sorted() == [dec("-1"), dec("2.5"), dec("3")])
        #expect(dec("23141.57").doubleValue == 23141.57)
        #expect(dec("-0.5").doubleValue == -0.5)
    }
}
