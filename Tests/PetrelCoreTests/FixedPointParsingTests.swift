import Foundation
import PetrelCore
import Testing

@Suite("Fixed-point text: parsing, printing and JSON")
struct FixedPointParsingTests {
    @Test(
        "parses plain decimal text digit by digit into the exact raw value",
        arguments: [
            ("23141.57000000", 2_314_157_000_000),
            ("-0.5", -50_000_000),
            ("+12", 1_200_000_000),
            (".25", 25_000_000),
            ("-.25", -25_000_000),
            ("5.", 500_000_000),
            ("0.000000010", 1),
            ("0.00000001", 1),
            ("1.000000000000000", 100_000_000),
            ("0", 0),
            ("-0", 0),
            ("+0.0", 0),
            ("007.50", 750_000_000),
            ("92233720368.54775807", Int64.max),
            ("-92233720368.54775807", -Int64.max),
            ("-92233720368.54775808", Int64.min),
            ("-0092233720368.547758080", Int64.min),
        ] as [(String, Int64)]
    )
    func parsesValidText(text: String, raw: Int64) throws {
        let value = try FixedPoint(parsing: text)
        #expect(value.rawValue == raw)
        #expect(FixedPoint(text) == value)
        let fromBytes = Array(text.utf8).withUnsafeBytes { FixedPoint.parse($0) }
        #expect(fromBytes == value)
    }

    @Test("parses a substring such as a CSV field")
    func parsesSubstring() throws {
        let line = "1704067200000,42283.58,42554.57"
        let fields = line.split(separator: ",")
        #expect(try FixedPoint(parsing: fields[1]) == dec("42283.58"))
        #expect(try FixedPoint(parsing: fields[2]).rawValue == 4_255_457_000_000)
    }

    @Test(
        "rejects text that is not a plain decimal and says which kind of mistake it is",
        arguments: [
            ("1e5", FixedPointError.invalidSyntax("1e5")),
            ("", .invalidSyntax("")),
            ("-", .invalidSyntax("-")),
            ("+", .invalidSyntax("+")),
            (".", .invalidSyntax(".")),
            ("-.", .invalidSyntax("-.")),
            ("1.2.3", .invalidSyntax("1.2.3")),
            (" 1", .invalidSyntax(" 1")),
            ("1 ", .invalidSyntax("1 ")),
            ("+-1", .invalidSyntax("+-1")),
            ("--1", .invalidSyntax("--1")),
            ("1-", .invalidSyntax("1-")),
            ("0x10", .invalidSyntax("0x10")),
            ("1,5", .invalidSyntax("1,5")),
            ("NaN", .invalidSyntax("NaN")),
            ("١٢", .invalidSyntax("١٢")),
            ("0.000000015", .tooManyFractionDigits("0.000000015")),
            ("1.123456789", .tooManyFractionDigits("1.123456789")),
            ("-0.0000000001", .tooManyFractionDigits("-0.0000000001")),
            ("92233720368.54775808", .overflow("92233720368.54775808")),
            ("-92233720368.54775809", .overflow("-92233720368.54775809")),
            ("100000000000", .overflow("100000000000")),
            ("99999999999999999999999.5", .overflow("99999999999999999999999.5")),
        ] as [(String, FixedPointError)]
    )
    func rejectsBadText(text: String, expected: FixedPointError) {
        let error = #expect(throws: expected) { try FixedPoint(parsing: text) }
        let message =
            switch expected {
            case .invalidSyntax: "'\(text)' is not a decimal number (expected digits with an optional sign and one '.')"
            case .tooManyFractionDigits: "'\(text)' has more than 8 fractional digits"
            default: "\(text) is outside the representable range ±92233720368.54775807"
            }
        #expect(error?.description == message)
        #expect(FixedPoint(text) == nil)
        let fromBytes = Array(text.utf8).withUnsafeBytes { FixedPoint.parse($0) }
        #expect(fromBytes == nil)
    }

    @Test(
        "explains each parse error with the text and what is allowed",
        arguments: [
            ("1e5", "'1e5' is not a decimal number (expected digits with an optional sign and one '.')"),
            ("", "'' is not a decimal number (expected digits with an optional sign and one '.')"),
            ("0.000000015", "'0.000000015' has more than 8 fractional digits"),
            (
                "92233720368.54775808",
                "92233720368.54775808 is outside the representable range ±92233720368.54775807"
            ),
        ] as [(String, String)]
    )
    func explainsParseErrors(text: String, message: String) {
        let error = #expect(throws: FixedPointError.self) { try FixedPoint(parsing: text) }
        #expect(error?.description == message)
    }

    @Test(
        "prints the shortest exact form",
        arguments: [
            (2_314_157_000_000, "23141.57"),
            (1, "0.00000001"),
            (-300_000_000, "-3"),
            (0, "0"),
            (-50_000_000, "-0.5"),
            (10_000_000_001, "100.00000001"),
            (Int64.max, "92233720368.54775807"),
            (Int64.min, "-92233720368.54775808"),
        ] as [(Int64, String)]
    )
    func printsShortestForm(raw: Int64, text: String) {
        #expect(FixedPoint(rawValue: raw).description == text)
    }

    @Test(
        "pads the fraction to the minimum number of digits asked for, clamped to 0…8",
        arguments: [
            (2_314_157_000_000, 8, "23141.57000000"),
            (500_000_000, 2, "5.00"),
            (-50_000_000, 2, "-0.50"),
            (1, 2, "0.00000001"),
            (0, 8, "0.00000000"),
            (0, 0, "0"),
            (123_456_789, 12, "1.23456789"),
            (100_000_000, -3, "1"),
            (Int64.min, 8, "-92233720368.54775808"),
        ] as [(Int64, Int, String)]
    )
    func padsFraction(raw: Int64, minimum: Int, text: String) {
        #expect(FixedPoint(rawValue: raw).formatted(minimumFractionDigits: minimum) == text)
    }

    // MARK: JSON

    @Test("decodes from JSON strings exactly")
    func decodesStrings() throws {
        let json = Data(#"["23141.57000000", "-0.5", "0.00000001", "92233720368.54775807"]"#.utf8)
        let values = try JSONDecoder().decode([FixedPoint].self, from: json)
        #expect(values == [dec("23141.57"), dec("-0.5"), .ulp, .max])
    }

    @Test(
        "decodes JSON numbers from their written digits, never through Double",
        arguments: [
            ("1000.1", "1000.1"),
            ("0.1", "0.1"),
            ("23141.57", "23141.57"),
            ("-0.00000001", "-0.00000001"),
            ("12345678.12345678", "12345678.12345678"),
            ("0.30000000", "0.3"),
            ("42", "42"),
            ("1e-8", "0.00000001"),
            ("2.5E3", "2500"),
        ] as [(String, String)]
    )
    func decodesNumbers(json: String, expected: String) throws {
        let value = try JSONDecoder().decode(FixedPoint.self, from: Data(json.utf8))
        #expect(value == dec(expected))
    }

    @Test("decodes 1000.1 inside an object to exactly 1000.10000000")
    func decodesNumberInObject() throws {
        struct Balance: Decodable { let free: FixedPoint }
        let balance = try JSONDecoder().decode(Balance.self, from: Data(#"{"free": 1000.1}"#.utf8))
        #expect(balance.free.rawValue == 100_010_000_000)
    }

    @Test("encodes as a JSON string holding the exact decimal")
    func encodesAsString() throws {
        let data = try JSONEncoder().encode([dec("23141.57"), dec("-0.5"), .zero, .min])
        #expect(String(decoding: data, as: UTF8.self) == #"["23141.57","-0.5","0","-92233720368.54775808"]"#)
    }

    @Test(
        "refuses JSON that is not an exact 8-digit decimal with a decoding error naming the problem",
        arguments: [
            (#""1e5""#, "'1e5' is not a decimal number"),
            (#""""#, "'' is not a decimal number"),
            (#""0.000000015""#, "has more than 8 fractional digits"),
            (#""92233720368.54775808""#, "outside the representable range"),
            ("0.000000015", "has more than 8 fractional digits"),
            ("1e20", "outside the representable range"),
        ] as [(String, String)]
    )
    func refusesBadJSON(json: String, messageFragment: String) {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FixedPoint.self, from: Data(json.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription.contains(messageFragment))
    }

    @Test("refuses JSON values that are neither strings nor numbers")
    func refusesOtherJSONTypes() {
        for json in ["true", "null", "{}", "[1]"] {
            #expect(throws: DecodingError.self, "\(json)") {
                try JSONDecoder().decode(FixedPoint.self, from: Data(json.utf8))
            }
        }
    }

    // MARK: Doubles

    @Test(
        "refuses doubles that are not finite or do not fit",
        arguments: [
            (Double.nan, FixedPointError.notFinite),
            (.infinity, .notFinite),
            (-.infinity, .notFinite),
            (.signalingNaN, .notFinite),
            (1e11, .overflow("100000000000.0")),
            (-1e11, .overflow("-100000000000.0")),
            (9.3e10, .overflow("93000000000.0")),
            (.greatestFiniteMagnitude, .overflow("1.7976931348623157e+308")),
        ] as [(Double, FixedPointError)]
    )
    func refusesBadDoubles(value: Double, expected: FixedPointError) {
        for rule in RoundingRule.allCases {
            #expect(throws: expected) { try FixedPoint(approximating: value, rounding: rule) }
        }
    }

    @Test("turns a double into the nearest decimal with the rounding asked for")
    func approximatesDoubles() throws {
        #expect(try FixedPoint(approximating: 0.5) == dec("0.5"))
        #expect(try FixedPoint(approximating: -1.25) == dec("-1.25"))
        #expect(try FixedPoint(approximating: 1000.1) == dec("1000.1"))
        #expect(try FixedPoint(approximating: 23141.57) == dec("23141.57"))
        #expect(try FixedPoint(approximating: 92_233_720_368.0) == dec("92233720368"))
        // 2^-27 × 10^8 = 0.745…: between 0 and one ulp.
        let tiny = 0x1p-27
        #expect(try FixedPoint(approximating: tiny, rounding: .down) == .zero)
        #expect(try FixedPoint(approximating: tiny, rounding: .up) == .ulp)
        #expect(try FixedPoint(approximating: tiny, rounding: .towardZero) == .zero)
        #expect(try FixedPoint(approximating: tiny, rounding: .halfEven) == .ulp)
        #expect(try FixedPoint(approximating: -tiny, rounding: .down) == -.ulp)
        #expect(try FixedPoint(approximating: -tiny, rounding: .up) == .zero)
        #expect(try FixedPoint(approximating: -tiny, rounding: .towardZero) == .zero)
        #expect(try FixedPoint(approximating: -tiny, rounding: .halfEven) == -.ulp)
    }
}
