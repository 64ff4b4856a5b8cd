import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Synchronization
import Testing

/// Another connection (another process, in production) holding the write lock.
///
/// These tests hold a real lock for real time: that is the behaviour under test. They never sleep to wait
/// for an outcome and assert no timings; they await the write itself.
@Suite("SQLite locked database")
struct LockedDatabaseTests {
    typealias S = Samples

    @Test("a write waits while another connection holds the lock and succeeds once it is released")
    func waitsForTheLock() async throws {
        try await withDatabaseFile { database, file in
            let finished = Flag()
            try await withRawSQLite(file.path) { other in
                try await other.execute("BEGIN IMMEDIATE")
                try await other.execute(
                    "INSERT INTO price_snapshots (symbol, price, timestamp) VALUES ('ETH/USDT', 100000000, 1)")
                let write = Task {
                    try await database.journal.append(
                        [.halt(reason: "a", timestamp: 1), .halt(reason: "b", timestamp: 2)], bot: "b1",
                        expectedCount: 0)
                    finished.set()
                }
                // Hold the lock for a second (within the 5 s busy timeout): the write must still be waiting.
                try await Task.sleep(for: .seconds(1))
                #expect(finished.isSet == false)
                try await other.execute("COMMIT")
                try await write.value
            }
            #expect(finished.isSet)
            #expect(try await database.journal.count(bot: "b1") == 2)
            #expect(try await database.priceSnapshots.recent(symbol: S.eth, limit: 5).map(\.price) == [decimal("1")])
        }
    }

    @Test("a write locked out past every retry fails as a storage error, writes nothing, and the next one works")
    func givesUpCleanly() async throws {
        let configuration = PetrelDatabase.Configuration(
            busyTimeoutMilliseconds: 100, attempts: 3, retryDelayMilliseconds: 20)
        try await withDatabaseFile(configuration: configuration) { database, file in
            try await database.journal.append([.halt(reason: "first", timestamp: 1)], bot: "b1", expectedCount: 0)
            let store = database.orderStore(bot: "b1")
            let (journalError, orderError, equityError) = try await withRawSQLite(file.path) { other in
                try await other.execute("BEGIN IMMEDIATE")
                let journalError = await #expect(throws: StorageError.self) {
                    try await database.journal.append(
                        [.halt(reason: "x", timestamp: 2), .halt(reason: "y", timestamp: 3)], bot: "b1",
                        expectedCount: 1)
                }
                let orderError = await #expect(throws: OrderStoreError.self) {
                    try await store.saveIntent(S.order("b1", 1))
                }
                let equityError = await #expect(throws: StorageError.self) {
                    try await database.equity.append([S.equity("b1", minute: 1), S.equity("b1", minute: 2)])
                }
                // Reads are not blocked by a writer in WAL mode.
                #expect(try await database.journal.count(bot: "b1") == 1)
                try await other.execute("ROLLBACK")
                return (journalError, orderError, equityError)
            }

            for error in [journalError?.description, orderError?.description, equityError?.description] {
                let message = try #require(error)
                #expect(message.contains("stayed locked by another connection after 3 attempt(s)"))
                #expect(message.contains("nothing was written"))
            }
            #expect(journalError.map { if case .storage = $0 { true } else { false } } == true)
            #expect(orderError.map { if case .storage = $0 { true } else { false } } == true)
            #expect(try await database.journal.entries(bot: "b1") == [.halt(reason: "first", timestamp: 1)])
            #expect(try await store.recentOrders(limit: 5).isEmpty)
            #expect(try await database.equity.snapshots(bot: "b1", from: nil, limit: 5).isEmpty)

            try await database.journal.append([.halt(reason: "x", timestamp: 2)], bot: "b1", expectedCount: 1)
            try await store.saveIntent(S.order("b1", 1))
            #expect(try await database.journal.count(bot: "b1") == 2)
            #expect(try await store.recentOrders(limit: 5).count == 1)
        }
    }

    @Test("a second database on the same file that appended first makes the stale writer's append a conflict")
    func twoWriters() async throws {
        try await withDatabaseFile { database, file in
            let second = try await file.open()
            try await second.journal.append([.halt(reason: "other process", timestamp: 1)], bot: "b1", expectedCount: 0)
            await #expect(throws: StorageError.conflict("journal of bot b1 has 1 entries, the writer expected 0")) {
                try await database.journal.append([.halt(reason: "stale", timestamp: 1)], bot: "b1", expectedCount: 0)
            }
            await second.shutdown()
            #expect(try await database.journal.entries(bot: "b1") == [.halt(reason: "other process", timestamp: 1)])
        }
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
