import Foundation
import PetrelCore
import Testing

@Suite("Candles")
struct CandleTests {
    static func candle(_ open: String, _ high: String, _ low: String, _ close: String, volume: String = "1") -> Candle {
        Candle(
            timestamp: 1_704_067_200_000, open: dec(open), high: dec(high), low: dec(low), close: dec(close),
            volume: dec(volume))
    }

    @Test(
        "accepts bars whose prices and volume are possible",
        arguments: [
            ("42283.58", "42554.57", "42261.02", "42475.23", "1271.68108"),
            ("100", "100", "100", "100", "0"),
            ("100", "110", "90", "90", "5"),
            ("100", "110", "90", "110", "5"),
            ("0.00000001", "0.00000001", "0.00000001", "0.00000001", "92233720368.54775807"),
        ] as [(String, String, String, String, String)]
    )
    func acceptsPossibleBars(open: String, high: String, low: String, close: String, volume: String) {
        #expect(Self.candle(open, high, low, close, volume: volume).impossibility == nil)
    }

    @Test(
        "names the first invariant an impossible bar breaks",
        arguments: [
            ("0", "110", "90", "100", "1", "prices must be greater than zero"),
            ("100", "110", "-90", "100", "1", "prices must be greater than zero"),
            ("100", "110", "90", "0", "1", "prices must be greater than zero"),
            ("100", "0", "90", "100", "1", "prices must be greater than zero"),
            ("100", "90", "95", "92", "1", "high 90 is below low 95"),
            ("105", "104", "100", "101", "1", "high 104 is below open 105 or close 101"),
            ("101", "104", "100", "105", "1", "high 104 is below open 101 or close 105"),
            ("100", "110", "101", "105", "1", "low 101 is above open 100 or close 105"),
            ("105", "110", "101", "100", "1", "low 101 is above open 105 or close 100"),
            ("100", "110", "90", "105", "-0.5", "volume -0.5 is negative"),
        ] as [(String, String, String, String, String, String)]
    )
    func namesImpossibility(open: String, high: String, low: String, close: String, volume: String, message: String) {
        #expect(Self.candle(open, high, low, close, volume: volume).impossibility == message)
    }

    @Test("computes the typical price as a Double for indicators")
    func typicalPrice() {
        #expect(Self.candle("100", "120", "90", "105").typicalPrice == 105)
    }

    @Test("round-trips through JSON with prices as exact strings")
    func jsonRoundTrip() throws {
        let candle = Self.candle("42283.58", "42554.57", "42261.02", "42475.23", volume: "1271.68108")
        let data = try JSONEncoder().encode(candle)
        #expect(try JSONDecoder().decode(Candle.self, from: data) == candle)
        let json =
            #"{"timestamp":1704067200000,"open":42283.58,"high":"42554.57","#
            + #""low":42261.02,"close":42475.23,"volume":1271.68108}"#
        #expect(try JSONDecoder().decode(Candle.self, from: Data(json.utf8)) == candle)
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("a tree encodes back to JSON with numbers in their decimal text")
    func roundTrip() throws {
        let text = #"{"a":[1,2.50,-3e2,null,true,"x\"y"],"b":{"c":1000.1}}"#
        let value = try JSONValue.parse(Data(text.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let again = try JSONValue.parse(try encoder.encode(value))
        #expect(again == value)
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self).contains("1000.1"))
    }
}
