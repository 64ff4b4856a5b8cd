import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The ``TradeHistoryStore`` contract, run against ``InMemoryTradeHistoryStore`` and the SQLite store alike.
@Suite("Trade history contract")
struct TradeHistoryContractTests {
    typealias S = Samples

    @Test("appending assigns increasing ids and keeps every seed field", arguments: Backend.allCases)
    func append(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let history = stores.tradeHistory("b1")
            let record = TradeHistoryRecord(
                fromPair: "USD", toPair: "BTC", decision: .buy, status: .pending, confidence: 0.7777777777777777,
                risk: .infinity, volatility: 1e-12, amount: decimal("0.00000001"), expectedReturn: -0.0015,
                reasoning: "Ränge: BTC ↑ \"quoted\"\nsecond line", createdAt: S.start + 123)
            let first = try await history.append(record)
            let second = try await history.append(S.trade("second"))
            let firstID = try #require(first.id)
            let secondID = try #require(second.id)
            #expect(secondID > firstID)
            var expected = record
            expected.id = firstID
            #expect(first == expected)
            #expect(try await history.recent(limit: 10) == [second, first])
            await #expect(throws: TradeHistoryError.alreadyStored(id: firstID)) { _ = try await history.append(first) }
            #expect(try await history.recent(limit: 10).count == 2)
        }
    }

    @Test("only a PENDING trade settles, and only to EXECUTED or FAILED", arguments: Backend.allCases)
    func updateStatus(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let history = stores.tradeHistory("b1")
            let pending = try await history.append(S.trade("a"))
            let id = try #require(pending.id)
            let executed = try await history.updateStatus(id: id, to: .executed)
            var expected = pending
            expected.status = .executed
            #expect(executed == expected)
            #expect(try await history.recent(limit: 1) == [expected])
            await #expect(throws: TradeHistoryError.invalidTransition(id: id, from: .executed, to: .failed)) {
                _ = try await history.updateStatus(id: id, to: .failed)
            }
            let other = try #require(try await history.append(S.trade("b")).id)
            await #expect(throws: TradeHistoryError.invalidTransition(id: other, from: .pending, to: .pending)) {
                _ = try await history.updateStatus(id: other, to: .pending)
            }
            #expect(try await history.updateStatus(id: other, to: .failed).status == .failed)
            await #expect(throws: TradeHistoryError.notFound(id: 9_999)) {
                _ = try await history.updateStatus(id: 9_999, to: .executed)
            }
            // Another bot's record is not this bot's to settle.
            let foreign = try #require(try await stores.tradeHistory("b2").append(S.trade("c")).id)
            let empty = stores.tradeHistory("b3")
            await #expect(throws: TradeHistoryError.notFound(id: foreign)) {
                _ = try await empty.updateStatus(id: foreign, to: .executed)
            }
        }
    }

    @Test(
        "recent and by-status lists are newest first, limited, and refuse a negative limit",
        arguments: Backend.allCases)
    func lists(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let history = stores.tradeHistory("b1")
            var stored: [TradeHistoryRecord] = []
            for index in 0..<6 {
                let status: TradeStatus = index.isMultiple(of: 2) ? .executed : .failed
                stored.append(try await history.append(S.trade("t\(index)", status: status)))
            }
            #expect(try await history.recent(limit: 4) == Array(stored.reversed().prefix(4)))
            #expect(try await history.recent(limit: 0).isEmpty)
            #expect(
                try await history.records(status: .executed, limit: 2).map(\.reasoning) == ["t4", "t2"])
            #expect(try await history.records(status: .failed, limit: 10).map(\.reasoning) == ["t5", "t3", "t1"])
            #expect(try await history.records(status: .pending, limit: 10).isEmpty)
            await #expect(throws: TradeHistoryError.invalidLimit(-1)) { _ = try await history.recent(limit: -1) }
            await #expect(throws: TradeHistoryError.invalidLimit(-3)) {
                _ = try await history.records(status: .executed, limit: -3)
            }
        }
    }

    @Test(
        "retention keeps the newest records of the bot, 0 keeps all, a negative count throws",
        arguments: Backend.allCases)
    func retention(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let history = stores.tradeHistory("b1")
            let neighbour = stores.tradeHistory("b2")
            var stored: [TradeHistoryRecord] = []
            for index in 0..<7 {
                stored.append(try await history.append(S.trade("t\(index)", status: .executed)))
                _ = try await neighbour.append(S.trade("n\(index)"))
            }
            #expect(try await history.cleanupOldTrades(keep: 0) == 0)
            #expect(try await history.recent(limit: 100).count == 7)
            #expect(try await history.cleanupOldTrades(keep: 10) == 0)
            #expect(try await history.cleanupOldTrades(keep: 3) == 4)
            #expect(try await history.recent(limit: 100) == Array(stored.reversed().prefix(3)))
            #expect(try await history.cleanupOldTrades(keep: 3) == 0)
            await #expect(throws: TradeHistoryError.invalidKeep(-1)) { try await history.cleanupOldTrades(keep: -1) }
            #expect(try await neighbour.recent(limit: 100).count == 7)
            // The removed records are gone for good.
            let removed = try #require(stored[0].id)
            await #expect(throws: TradeHistoryError.notFound(id: removed)) {
                _ = try await history.updateStatus(id: removed, to: .executed)
            }
        }
    }

    @Test(
        "settling an executed trade applies the bot's retention; the default keeps 100",
        arguments: Backend.allCases)
    func settle(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let history = stores.tradeHistory("b1")
            for index in 0..<3 { _ = try await history.append(S.trade("old\(index)", status: .executed)) }
            let pending = try #require(try await history.append(S.trade("new")).id)
            let failed = try #require(try await history.append(S.trade("failing")).id)
            _ = try await history.settle(id: failed, status: .failed, keep: 2)
            #expect(try await history.recent(limit: 100).count == 5)
            let settled = try await history.settle(id: pending, status: .executed, keep: 2)
            #expect(settled.status == .executed)
            #expect(try await history.recent(limit: 100).map(\.reasoning) == ["failing", "new"])
            for index in 0..<105 { _ = try await history.append(S.trade("bulk\(index)")) }
            #expect(try await history.cleanupOldTrades() == 7)
            #expect(try await history.recent(limit: 1_000).count == 100)
        }
    }
}
