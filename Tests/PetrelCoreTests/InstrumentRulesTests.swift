import Foundation
import PetrelCore
import Testing

@Suite("Instrument rules: rounding, validation and notional")
struct InstrumentRulesTests {
    /// Binance-like BTC/USDT spot rules.
    static func spotRules() throws -> InstrumentRules {
        try InstrumentRules(
            symbol: Symbol(parsing: "BTCUSDT"), tickSize: dec("0.01"), stepSize: dec("0.00001"),
            minQuantity: dec("0.0001"), maxQuantity: dec("9000"), minNotional: dec("5"))
    }

    /// OKX-like BTC-USDT-SWAP rules: quantities in contracts of 0.01 BTC.
    static func swapRules() throws -> InstrumentRules {
        try InstrumentRules(
            symbol: Symbol(parsing: "BTC-USDT-SWAP"), tickSize: dec("0.1"), stepSize: dec("0.01"),
            minQuantity: dec("0.01"), contractValue: dec("0.01"))
    }

    @Test(
        "rounds a price to the tick in the direction asked for",
        arguments: [
            ("23141.575", RoundingRule.down, "23141.57"),
            ("23141.575", .up, "23141.58"),
            ("23141.575", .towardZero, "23141.57"),
            ("23141.575", .halfEven, "23141.58"),
            ("23141.565", .halfEven, "23141.56"),
            ("23141.57", .up, "23141.57"),
            ("0.004", .up, "0.01"),
            ("0.004", .down, "0"),
        ] as [(String, RoundingRule, String)]
    )
    func roundsPrice(price: String, rule: RoundingRule, expected: String) throws {
        #expect(try Self.spotRules().roundPrice(dec(price), rule: rule) == dec(expected))
    }

    @Test(
        "rounds a quantity toward zero to the step, never above what was asked",
        arguments: [
            ("0.12345678", "0.12345"),
            ("0.12345999", "0.12345"),
            ("0.00001", "0.00001"),
            ("0.000009", "0"),
            ("-0.12345678", "-0.12345"),
            ("12", "12"),
        ] as [(String, String)]
    )
    func roundsQuantity(quantity: String, expected: String) throws {
        #expect(try Self.spotRules().roundQuantity(dec(quantity)) == dec(expected))
    }

    @Test("reports overflow when a price cannot be rounded up to the tick")
    func reportsRoundingOverflow() throws {
        #expect(throws: FixedPointError.overflow("92233720368.54775807 rounded to 0.01")) {
            try Self.spotRules().roundPrice(.max, rule: .up)
        }
    }

    @Test("accepts an order that meets every rule and values it at price × quantity")
    func acceptsValidOrder() throws {
        let rules = try Self.spotRules()
        try rules.validate(price: dec("23141.57"), quantity: dec("0.001"))
        #expect(try rules.notional(price: dec("23141.57"), quantity: dec("0.001")) == dec("23.14157"))
        // Exactly on each limit is allowed.
        try rules.validate(price: dec("10"), quantity: dec("0.5"))
        try rules.validate(price: dec("50000"), quantity: dec("0.0001"))
        try rules.validate(price: dec("0.01"), quantity: dec("9000"))
        #expect(try rules.notional(price: dec("0.01"), quantity: dec("9000")) == dec("90"))
    }

    @Test(
        "names the first rule an order breaks",
        arguments: [
            ("0", "0.001", InstrumentRuleViolation.priceNotPositive(.zero), "price 0 must be greater than zero"),
            ("-1", "0.001", .priceNotPositive(dec("-1")), "price -1 must be greater than zero"),
            (
                "23141.575", "0.001", .priceOffTick(dec("23141.575"), tick: dec("0.01")),
                "price 23141.575 is not a multiple of the tick size 0.01"
            ),
            ("23141.57", "0", .quantityNotPositive(.zero), "quantity 0 must be greater than zero"),
            ("23141.57", "-0.001", .quantityNotPositive(dec("-0.001")), "quantity -0.001 must be greater than zero"),
            (
                "23141.57", "0.000015", .quantityOffStep(dec("0.000015"), step: dec("0.00001")),
                "quantity 0.000015 is not a multiple of the step size 0.00001"
            ),
            (
                "23141.57", "0.00005", .quantityBelowMinimum(dec("0.00005"), minimum: dec("0.0001")),
                "quantity 0.00005 is below the minimum 0.0001"
            ),
            (
                "23141.57", "9000.00001", .quantityAboveMaximum(dec("9000.00001"), maximum: dec("9000")),
                "quantity 9000.00001 is above the maximum 9000"
            ),
            (
                "10", "0.4", .notionalBelowMinimum(dec("4"), minimum: dec("5")),
                "order value 4 is below the minimum notional 5"
            ),
            (
                "90000000000", "9000", .notionalOverflow(price: dec("90000000000"), quantity: dec("9000")),
                "order value of 9000 at 90000000000 is out of range"
            ),
        ] as [(String, String, InstrumentRuleViolation, String)]
    )
    func namesViolation(price: String, quantity: String, expected: InstrumentRuleViolation, message: String) throws {
        let rules = try Self.spotRules()
        #expect(throws: expected) { try rules.validate(price: dec(price), quantity: dec(quantity)) }
        #expect(expected.description == message)
    }

    @Test("values a swap order in quote units through the contract value")
    func notionalWithContractValue() throws {
        let rules = try Self.swapRules()
        #expect(try rules.notional(price: dec("43123.4"), quantity: dec("3")) == dec("1293.702"))
        #expect(try rules.notional(price: dec("43123.4"), quantity: dec("0.01")) == dec("4.31234"))
        try rules.validate(price: dec("43123.4"), quantity: dec("0.01"))
        #expect(throws: InstrumentRuleViolation.priceOffTick(dec("43123.45"), tick: dec("0.1"))) {
            try rules.validate(price: dec("43123.45"), quantity: dec("1"))
        }
    }

    @Test(
        "rounds the notional once, after multiplying price, contract value and quantity exactly",
        arguments: [
            ("0.12345678", "0.1", "1000", "12.345678"),
            ("0.00000001", "0.01", "150", "0.00000002"),
            ("0.00000001", "0.01", "50", "0"),
            ("0.00001237", "10000000", "0.5", "61.85"),
            ("43123.4", "0.01", "3", "1293.702"),
        ] as [(String, String, String, String)]
    )
    func notionalRoundsOnce(price: String, contractValue: String, quantity: String, expected: String) throws {
        let rules = try InstrumentRules(
            symbol: Symbol(parsing: "XYZ-USDT-SWAP"), tickSize: .ulp, stepSize: .ulp, contractValue: dec(contractValue))
        #expect(try rules.notional(price: dec(price), quantity: dec(quantity)) == dec(expected))
    }

    @Test("the notional equals price × quantity × contract value computed in Int128 and rounded half-even once")
    func notionalMatchesReference() throws {
        var random = SplitMix64(seed: 0x7107)
        let symbol = try Symbol(parsing: "XYZ-USDT-SWAP")
        var outcomes = (exact: 0, overflow: 0)
        for _ in 0..<3_000 {
            // Each factor of 36 to 42 bits, below 2^42, so that the reference product fits in Int128.
            let price = Int64(random.next() >> (22 + random.next() % 6))
            let quantity = Int64(random.next() >> (22 + random.next() % 6))
            let contractValue = Int64(random.next() >> (22 + random.next() % 6)) | 1
            let rules = try InstrumentRules(
                symbol: symbol, tickSize: .ulp, stepSize: .ulp, contractValue: FixedPoint(rawValue: contractValue))
            let exact = Int128(price) * Int128(quantity) * Int128(contractValue)
            let unit = Int128(10_000_000_000_000_000)
            var rounded = exact / unit
            let twiceRemainder = 2 * (exact % unit)
            if twiceRemainder > unit || (twiceRemainder == unit && rounded % 2 == 1) { rounded += 1 }
            let notional = try? rules.notional(
                price: FixedPoint(rawValue: price), quantity: FixedPoint(rawValue: quantity))
            let fits = Int64(exactly: rounded) != nil
            #expect(notional.map { Int128($0.rawValue) } == (fits ? rounded : nil))
            if fits { outcomes.exact += 1 } else { outcomes.overflow += 1 }
        }
        #expect(outcomes.exact > 500 && outcomes.overflow > 500, "\(outcomes)")
    }

    @Test("reports a notional that does not fit instead of wrapping")
    func notionalOverflow() throws {
        let rules = try InstrumentRules(
            symbol: Symbol(parsing: "XYZ-USDT-SWAP"), tickSize: .ulp, stepSize: .ulp, contractValue: dec("1000"))
        #expect(throws: FixedPointError.self) { try rules.notional(price: dec("100000000"), quantity: dec("1000")) }
        #expect(throws: FixedPointError.self) { try rules.notional(price: .max, quantity: .max) }
        #expect(try rules.notional(price: dec("-2"), quantity: dec("3")) == dec("-6000"))
    }

    @Test(
        "refuses rules that cannot be met and says which",
        arguments: [
            ("0", "1", "0", nil, "0", "1", "tick size 0 must be greater than zero"),
            ("-0.01", "1", "0", nil, "0", "1", "tick size -0.01 must be greater than zero"),
            ("0.01", "0", "0", nil, "0", "1", "step size 0 must be greater than zero"),
            ("0.01", "1", "-1", nil, "0", "1", "min quantity -1 is negative"),
            ("0.01", "1", "5", "4", "0", "1", "max quantity 4 is below min quantity 5"),
            ("0.01", "1", "0", nil, "-5", "1", "min notional -5 is negative"),
            ("0.01", "1", "0", nil, "0", "0", "contract value 0 must be greater than zero"),
        ] as [(String, String, String, String?, String, String, String)]
    )
    func refusesInvalidRules(
        tick: String, step: String, minimum: String, maximum: String?, minNotional: String, contractValue: String,
        message: String
    ) throws {
        let symbol = try Symbol(parsing: "BTCUSDT")
        let error = #expect(throws: InstrumentRuleViolation.invalidRules(message)) {
            try InstrumentRules(
                symbol: symbol, tickSize: dec(tick), stepSize: dec(step), minQuantity: dec(minimum),
                maxQuantity: maximum.map(dec), minNotional: dec(minNotional), contractValue: dec(contractValue))
        }
        #expect(error?.description == "invalid instrument rules: \(message)")
    }

    @Test("unrestricted rules accept any positive 8-digit price and quantity")
    func unrestrictedRules() throws {
        let rules = InstrumentRules.unrestricted(try Symbol(parsing: "ETHBTC"))
        #expect(rules.tickSize == .ulp && rules.stepSize == .ulp && rules.contractValue == .one)
        #expect(rules.minQuantity == .zero && rules.maxQuantity == nil && rules.minNotional == .zero)
        try rules.validate(price: .ulp, quantity: .ulp)
        #expect(try rules.notional(price: dec("0.05123"), quantity: dec("2")) == dec("0.10246"))
    }

    @Test("round-trips through JSON")
    func jsonRoundTrip() throws {
        for rules in [try Self.spotRules(), try Self.swapRules()] {
            let decoded = try JSONDecoder().decode(InstrumentRules.self, from: JSONEncoder().encode(rules))
            #expect(decoded == rules)
        }
    }

    @Test("decodes rules from JSON with the same defaults as the initialiser")
    func decodesWithDefaults() throws {
        let json = #"{"symbol": "BTCUSDT", "tickSize": "0.01", "stepSize": 0.00001}"#
        let rules = try JSONDecoder().decode(InstrumentRules.self, from: Data(json.utf8))
        let expected = try InstrumentRules(
            symbol: Symbol(parsing: "BTC/USDT"), tickSize: dec("0.01"), stepSize: dec("0.00001"))
        #expect(rules == expected)
    }

    @Test(
        "refuses to decode rules that cannot be met, with the rule's message",
        arguments: [
            (
                #"{"symbol": "BTCUSDT", "tickSize": "0", "stepSize": "0.00001"}"#,
                "tick size 0 must be greater than zero"
            ),
            (
                #"{"symbol": "BTCUSDT", "tickSize": "0.01", "stepSize": "1", "minQuantity": "5", "maxQuantity": "4"}"#,
                "max quantity 4 is below min quantity 5"
            ),
            (
                #"{"symbol": "BTCUSDT", "tickSize": "0.01", "stepSize": "1", "contractValue": "-1"}"#,
                "contract value -1 must be greater than zero"
            ),
        ] as [(String, String)]
    )
    func refusesInvalidJSON(json: String, message: String) {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(InstrumentRules.self, from: Data(json.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription == "invalid instrument rules: \(message)")
    }
}
