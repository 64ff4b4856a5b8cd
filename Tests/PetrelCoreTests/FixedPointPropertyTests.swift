import PetrelCore
import Testing

/// Random-input checks of `FixedPoint` against an independent `Int128` reference. Every case comes
/// from ``SplitMix64`` with a fixed seed, so a failure replays identically.
@Suite("Fixed-point properties over seeded random inputs")
struct FixedPointPropertyTests {
    static let seeds: [UInt64] = [0x5EED, 42, 0xDEAD_BEEF]
    static let scale = Int128(100_000_000)

    // MARK: Reference model

    /// The integer `n / d` rounded by `rule`, derived from the non-negative remainder (floor and
    /// ceiling first, then the rule picks), independently of the library's truncating division.
    static func referenceQuotient(_ numerator: Int128, _ denominator: Int128, _ rule: RoundingRule) -> Int128 {
        precondition(denominator != 0)
        let (n, d) = denominator < 0 ? (-numerator, -denominator) : (numerator, denominator)
        let remainder = ((n % d) + d) % d  // 0 ≤ remainder < d
        let floor = (n - remainder) / d  // exact
        guard remainder != 0 else { return floor }
        let ceiling = floor + 1
        switch rule {
        case .down: return floor
        case .up: return ceiling
        case .towardZero: return n < 0 ? ceiling : floor
        case .halfEven:
            if 2 * remainder < d { return floor }
            if 2 * remainder > d { return ceiling }
            return floor % 2 == 0 ? floor : ceiling
        }
    }

    /// The shortest decimal text of a raw value, built from `Int128` digits.
    static func referenceText(_ raw: Int64) -> String {
        let wide = Int128(raw)
        let magnitude = wide < 0 ? -wide : wide
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: 8 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (raw < 0 ? "-" : "") + String(magnitude / scale) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Checks that `operation` gives exactly `reference` when it fits in 64 bits and reports
    /// overflow (never a wrapped value) when it does not. Returns whether it overflowed.
    @discardableResult
    static func checkAgainstReference(
        _ operation: () throws(FixedPointError) -> FixedPoint, equals reference: Int128,
        _ what: @autoclosure () -> String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        let expected = Int64(exactly: reference)
        do {
            let result = try operation()
            if result.rawValue != expected {
                Issue.record(
                    "\(what()) gave raw \(result.rawValue), expected \(reference)", sourceLocation: sourceLocation)
            }
        } catch {
            guard case .overflow = error, expected == nil else {
                Issue.record("\(what()) threw \(error), expected raw \(reference)", sourceLocation: sourceLocation)
                return false
            }
        }
        return expected == nil
    }

    // MARK: Text

    @Test("printing then parsing gives back every value, including the extremes", arguments: seeds)
    func printParseRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<5_000 {
            let value = FixedPoint(rawValue: random.interestingRaw())
            let text = value.description
            #expect(text == Self.referenceText(value.rawValue))
            #expect(try FixedPoint(parsing: text) == value, "\(text)")
            let padded = value.formatted(minimumFractionDigits: 8)
            #expect(padded.split(separator: ".").last?.count == 8, "\(padded)")
            #expect(try FixedPoint(parsing: padded) == value, "\(padded)")
            let minimum = Int(random.next() % 9)
            let partial = value.formatted(minimumFractionDigits: minimum)
            #expect((partial.split(separator: ".").dropFirst().first?.count ?? 0) >= minimum, "\(partial)")
            #expect(try FixedPoint(parsing: partial) == value, "\(partial)")
        }
    }

    @Test("parses random decimal text exactly like an Int128 reference, or names the problem", arguments: seeds)
    func parsesRandomText(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var outcomes = (exact: 0, tooPrecise: 0, overflow: 0)
        for _ in 0..<5_000 {
            let sign = ["", "-", "+"][Int(random.next() % 3)]
            var integerDigits = (0..<Int(random.next() % 14)).map { _ in Int(random.next() % 10) }
            if random.next() % 4 == 0 {
                // Hug the bound: a prefix of the largest integer part.
                integerDigits = [9, 2, 2, 3, 3, 7, 2, 0, 3, 6, 8].prefix(integerDigits.count).map { $0 }
            }
            var fractionDigits = (0..<Int(random.next() % 12)).map { _ in Int(random.next() % 10) }
            if fractionDigits.count > 8, random.next() % 2 == 0 {
                for index in 8..<fractionDigits.count { fractionDigits[index] = 0 }
            }
            guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { continue }
            let integerText = integerDigits.map(String.init).joined()
            let fractionText = fractionDigits.map(String.init).joined()
            let text = sign + integerText + (fractionDigits.isEmpty ? "" : "." + fractionText)
            let excessIsZero = fractionDigits.dropFirst(8).allSatisfy { $0 == 0 }

            let integer = integerDigits.reduce(Int128(0)) { $0 * 10 + Int128($1) }
            let fraction = (0..<8).reduce(Int128(0)) {
                $0 * 10 + Int128($1 < fractionDigits.count ? fractionDigits[$1] : 0)
            }
            let magnitude = integer * Self.scale + fraction
            let reference = sign == "-" ? -magnitude : magnitude
            do {
                let value = try FixedPoint(parsing: text)
                outcomes.exact += 1
                #expect(Int128(value.rawValue) == reference, "\(text)")
                #expect(excessIsZero, "\(text)")
            } catch FixedPointError.tooManyFractionDigits(let named) {
                outcomes.tooPrecise += 1
                #expect(named == text)
                #expect(!excessIsZero, "\(text)")
            } catch FixedPointError.overflow(let named) {
                outcomes.overflow += 1
                #expect(named == text)
                #expect(excessIsZero && Int64(exactly: reference) == nil, "\(text)")
            } catch {
                Issue.record("\(text) threw \(error)")
            }
        }
        #expect(outcomes.exact > 1_000 && outcomes.tooPrecise > 300 && outcomes.overflow > 300, "\(outcomes)")
    }

    // MARK: Rounding to a step

    static func randomStep(_ random: inout SplitMix64) -> Int64 {
        var powerOfTen: Int64 = 1
        for _ in 0..<(random.next() % 13) { powerOfTen *= 10 }
        switch random.next() % 5 {
        case 0: return powerOfTen
        case 1: return [5, 25][Int(random.next() % 2)] * powerOfTen
        case 2: return Int64.random(in: 1...1_000, using: &random)
        case 3: return Int64.random(in: 1...10_000_000_000, using: &random)
        default: return Int64.random(in: 1...Int64.max, using: &random)
        }
    }

    @Test("rounding to a random positive step obeys each rule and never wraps", arguments: seeds)
    func roundsToRandomStep(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<3_000 {
            let x = random.interestingRaw()
            let step = Self.randomStep(&random)
            for rule in RoundingRule.allCases {
                let reference = Self.referenceQuotient(Int128(x), Int128(step), rule) * Int128(step)
                let context = "\(x) to step \(step) \(rule)"
                let overflowed = Self.checkAgainstReference(
                    { () throws(FixedPointError) in
                        try FixedPoint(rawValue: x).rounded(toStep: FixedPoint(rawValue: step), rule: rule)
                    }, equals: reference, context)
                guard !overflowed else { continue }
                // The rule's own promises, checked without the reference quotient.
                let distance = reference - Int128(x)
                #expect(reference % Int128(step) == 0, "\(context)")
                #expect(distance.magnitude < UInt128(step), "\(context)")
                switch rule {
                case .down: #expect(reference <= Int128(x), "\(context)")
                case .up: #expect(reference >= Int128(x), "\(context)")
                case .towardZero: #expect(reference.magnitude <= Int128(x).magnitude, "\(context)")
                case .halfEven:
                    #expect(2 * distance.magnitude <= UInt128(step), "\(context)")
                    if 2 * distance.magnitude == UInt128(step) {
                        #expect((reference / Int128(step)) % 2 == 0, "tie not to even: \(context)")
                    }
                }
            }
        }
    }

    @Test("half-even rounding sends exact ties to the even multiple")
    func halfEvenTies() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let step = Int64.random(in: 1...1_000_000, using: &random) * 2
            let multiple = Int64.random(in: -1_000_000...1_000_000, using: &random)
            let tie = multiple * step + step / 2
            let rounded = try FixedPoint(rawValue: tie).rounded(toStep: FixedPoint(rawValue: step), rule: .halfEven)
            let evenMultiple = multiple % 2 == 0 ? multiple : multiple + 1
            #expect(rounded.rawValue == evenMultiple * step, "\(tie) step \(step)")
        }
    }

    // MARK: Overflow and exactness of the operations

    @Test("sums and differences near the Int64 bounds match Int128 or report overflow", arguments: seeds)
    func addsAndSubtractsNearBounds(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var overflows = 0
        for _ in 0..<5_000 {
            let a = FixedPoint(rawValue: random.interestingRaw())
            let b = FixedPoint(rawValue: random.interestingRaw())
            let sumOverflowed = Self.checkAgainstReference(
                { () throws(FixedPointError) in try a.adding(b) }, equals: Int128(a.rawValue) + Int128(b.rawValue),
                "\(a) + \(b)")
            let differenceOverflowed = Self.checkAgainstReference(
                { () throws(FixedPointError) in try a.subtracting(b) },
                equals: Int128(a.rawValue) - Int128(b.rawValue), "\(a) - \(b)")
            if sumOverflowed || differenceOverflowed { overflows += 1 }
        }
        #expect(overflows > 500, "too few cases reach the bounds: \(overflows)")
    }

    @Test("products match an Int128 reference with each rounding rule, or report overflow", arguments: seeds)
    func multipliesLikeReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var outcomes = (exact: 0, overflow: 0)
        for _ in 0..<3_000 {
            let a = random.next() % 2 == 0 ? random.rawOfRandomMagnitude() : random.interestingRaw()
            let b = random.rawOfRandomMagnitude()
            let product = Int128(a) * Int128(b)
            for rule in RoundingRule.allCases {
                let reference = Self.referenceQuotient(product, Self.scale, rule)
                let overflowed = Self.checkAgainstReference(
                    { () throws(FixedPointError) in
                        try FixedPoint(rawValue: a).multiplied(by: FixedPoint(rawValue: b), rounding: rule)
                    }, equals: reference, "\(a) × \(b) \(rule)")
                if overflowed { outcomes.overflow += 1 } else { outcomes.exact += 1 }
            }
            Self.checkAgainstReference(
                { () throws(FixedPointError) in try FixedPoint(rawValue: a).multiplied(by: Int(b >> 32)) },
                equals: Int128(a) * Int128(b >> 32), "\(a) × integer \(b >> 32)")
        }
        #expect(outcomes.exact > 2_000 && outcomes.overflow > 2_000, "\(outcomes)")
    }

    @Test("quotients match an Int128 reference with each rounding rule, or report the problem", arguments: seeds)
    func dividesLikeReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var outcomes = (exact: 0, overflow: 0, byZero: 0)
        for _ in 0..<3_000 {
            let a = random.next() % 2 == 0 ? random.rawOfRandomMagnitude() : random.interestingRaw()
            let b = random.next() % 2 == 0 ? random.rawOfRandomMagnitude() : random.interestingRaw()
            for rule in RoundingRule.allCases {
                guard b != 0 else {
                    #expect(throws: FixedPointError.divisionByZero) {
                        try FixedPoint(rawValue: a).divided(by: .zero, rounding: rule)
                    }
                    outcomes.byZero += 1
                    continue
                }
                let reference = Self.referenceQuotient(Int128(a) * Self.scale, Int128(b), rule)
                let overflowed = Self.checkAgainstReference(
                    { () throws(FixedPointError) in
                        try FixedPoint(rawValue: a).divided(by: FixedPoint(rawValue: b), rounding: rule)
                    }, equals: reference, "\(a) ÷ \(b) \(rule)")
                if overflowed { outcomes.overflow += 1 } else { outcomes.exact += 1 }
            }
        }
        #expect(outcomes.exact > 2_000 && outcomes.overflow > 500 && outcomes.byZero > 0, "\(outcomes)")
    }

    @Test("multiplication is commutative and multiplying by one or dividing by one is exact", arguments: seeds)
    func algebraicIdentities(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let a = FixedPoint(rawValue: random.interestingRaw())
            let b = FixedPoint(rawValue: random.rawOfRandomMagnitude())
            for rule in RoundingRule.allCases {
                let ab = try? a.multiplied(by: b, rounding: rule)
                let ba = try? b.multiplied(by: a, rounding: rule)
                #expect(ab == ba, "\(a) × \(b) \(rule)")
                #expect(try a.multiplied(by: .one, rounding: rule) == a)
                #expect(try a.divided(by: .one, rounding: rule) == a)
            }
        }
    }
}
