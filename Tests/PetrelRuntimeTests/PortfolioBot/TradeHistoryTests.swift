import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Portfolio bot: trade history")
struct TradeHistoryTests {
    /// 2026-02-14T02:30:00Z, the seed's example time.
    static let seedTime: Int64 = 1_771_036_200_000

    static func record(_ n: Int = 0, status: TradeStatus = .pending) -> TradeHistoryRecord {
        TradeHistoryRecord(
            fromPair: "BTC", toPair: "USD", decision: .sell, status: status, confidence: 0.85, risk: 0.3,
            volatility: 0.02, amount: decimal("0.5"), expectedReturn: 0.025, reasoning: "trade \(n)",
            createdAt: seedTime + Int64(n))
    }

    @Test("JSON uses exactly the seed's keys, with an exact amount and an ISO-8601 time")
    func seedJSON() throws {
        var record = TradeHistoryRecord(
            id: 1, fromPair: "BTC", toPair: "USD", decision: .buy, status: .executed, confidence: 0.85, risk: 0.3,
            volatility: 0.02, amount: decimal("0.5"), expectedReturn: 0.025, reasoning: "momentum up",
            createdAt: Self.seedTime)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // JSON objects are unordered; sorting makes the text comparable
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(
            json
                == #"{"amount":"0.5","confidence":0.85,"created_at":"2026-02-14T02:30:00Z","decision":"BUY","#
                + #""expected_return":0.025,"from_pair":"BTC","id":1,"reasoning":"momentum up","risk":0.3,"#
                + #""status":"EXECUTED","to_pair":"USD","volatility":0.02}"#)
        record.createdAt += 250
        record.id = nil
        let object = try #require(
            try JSONSerialization.jsonObject(with: try encoder.encode(record)) as? [String: Any])
        #expect(object["created_at"] as? String == "2026-02-14T02:30:00.250Z")
        #expect(object["id"] == nil)
        #expect(try JSONDecoder().decode(TradeHistoryRecord.self, from: try encoder.encode(record)) == record)
    }

    @Test("the seed's own messages decode: amount as a number, expected_return as a string")
    func seedMessageDecodes() throws {
        let text = #"""
            {"id": 7, "from_pair": "BTC", "to_pair": "USD", "decision": "SELL", "status": "PENDING",
             "confidence": 0.85, "risk": 0.3, "volatility": 0.02, "amount": 0.5, "expected_return": "0.025",
             "reasoning": "r", "created_at": "2026-02-14T02:30:00Z"}
            """#
        let record = try JSONDecoder().decode(TradeHistoryRecord.self, from: Data(text.utf8))
        #expect(record.id == 7 && record.decision == .sell && record.status == .pending)
        #expect(record.amount == decimal("0.5") && record.expectedReturn == 0.025 && record.createdAt == Self.seedTime)
        let badTime = text.replacingOccurrences(of: "2026-02-14T02:30:00Z", with: "yesterday")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TradeHistoryRecord.self, from: Data(badTime.utf8))
        }
    }

    @Test("the store assigns increasing ids and lists the newest first, also by status")
    func appendAndQuery() async throws {
        let store = InMemoryTradeHistoryStore()
        for n in 1...5 { _ = try await store.append(Self.record(n)) }
        _ = try await store.updateStatus(id: 2, to: .executed)
        _ = try await store.updateStatus(id: 4, to: .executed)
        _ = try await store.updateStatus(id: 5, to: .failed)
        #expect(try await store.recent(limit: 3).map(\.id) == [5, 4, 3])
        #expect(try await store.recent(limit: 0).isEmpty)
        #expect(try await store.records(status: .executed, limit: 10).map(\.id) == [4, 2])
        #expect(try await store.records(status: .pending, limit: 1).map(\.id) == [3])
        await #expect(throws: TradeHistoryError.invalidLimit(-1)) { try await store.recent(limit: -1) }
        await #expect(throws: TradeHistoryError.alreadyStored(id: 4)) {
            try await store.append(try await store.recent(limit: 2)[1])
        }
    }

    @Test("only a PENDING trade changes status, and only to EXECUTED or FAILED")
    func statusTransitions() async throws {
        let store = InMemoryTradeHistoryStore()
        let stored = try await store.append(Self.record())
        let id = try #require(stored.id)
        await #expect(throws: TradeHistoryError.invalidTransition(id: id, from: .pending, to: .pending)) {
            try await store.updateStatus(id: id, to: .pending)
        }
        #expect(try await store.updateStatus(id: id, to: .executed).status == .executed)
        await #expect(throws: TradeHistoryError.invalidTransition(id: id, from: .executed, to: .failed)) {
            try await store.updateStatus(id: id, to: .failed)
        }
        await #expect(throws: TradeHistoryError.notFound(id: 99)) { try await store.updateStatus(id: 99, to: .failed) }
    }

    @Test("cleanup keeps the last 100 by default, any N when asked, and everything for 0")
    func retention() async throws {
        let store = InMemoryTradeHistoryStore()
        for n in 1...150 { _ = try await store.append(Self.record(n)) }
        #expect(try await store.cleanupOldTrades(keep: 0) == 0)
        #expect(await store.count == 150)
        #expect(try await store.cleanupOldTrades() == 50)
        #expect(await store.count == 100)
        #expect(try await store.recent(limit: 1_000).last?.id == 51)
        #expect(try await store.cleanupOldTrades(keep: 10) == 90)
        #expect(try await store.recent(limit: 1_000).map(\.id) == Array((141...150).reversed()))
        await #expect(throws: TradeHistoryError.invalidKeep(-5)) { try await store.cleanupOldTrades(keep: -5) }
    }

    @Test("settling an executed trade applies retention; a failed one does not")
    func cleanupAfterEachExecutedTrade() async throws {
        let store = InMemoryTradeHistoryStore()
        for n in 1...5 {
            let id = try #require(try await store.append(Self.record(n)).id)
            try await store.settle(id: id, status: .executed, keep: 3)
            #expect(await store.count == min(n, 3))
        }
        let failed = try #require(try await store.append(Self.record(6)).id)
        try await store.settle(id: failed, status: .failed, keep: 3)
        #expect(await store.count == 4)
        let executed = try #require(try await store.append(Self.record(7)).id)
        try await store.settle(id: executed, status: .executed, keep: 3)
        #expect(try await store.recent(limit: 10).map(\.id) == [7, 6, 5])
        let keepAll = try #require(try await store.append(Self.record(8)).id)
        try await store.settle(id: keepAll, status: .executed, keep: 0)
        #expect(await store.count == 4)
    }
}
