import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Paper exchange checkpoints")
struct PaperCheckpointTests {
    typealias F = PaperFixtures

    /// What the account store holds must decode to the exchange's state, as `JSONEncoder`'s output does.
    func expectStoredIsState(_ exchange: PaperExchange, _ store: InMemoryPaperAccountStore) async throws {
        let state = await exchange.snapshot()
        let stored = try #require(try await store.load(account: "bot1"))
        let decoded = try JSONDecoder().decode(PaperExchangeState.self, from: Data(stored))
        #expect(decoded == state)
        let plain = try JSONDecoder().decode(PaperExchangeState.self, from: try JSONEncoder().encode(state))
        #expect(decoded == plain)
    }

    @Test("every save stores the whole state, also after orders change, fill in parts, close and a restore")
    func savesEqualFullEncoding() async throws {
        let clock = TestClock(F.start)
        let store = InMemoryPaperAccountStore()
        let exchange = try await PaperExchange.open(
            configuration: F.configuration(fillLimit: .quoteSize), balances: F.balances, store: store,
            account: "bot1", clock: clock)
        try await expectStoredIsState(exchange, store)
        await exchange.apply(F.quote(bid: "100.00", ask: "100.05", at: F.start))
        try await exchange.checkpoint()
        try await expectStoredIsState(exchange, store)

        // New orders, a partial fill (an order changes in place), a cancel, fills over several quotes.
        _ = try await exchange.submit(F.order(1, .buy, quantity: "0.2"))
        try await expectStoredIsState(exchange, store)
        _ = try await exchange.submit(F.order(2, .sell, .limit, quantity: "0.5", price: "101.00"))
        _ = try await exchange.submit(F.order(3, .buy, .limit, quantity: "0.2", price: "99.00"))
        _ = try await exchange.submit(F.order(10, .buy, .limit, quantity: "0.2", price: "98.00"))
        try await expectStoredIsState(exchange, store)
        for (index, bid) in ["101.00", "101.20", "98.90", "100.50"].enumerated() {
            let time = F.start + Int64(index + 1) * 1_000
            await exchange.apply(F.quote(bid: bid, ask: "\(bid)5", bidSize: "0.2", askSize: "0.1", at: time))
            try await exchange.checkpoint()
            try await expectStoredIsState(exchange, store)
        }
        _ = try await exchange.cancel(F.order(10, .buy, quantity: "0.1").clientOrderID, symbol: F.btc)
        try await expectStoredIsState(exchange, store)

        let traded = await exchange.snapshot()
        #expect(traded.fills.count >= 3 && traded.openOrderIDs.count >= 1)

        // A restored older state drops orders and fills the encoder had seen.
        await exchange.restore(PaperExchangeState(balances: F.balances))
        try await exchange.checkpoint()
        try await expectStoredIsState(exchange, store)
        _ = try await exchange.submit(F.order(4, .buy, .limit, quantity: "0.2", price: "90.00"))
        try await expectStoredIsState(exchange, store)
    }

    /// A persisted paper account of bot `bot1` keeping `historyLimit` closed orders and fills,
    /// quoted 100.00 / 100.05.
    static func quotedExchange(historyLimit: Int) async throws -> (PaperExchange, InMemoryPaperAccountStore) {
        let store = InMemoryPaperAccountStore()
        var configuration = F.configuration()
        configuration.historyLimit = historyLimit
        let exchange = try await PaperExchange.open(
            configuration: configuration, balances: F.balances, store: store, account: "bot1",
            clock: TestClock(F.start))
        await exchange.apply(F.quote(bid: "100.00", ask: "100.05", at: F.start))
        return (exchange, store)
    }

    @Test("closed orders and fills beyond twice the history limit are forgotten down to it; open orders stay")
    func historyRetention() async throws {
        let (exchange, store) = try await Self.quotedExchange(historyLimit: 2)
        let resting = F.order(100, .buy, .limit, quantity: "0.2", price: "90.00")
        _ = try await exchange.submit(resting)
        for sequence in 1...4 {
            _ = try await exchange.submit(F.order(UInt64(sequence), .buy, quantity: "0.1"))
            try await expectStoredIsState(exchange, store)
        }
        // Four filled, one resting: 4 closed orders and 4 fills are not yet more than 2 × 2.
        #expect(await exchange.snapshot().orders.count == 5)
        _ = try await exchange.submit(F.order(5, .buy, quantity: "0.1"))
        let pruned = await exchange.snapshot()
        // Five closed, one open: the three oldest closed orders and fills are gone.
        #expect(pruned.orders.keys.sorted() == [resting.clientOrderID.rawValue, "bot1x4", "bot1x5"].sorted())
        #expect(pruned.fills.map(\.clientOrderID.rawValue) == ["bot1x4", "bot1x5"])
        try await expectStoredIsState(exchange, store)
        // The open order is still known, and its client id still answers with that order.
        #expect(try await exchange.order(resting.clientOrderID, symbol: F.btc)?.status == .accepted)
        let again = try await exchange.submit(resting)
        let after = await exchange.snapshot()
        #expect(again.status == .accepted && after.openOrderIDs == [resting.clientOrderID])
    }

    @Test("with a tiny history limit, every save after many prunes still stores exactly the state")
    func savesAcrossManyPrunes() async throws {
        let (exchange, store) = try await Self.quotedExchange(historyLimit: 3)
        var resting: [Order] = []
        for step in 1...60 {
            let sequence = UInt64(step)
            switch step % 5 {
            case 0:
                // A limit far from the market: stays open across prunes.
                let order = F.order(sequence, .buy, .limit, quantity: "0.2", price: "80.00")
                _ = try await exchange.submit(order)
                resting.append(order)
            case 3 where !resting.isEmpty:
                _ = try await exchange.cancel(resting.removeFirst().clientOrderID, symbol: F.btc)
            default:
                _ = try await exchange.submit(F.order(sequence, step.isMultiple(of: 2) ? .sell : .buy, quantity: "0.1"))
            }
            if step.isMultiple(of: 7) {
                await exchange.apply(F.quote(bid: "100.00", ask: "100.05", at: F.start + Int64(step) * 1_000))
                try await exchange.checkpoint()
            }
            try await expectStoredIsState(exchange, store)
        }
        let state = await exchange.snapshot()
        #expect(state.fills.count <= 6 && state.orders.count - state.openOrderIDs.count <= 6)
        #expect(state.openOrderIDs == resting.map(\.clientOrderID))
    }

    @Test("fills, quotes and balances with awkward text and sizes are saved so they read back equal")
    func awkwardValues() async throws {
        let clock = TestClock(F.start)
        let store = InMemoryPaperAccountStore()
        let exchange = try await PaperExchange.open(
            configuration: F.configuration(), balances: F.balances, store: store, account: "bot1", clock: clock)
        var state = await exchange.snapshot()
        state.fills = [
            Fill(
                tradeID: "t\"1\\x\n\u{01}é", clientOrderID: ClientOrderID(botID: "bot1", sequence: 7), symbol: F.btc,
                side: .sell, price: decimal("0.00000001"), quantity: decimal("123456789.12345678"),
                fee: decimal("-0.5"), feeAsset: "US\"DT", liquidity: .maker, timestamp: -1)
        ]
        state.lastQuotes = [
            "BTC/USDT": Quote(
                symbol: F.btc, bid: decimal("99.5"), ask: decimal("100"), last: decimal("99.75"),
                bidSize: decimal("0.001"), askSize: nil, timestamp: F.start)
        ]
        state.ledger = PortfolioLedger(balances: ["USDT": decimal("0.00000001"), "B\\TC": decimal("5")])
        var odd = try Order(
            clientOrderID: ClientOrderID(botID: "bot1", sequence: 99), symbol: F.btc, side: .sell, type: .stopLimit,
            quantity: decimal("0.5"), price: decimal("90"), stopPrice: decimal("91.5"), timeInForce: .ioc,
            reduceOnly: true, createdAt: F.start, tag: "stop \"loss\"\n\t2 %")
        odd.venueOrderID = "v/1\\"
        try odd.transition(to: .rejected, at: F.start + 1, reason: "no \"balance\"")
        var paperOrder = PaperOrder(order: odd, sequence: UInt64.max, reservedAsset: "BTC", reserved: decimal("0.5"))
        paperOrder.triggered = true
        paperOrder.reason = "é\u{7}"
        state.orders[odd.clientOrderID.rawValue] = paperOrder
        await exchange.restore(state)
        try await exchange.checkpoint()
        try await expectStoredIsState(exchange, store)
    }
}
