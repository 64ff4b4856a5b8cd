import PetrelCore
import Testing

@Suite("Quote")
struct QuoteTests {
    static func quote(_ bid: String, _ ask: String) throws -> Quote {
        Quote(
            symbol: try Symbol(base: "BTC", quote: "USD"), bid: FixedPoint(bid)!, ask: FixedPoint(ask)!,
            last: FixedPoint(ask)!, timestamp: 0)
    }

    @Test("a crossed or empty book is a bad quote; a locked one (bid equal to ask, as Uphold quotes) is not")
    func crossed() throws {
        #expect(try Self.quote("101", "100").isCrossed)
        #expect(try Self.quote("0", "100").isCrossed)
        #expect(try Self.quote("100", "0").isCrossed)
        #expect(try !Self.quote("100", "100").isCrossed)
        #expect(try !Self.quote("99.5", "100").isCrossed)
    }
}
