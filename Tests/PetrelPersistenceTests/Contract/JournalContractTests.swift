import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The ``BotJournal`` contract, run against ``InMemoryBotJournal`` and the SQLite journal alike.
@Suite("Bot journal contract")
struct JournalContractTests {
    typealias S = Samples

    /// One entry of every kind.
    static func everyKind() -> [BotJournalEntry] {
        let order = S.order("b1", 1)
        return [
            .candle(TestCandles.candle("100.5", "101", "99.99999999", "100.25", volume: "12.3", at: S.start)),
            .accepted(order.clientOrderID, venueOrderID: "v-1", timestamp: S.start + 1),
            .accepted(order.clientOrderID, venueOrderID: nil, timestamp: S.start + 2),
            .fill(S.fill("t-1", of: order)),
            .closed(order.clientOrderID, status: .cancelled, reason: nil, timestamp: S.start + 3),
            .closed(order.clientOrderID, status: .rejected, reason: "insufficient balance", timestamp: S.start + 4),
            .halt(reason: "kill switch", timestamp: S.start + 5),
            .warmUp(TestCandles.candle("99", "100", "98", "99.5", at: S.start - 3_600_000)),
            .paused(true, timestamp: S.start + 6),
        ]
    }

    @Test(
        "the last candle time is the newest candle or warm-up entry, whatever follows it", arguments: Backend.allCases)
    func lastCandleTime(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let journal = stores.journal
            #expect(try await journal.lastCandleTime(bot: "b1") == nil)
            let warm = TestCandles.candle("99", "100", "98", "99.5", at: S.start)
            try await journal.append([.warmUp(warm)], bot: "b1", expectedCount: 0)
            #expect(try await journal.lastCandleTime(bot: "b1") == S.start)
            let live = TestCandles.candle("99.5", "101", "99", "100", at: S.start + 3_600_000)
            try await journal.append(
                [.candle(live), .halt(reason: "operator", timestamp: S.start + 7_200_001)], bot: "b1", expectedCount: 1)
            #expect(try await journal.lastCandleTime(bot: "b1") == S.start + 3_600_000)
            #expect(try await journal.lastCandleTime(bot: "b2") == nil)
        }
    }

    @Test("appended entries of every kind read back in order, and count", arguments: Backend.allCases)
    func appendAndRead(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let journal = stores.journal
            let entries = Self.everyKind()
            try await journal.append(Array(entries.prefix(3)), bot: "b1", expectedCount: 0)
            try await journal.append([], bot: "b1", expectedCount: 3)
            try await journal.append(Array(entries.dropFirst(3)), bot: "b1", expectedCount: 3)
            #expect(try await journal.entries(bot: "b1") == entries)
            #expect(try await journal.count(bot: "b1") == entries.count)
            #expect(try await journal.entries(bot: "b2").isEmpty)
            #expect(try await journal.count(bot: "b2") == 0)
        }
    }

    @Test("a writer with the wrong expected count gets a conflict and writes nothing", arguments: Backend.allCases)
    func expectedCountConflict(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let journal = stores.journal
            let entries = Self.everyKind()
            try await journal.append([entries[0]], bot: "b1", expectedCount: 0)
            for stale in [0, 2, -1] {
                await #expect(
                    throws: StorageError.conflict("journal of bot b1 has 1 entries, the writer expected \(stale)")
                ) {
                    try await journal.append(Array(entries.dropFirst()), bot: "b1", expectedCount: stale)
                }
            }
            #expect(try await journal.entries(bot: "b1") == [entries[0]])
            await #expect(throws: StorageError.conflict("journal of bot b9 has 0 entries, the writer expected 1")) {
                try await journal.append([], bot: "b9", expectedCount: 1)
            }
        }
    }

    @Test("a reset journal starts again from zero; other bots keep theirs", arguments: Backend.allCases)
    func reset(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let journal = stores.journal
            let halt = BotJournalEntry.halt(reason: "x", timestamp: 1)
            try await journal.append([halt, halt], bot: "b1", expectedCount: 0)
            try await journal.append([halt], bot: "b2", expectedCount: 0)
            try await journal.reset(bot: "b1")
            #expect(try await journal.count(bot: "b1") == 0)
            try await journal.append([halt], bot: "b1", expectedCount: 0)
            #expect(try await journal.entries(bot: "b1") == [halt])
            #expect(try await journal.count(bot: "b2") == 1)
        }
    }
}
