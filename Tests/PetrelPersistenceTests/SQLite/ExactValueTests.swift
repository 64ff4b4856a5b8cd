import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Testing

/// Money never passes through `Double` on its way to the file and back.
@Suite("SQLite exact values")
struct ExactValueTests {
    typealias S = Samples

    static let extremes: [FixedPoint] = [
        .ulp, FixedPoint(rawValue: -1), .max, .min, FixedPoint(rawValue: .max - 1), decimal("0.1"),
        decimal("92233720368.54775807"), decimal("-92233720368.54775808"), decimal("1000.1"), .zero,
    ]

    @Test("fixed-point extremes round-trip exactly through positions, equity, prices and trades")
    func extremes() async throws {
        try await withDatabaseFile { database, _ in
            for (index, value) in Self.extremes.enumerated() {
                let bot = "b\(index)"
                let position = PositionRecord(
                    botID: bot, symbol: S.btc, quantity: value.isZero ? .ulp : value, averagePrice: value,
                    realizedPnL: value, updatedAt: Int64(index))
                try await database.bots.savePositions([position], bot: bot)
                #expect(try await database.bots.positions(bot: bot) == [position])

                let snapshot = EquitySnapshot(botID: bot, timestamp: 1, equity: value, cash: value, drawdown: 0.125)
                try await database.equity.append([snapshot])
                #expect(try await database.equity.snapshots(bot: bot, from: nil, limit: 1) == [snapshot])

                let price = PriceSnapshot(symbol: S.symbol("X\(index)/USDT"), price: value, timestamp: 1)
                try await database.priceSnapshots.append([price])
                #expect(try await database.priceSnapshots.recent(symbol: price.symbol, limit: 1) == [price])

                var trade = S.trade("extreme \(value)")
                trade.amount = value
                let stored = try await database.tradeHistory(bot: bot).append(trade)
                #expect(try await database.tradeHistory(bot: bot).recent(limit: 1) == [stored])
                #expect(stored.amount.rawValue == value.rawValue)
            }
        }
    }

    @Test("an order and its fills with the smallest and largest amounts read back unchanged")
    func orderExtremes() async throws {
        try await withDatabaseFile { database, _ in
            let store = database.orderStore(bot: "b1")
            let order = try Order(
                clientOrderID: ClientOrderID(botID: "b1", sequence: .max), symbol: S.btc, side: .sell, type: .stopLimit,
                quantity: .max, price: .ulp, stopPrice: decimal("92233720368.54775806"), timeInForce: .postOnly,
                reduceOnly: true, createdAt: .max - 1_000_000, tag: "")
            try await store.saveIntent(order)
            #expect(try await store.order(order.clientOrderID) == order)
            var accepted = S.moved(order, through: [.submitted, .accepted], venueID: String(repeating: "9", count: 64))
            let fill = Fill(
                tradeID: "t-ulp", clientOrderID: order.clientOrderID, symbol: S.btc, side: .sell, price: .ulp,
                quantity: .ulp, fee: .min, feeAsset: "USDT", liquidity: .taker, timestamp: .min)
            try accepted.apply(fill)
            try await store.recordFill(fill, order: accepted)
            #expect(try await store.order(order.clientOrderID) == accepted)
            #expect(try await store.fills(of: order.clientOrderID) == [fill])
            #expect(try await store.latestFillTimestamp() == .min)
        }
    }

    @Test("the stored columns hold the raw scaled integers, not floating-point text")
    func columnsHoldRawIntegers() async throws {
        try await withDatabaseFile { database, file in
            try await database.equity.append([
                EquitySnapshot(botID: "b1", timestamp: 1, equity: .max, cash: .ulp, drawdown: 0)
            ])
            let row = try await withRawSQLite(file.path) { raw in
                try await raw.strings("SELECT equity || ' ' || cash || ' ' || typeof(equity) FROM equity_snapshots")
            }
            #expect(row == ["9223372036854775807 1 integer"])
        }
    }
}
