import PetrelCore
import PetrelRuntime
import Testing

@Suite("Strategy parameter schemas: defaults, ranges, coercion and CLI assignments")
struct ParameterSchemaTests {
    static let schema = ParameterSchema([
        .integer("rsi_period", default: 14, range: 2...200, "RSI period"),
        .number("bb_dev", default: 2, range: 0.1...10, "Bollinger width"),
        .boolean("use_volume", default: false, "require volume confirmation"),
        .choice("ma_type", default: "ema", ["sma", "ema"], "moving-average type"),
    ])
    static let names = ["rsi_period", "bb_dev", "use_volume", "ma_type"]

    @Test("resolving no values gives every default, typed")
    func defaults() throws {
        let values = try Self.schema.resolve([:])
        #expect(
            values.values == [
                "rsi_period": .integer(14), "bb_dev": .number(2), "use_volume": .boolean(false),
                "ma_type": .text("ema"),
            ])
        #expect(values.integer("rsi_period") == 14)
        #expect(values.number("bb_dev") == 2)
        #expect(values.number("rsi_period") == 14)
        #expect(values.boolean("use_volume") == false)
        #expect(values.text("ma_type") == "ema")
    }

    @Test("given values replace their defaults and the rest keep theirs")
    func partial() throws {
        let values = try Self.schema.resolve(["rsi_period": .integer(21), "ma_type": .text("sma")])
        #expect(values.values["rsi_period"] == .integer(21))
        #expect(values.values["ma_type"] == .text("sma"))
        #expect(values.values["bb_dev"] == .number(2))
    }

    @Test(
        "range bounds are inclusive",
        arguments: [
            ("rsi_period", ParameterValue.integer(2)), ("rsi_period", .integer(200)), ("bb_dev", .number(0.1)),
            ("bb_dev", .number(10)),
        ])
    func boundsAccepted(name: String, value: ParameterValue) throws {
        #expect(try Self.schema.resolve([name: value]).values[name]?.description == value.description)
    }

    @Test(
        "values outside the range are refused with the name, the value and the allowed range",
        arguments: [
            ("rsi_period", ParameterValue.integer(1), "an integer from 2 to 200"),
            ("rsi_period", .integer(201), "an integer from 2 to 200"),
            ("bb_dev", .number(0.05), "a number from 0.1 to 10"),
            ("bb_dev", .number(10.5), "a number from 0.1 to 10"),
            ("bb_dev", .number(-1), "a number from 0.1 to 10"),
            ("ma_type", .text("wma"), "one of sma, ema"),
            ("use_volume", .integer(1), "true or false"),
        ])
    func outOfRange(name: String, value: ParameterValue, allowed: String) {
        #expect(throws: ParameterError.invalidValue(name: name, value: value.description, allowed: allowed)) {
            try Self.schema.resolve([name: value])
        }
    }

    @Test("the error message names the parameter, the value and what is allowed")
    func invalidMessage() {
        let error = ParameterError.invalidValue(name: "rsi_period", value: "1", allowed: "an integer from 2 to 200")
        #expect(error.description == "parameter 'rsi_period' = 1 is not allowed: expected an integer from 2 to 200")
    }

    @Test("a NaN number is refused instead of passing every range check")
    func notANumber() {
        #expect(throws: ParameterError.invalidValue(name: "bb_dev", value: "nan", allowed: "a number from 0.1 to 10")) {
            try Self.schema.resolve(["bb_dev": .number(.nan)])
        }
    }

    @Test("an unknown name is refused with the closest known name and the full list")
    func unknownName() {
        #expect(throws: ParameterError.unknownParameter(name: "rsi_perod", suggestion: "rsi_period", known: Self.names))
        {
            try Self.schema.resolve(["rsi_perod": .integer(10)])
        }
        #expect(
            ParameterError.unknownParameter(name: "rsi_perod", suggestion: "rsi_period", known: Self.names).description
                == "unknown parameter 'rsi_perod' (did you mean 'rsi_period'?); known parameters: rsi_period, bb_dev, use_volume, ma_type"
        )
        #expect(throws: ParameterError.unknownParameter(name: "leverage", suggestion: nil, known: Self.names)) {
            try Self.schema.resolve(["leverage": .integer(10)])
        }
    }

    @Test("an integral number is accepted for an integer, an integer for a number; a fraction is not an integer")
    func coercion() throws {
        let values = try Self.schema.resolve(["rsi_period": .number(20), "bb_dev": .integer(3)])
        #expect(values.values["rsi_period"] == .integer(20))
        #expect(values.values["bb_dev"] == .number(3))
        #expect(
            throws: ParameterError.invalidValue(name: "rsi_period", value: "20.5", allowed: "an integer from 2 to 200")
        ) {
            try Self.schema.resolve(["rsi_period": .number(20.5)])
        }
        #expect(throws: ParameterError.self) { try Self.schema.resolve(["rsi_period": .number(1e300)]) }
        // Text is parsed into the parameter's type (configs and query strings carry text).
        let parsed = try Self.schema.resolve([
            "rsi_period": .text("30"), "bb_dev": .text("2.5"), "use_volume": .text("TRUE"), "ma_type": .text("sma"),
        ])
        #expect(
            parsed.values == [
                "rsi_period": .integer(30), "bb_dev": .number(2.5), "use_volume": .boolean(true),
                "ma_type": .text("sma"),
            ])
        #expect(throws: ParameterError.self) { try Self.schema.resolve(["bb_dev": .text("inf")]) }
    }

    @Test(
        "name=value assignments parse into the parameter's own type",
        arguments: [
            ("rsi_period=21", "rsi_period", ParameterValue.integer(21)),
            ("bb_dev=2.5", "bb_dev", .number(2.5)),
            ("bb_dev=3", "bb_dev", .number(3)),
            ("use_volume=true", "use_volume", .boolean(true)),
            ("ma_type=sma", "ma_type", .text("sma")),
        ])
    func assignments(text: String, name: String, value: ParameterValue) throws {
        let (parsedName, parsedValue) = try Self.schema.parseAssignment(text)
        #expect(parsedName == name)
        #expect(parsedValue == value)
    }

    @Test("a malformed, unknown or out-of-range assignment is refused with its own error")
    func badAssignments() {
        #expect(throws: ParameterError.malformedAssignment("rsi_period")) {
            try Self.schema.parseAssignment("rsi_period")
        }
        #expect(throws: ParameterError.malformedAssignment("=14")) { try Self.schema.parseAssignment("=14") }
        #expect(
            ParameterError.malformedAssignment("=14").description
                == "'=14' is not a parameter assignment (expected name=value)")
        #expect(throws: ParameterError.unknownParameter(name: "bb_devv", suggestion: "bb_dev", known: Self.names)) {
            try Self.schema.parseAssignment("bb_devv=2")
        }
        #expect(
            throws: ParameterError.invalidValue(name: "rsi_period", value: "fast", allowed: "an integer from 2 to 200")
        ) {
            try Self.schema.parseAssignment("rsi_period=fast")
        }
        #expect(
            throws: ParameterError.invalidValue(name: "rsi_period", value: "500", allowed: "an integer from 2 to 200")
        ) {
            try Self.schema.parseAssignment("rsi_period=500")
        }
        #expect(throws: ParameterError.invalidValue(name: "ma_type", value: "", allowed: "one of sma, ema")) {
            try Self.schema.parseAssignment("ma_type=")
        }
    }

    @Test("closestName suggests only likely typos")
    func closest() {
        #expect(closestName(to: "binance_papr", in: ["binance_paper", "binance", "mock"]) == "binance_paper")
        #expect(closestName(to: "MOCK", in: ["binance_paper", "binance", "mock"]) == "mock")
        #expect(closestName(to: "kraken", in: ["binance_paper", "binance", "mock"]) == nil)
        #expect(closestName(to: "x", in: []) == nil)
    }
}
