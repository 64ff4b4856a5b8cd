import Foundation
import PetrelCore
import Testing

@Suite("Positions: entry price, realised and unrealised P&L")
struct PositionTests {
    static let spot = try! Symbol(parsing: "BTC/USDT")
    static let swap = try! Symbol(parsing: "BTC-USDT-SWAP")

    @Test("opening and adding to a long moves the average entry to the exact weighted mean")
    func longOpenAndAdd() throws {
        var position = Position(symbol: Self.spot)
        #expect(position.isFlat && position.openedAt == nil)
        let opened = try position.apply(
            side: .buy, price: dec("40000"), quantity: dec("0.5"), fee: dec("20"), timestamp: 1)
        #expect(opened == .zero)
        #expect(position.isLong && position.quantity == dec("0.5"))
        #expect(position.averageEntryPrice == dec("40000"))
        #expect(position.openedAt == 1)

        try position.apply(side: .buy, price: dec("43000"), quantity: dec("0.25"), fee: dec("10.75"), timestamp: 2)
        // (0.5 × 40000 + 0.25 × 43000) / 0.75 = 41000
        #expect(position.quantity == dec("0.75"))
        #expect(position.averageEntryPrice == dec("41000"))
        #expect(position.fees == dec("30.75"))
        #expect(position.realizedPnL == .zero)
        #expect(position.openedAt == 1)
    }

    @Test("the average entry of uneven adds is rounded half-even at the 8th digit")
    func averageEntryRounding() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("23141.57"), quantity: dec("0.1"), fee: .zero, timestamp: 1)
        try position.apply(side: .buy, price: dec("23141.58"), quantity: dec("0.2"), fee: .zero, timestamp: 2)
        // 6942.473 / 0.3 = 23141.576666…
        #expect(position.averageEntryPrice == dec("23141.57666667"))
    }

    @Test("a partial close realises P&L at the average entry, exactly to the cent")
    func partialClose() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("43210.57"), quantity: dec("0.3"), fee: .zero, timestamp: 1)
        let realized = try position.apply(
            side: .sell, price: dec("44000.13"), quantity: dec("0.1"), fee: dec("4.40"), timestamp: 2)
        // (44000.13 − 43210.57) × 0.1 = 78.956
        #expect(realized == dec("78.956"))
        #expect(position.realizedPnL == dec("78.956"))
        #expect(position.quantity == dec("0.2"))
        #expect(position.averageEntryPrice == dec("43210.57"))
        #expect(position.fees == dec("4.4"))
        #expect(position.openedAt == 1)

        let loss = try position.apply(
            side: .sell, price: dec("43000.01"), quantity: dec("0.05"), fee: .zero, timestamp: 3)
        // (43000.01 − 43210.57) × 0.05 = −10.528
        #expect(loss == dec("-10.528"))
        #expect(position.realizedPnL == dec("68.428"))
    }

    @Test("a full close realises the rest and resets entry price and open time")
    func fullClose() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("100"), quantity: dec("2"), fee: .zero, timestamp: 1)
        let realized = try position.apply(side: .sell, price: dec("90.5"), quantity: dec("2"), fee: .zero, timestamp: 2)
        #expect(realized == dec("-19"))
        #expect(position.isFlat)
        #expect(position.averageEntryPrice == .zero)
        #expect(position.openedAt == nil)
        #expect(position.realizedPnL == dec("-19"))
        #expect(try position.unrealizedPnL(at: dec("1000")) == .zero)

        // Reopening starts a fresh entry and open time.
        try position.apply(side: .buy, price: dec("95"), quantity: dec("1"), fee: .zero, timestamp: 3)
        #expect(position.averageEntryPrice == dec("95") && position.openedAt == 3)
    }

    @Test("a fill larger than the position flips it, closing at the entry and opening the rest at the fill price")
    func flipLongToShort() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("100"), quantity: dec("1"), fee: .zero, timestamp: 1)
        let realized = try position.apply(
            side: .sell, price: dec("110"), quantity: dec("1.5"), fee: dec("0.165"), timestamp: 2)
        #expect(realized == dec("10"))
        #expect(position.isShort && position.quantity == dec("-0.5"))
        #expect(position.averageEntryPrice == dec("110"))
        #expect(position.openedAt == 2)
        #expect(position.fees == dec("0.165"))
        // The short now gains as the price falls.
        #expect(try position.unrealizedPnL(at: dec("100")) == dec("5"))
    }

    @Test("a short flipped by a larger buy becomes long at the fill price")
    func flipShortToLong() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .sell, price: dec("50"), quantity: dec("3"), fee: .zero, timestamp: 1)
        let realized = try position.apply(side: .buy, price: dec("52"), quantity: dec("4"), fee: .zero, timestamp: 2)
        #expect(realized == dec("-6"))
        #expect(position.quantity == dec("1") && position.averageEntryPrice == dec("52") && position.openedAt == 2)
    }

    @Test("shorts average their entry on adds and realise (entry − exit) on buys")
    func shorts() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .sell, price: dec("100"), quantity: dec("2"), fee: .zero, timestamp: 1)
        try position.apply(side: .sell, price: dec("97"), quantity: dec("1"), fee: .zero, timestamp: 2)
        #expect(position.quantity == dec("-3"))
        #expect(position.averageEntryPrice == dec("99"))
        #expect(try position.unrealizedPnL(at: dec("101")) == dec("-6"))
        let realized = try position.apply(side: .buy, price: dec("95"), quantity: dec("1.5"), fee: .zero, timestamp: 3)
        #expect(realized == dec("6"))
        #expect(position.quantity == dec("-1.5"))
        #expect(position.averageEntryPrice == dec("99"))
        #expect(try position.unrealizedPnL(at: dec("101")) == dec("-3"))
        #expect(try position.marketValue(at: dec("101")) == dec("-151.5"))
    }

    @Test("unrealised P&L of a long is (mark − entry) × quantity")
    func unrealizedLong() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("43210.57"), quantity: dec("0.3"), fee: .zero, timestamp: 1)
        #expect(try position.unrealizedPnL(at: dec("44000.13")) == dec("236.868"))
        #expect(try position.unrealizedPnL(at: dec("43210.57")) == .zero)
        #expect(try position.marketValue(at: dec("44000")) == dec("13200"))
    }

    @Test("fees from fills count only when charged in the quote asset")
    func feesFromFills() throws {
        var position = Position(symbol: Self.spot)
        let id = ClientOrderID(botID: "bot", sequence: 1)
        func fill(_ fee: String, _ asset: String, trade: String) -> Fill {
            Fill(
                tradeID: trade, clientOrderID: id, symbol: Self.spot, side: .buy, price: dec("100"),
                quantity: dec("1"), fee: dec(fee), feeAsset: asset, liquidity: .taker, timestamp: 5)
        }
        try position.apply(fill("0.1", "USDT", trade: "t1"))
        try position.apply(fill("0.001", "BTC", trade: "t2"))
        try position.apply(fill("0.0002", "BNB", trade: "t3"))
        #expect(position.fees == dec("0.1"))
        #expect(position.quantity == dec("3"))
        #expect(position.openedAt == 5)
    }

    @Test("a swap multiplies every P&L by the contract value")
    func contractValue() throws {
        var position = Position(symbol: Self.swap, contractValue: dec("0.01"))
        try position.apply(side: .buy, price: dec("40000"), quantity: dec("10"), fee: .zero, timestamp: 1)
        let realized = try position.apply(
            side: .sell, price: dec("41000"), quantity: dec("4"), fee: .zero, timestamp: 2)
        // 1000 × 4 contracts × 0.01 BTC
        #expect(realized == dec("40"))
        #expect(position.quantity == dec("6"))
        #expect(try position.unrealizedPnL(at: dec("42000")) == dec("120"))
        #expect(try position.marketValue(at: dec("42000")) == dec("2520"))
    }

    @Test("a large contract value multiplies the exact P&L, rounding once at the end")
    func largeContractValueRoundsOnce() throws {
        // PEPE-style swap: 10,000,000 tokens per contract, half-contract lots, 1e-8 ticks.
        let pepe = try Symbol(parsing: "PEPE-USDT-SWAP")
        var position = Position(symbol: pepe, contractValue: dec("10000000"))
        try position.apply(side: .buy, price: dec("0.00001234"), quantity: dec("0.5"), fee: .zero, timestamp: 1)
        // (0.00001237 − 0.00001234) × 0.5 × 10,000,000 = 0.15 USDT exactly.
        #expect(try position.unrealizedPnL(at: dec("0.00001237")) == dec("0.15"))
        #expect(try position.marketValue(at: dec("0.00001237")) == dec("61.85"))
        let realized = try position.apply(
            side: .sell, price: dec("0.00001237"), quantity: dec("0.5"), fee: .zero, timestamp: 2)
        #expect(realized == dec("0.15"))
        #expect(position.realizedPnL == dec("0.15"))
    }

    @Test("an overflowing fill is reported and leaves the position unchanged")
    func overflowLeavesPositionUnchanged() throws {
        var position = Position(symbol: Self.spot)
        try position.apply(side: .buy, price: dec("90000000000"), quantity: dec("1"), fee: dec("1"), timestamp: 1)
        let before = position
        #expect(throws: FixedPointError.self) {
            try position.apply(side: .buy, price: dec("90000000000"), quantity: dec("1"), fee: .zero, timestamp: 2)
        }
        #expect(position == before)
        #expect(throws: FixedPointError.self) {
            try position.apply(side: .buy, price: dec("1"), quantity: .one, fee: .max, timestamp: 2)
        }
        #expect(position == before)
        #expect(throws: FixedPointError.self) { try position.unrealizedPnL(at: .min) }
    }

    @Test("round-trips through JSON")
    func jsonRoundTrip() throws {
        var position = Position(symbol: Self.swap, contractValue: dec("0.01"))
        try position.apply(side: .sell, price: dec("40000"), quantity: dec("3"), fee: dec("1.2"), timestamp: 7)
        let decoded = try JSONDecoder().decode(Position.self, from: JSONEncoder().encode(position))
        #expect(decoded == position)
    }
}
