import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Testing

/// Opening, reopening, migrating and closing a real database file.
@Suite("SQLite database lifecycle")
struct DatabaseLifecycleTests {
    typealias S = Samples

    static let allMigrations = [
        "CreateBots", "CreatePositions", "CreateOrders", "CreateFills", "CreateBotJournal", "CreateEquitySnapshots",
        "CreatePriceSnapshots", "CreatePaperAccounts", "CreateTradeHistory", "CreateTradingPairs",
        "CreatePortfolioSettings", "AddBotOwner", "CreateUsers", "CreateRefreshTokens", "CreateAuditLog",
        "CreateExchangeAccounts", "CreateBacktestJobs", "CreateSymbols", "AddBotSizingMultiplier",
        "CreateServerSettings",
    ]

    @Test("opening creates the folder and the file, and every table's rows survive close and reopen")
    func survivesReopen() async throws {
        let file = try TestDatabaseFile("nested/deeper/petrel.sqlite")
        defer { file.remove() }
        let order = S.order("b1", 1)
        let accepted = S.moved(order, through: [.submitted, .accepted], venueID: "v-1")
        let fill = S.fill("t-1", of: accepted)
        let filled = S.applying(fill, to: accepted)
        let entries = JournalContractTests.everyKind()

        let first = try await file.open()
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(first.location == file.path)
        try await first.bots.save(S.bot("b1"))
        try await first.bots.savePositions([S.position("b1", S.btc, quantity: "0.25")], bot: "b1")
        try await first.journal.append(entries, bot: "b1", expectedCount: 0)
        try await first.equity.append([S.equity("b1", minute: 1)])
        try await first.priceSnapshots.append([S.price(S.btc, "42000.12", second: 1)])
        try await first.paperAccounts.save([1, 2, 3], account: "paper")
        let store = first.orderStore(bot: "b1")
        try await store.saveIntent(order)
        try await store.updateOrder(accepted)
        try await store.recordFill(fill, order: filled)
        let trade = try await first.tradeHistory(bot: "b1").append(S.trade("kept"))
        await first.shutdown()

        let second = try await file.open()
        #expect(second.appliedAtOpen.isEmpty)
        #expect(try await second.bots.bot("b1") == S.bot("b1"))
        #expect(try await second.bots.positions(bot: "b1") == [S.position("b1", S.btc, quantity: "0.25")])
        #expect(try await second.journal.entries(bot: "b1") == entries)
        #expect(try await second.equity.snapshots(bot: "b1", from: nil, limit: 5) == [S.equity("b1", minute: 1)])
        #expect(
            try await second.priceSnapshots.recent(symbol: S.btc, limit: 5) == [S.price(S.btc, "42000.12", second: 1)])
        #expect(try await second.paperAccounts.load(account: "paper") == [1, 2, 3])
        let reopened = second.orderStore(bot: "b1")
        #expect(try await reopened.order(order.clientOrderID) == filled)
        #expect(try await reopened.fills(of: order.clientOrderID) == [fill])
        #expect(try await reopened.latestFillTimestamp() == fill.timestamp)
        #expect(try await second.tradeHistory(bot: "b1").recent(limit: 5) == [trade])
        // Ids keep growing after a reopen.
        let next = try await second.tradeHistory(bot: "b1").append(S.trade("next"))
        #expect(try #require(next.id) > (try #require(trade.id)))
        await second.shutdown()
    }

    @Test("migrations run once: the first open applies all, a reopen none, and the log lists each once")
    func migrationsAreIdempotent() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        let first = try await file.open()
        #expect(first.appliedAtOpen == Self.allMigrations)
        #expect(try await first.appliedMigrations() == Self.allMigrations)
        await first.shutdown()
        for _ in 0..<2 {
            let again = try await file.open()
            #expect(again.appliedAtOpen.isEmpty)
            #expect(try await again.appliedMigrations() == Self.allMigrations)
            await again.shutdown()
        }
        let (logged, batches) = try await withRawSQLite(file.path) { raw in
            (
                try await raw.strings("SELECT name FROM _fluent_migrations ORDER BY name"),
                try await raw.strings("SELECT DISTINCT batch FROM _fluent_migrations")
            )
        }
        #expect(logged == Self.allMigrations.sorted())
        #expect(batches == ["1"])
    }

    @Test("a file database runs in WAL mode with foreign keys, the busy timeout and synchronous NORMAL")
    func pragmas() async throws {
        try await withDatabaseFile { database, file in
            let settings = try await database.connectionSettings()
            #expect(
                settings
                    == PetrelDatabase.ConnectionSettings(
                        journalMode: "wal", foreignKeys: true, busyTimeoutMilliseconds: 5_000, synchronous: "normal"))
            #expect(FileManager.default.fileExists(atPath: file.path + "-wal"))
        }
        let configuration = PetrelDatabase.Configuration(busyTimeoutMilliseconds: 250, synchronous: .full)
        try await withDatabaseFile(configuration: configuration) { database, _ in
            let settings = try await database.connectionSettings()
            #expect(settings.busyTimeoutMilliseconds == 250)
            #expect(settings.synchronous == "full")
            #expect(settings.journalMode == "wal")
        }
    }

    @Test("an in-memory database has every table and forgets everything at shutdown")
    func inMemory() async throws {
        let database = try await PetrelDatabase.openInMemory(logger: .quiet)
        #expect(database.location == ":memory:")
        #expect(database.appliedAtOpen == Self.allMigrations)
        let settings = try await database.connectionSettings()
        #expect(settings.journalMode == "memory" && settings.foreignKeys)
        try await database.bots.save(S.bot("b1"))
        #expect(try await database.bots.allBots().map(\.id) == ["b1"])
        await database.shutdown()
        let fresh = try await PetrelDatabase.openInMemory(logger: .quiet)
        #expect(try await fresh.bots.allBots().isEmpty)
        await fresh.shutdown()
    }

    @Test("after shutdown every call fails with a storage error and a second shutdown does nothing")
    func closed() async throws {
        let database = try await PetrelDatabase.openInMemory(logger: .quiet)
        await database.shutdown()
        await database.shutdown()
        #expect(database.isClosed)
        await #expect(throws: StorageError.storage("saving bot b1: the database :memory: is closed")) {
            try await database.bots.save(S.bot("b1"))
        }
        await #expect(
            throws: OrderStoreError.storage("reading the unfinished orders of bot b1: the database :memory: is closed")
        ) {
            _ = try await database.orderStore(bot: "b1").unfinishedOrders()
        }
        await #expect(
            throws: TradeHistoryError.storage("reading the trades of bot b1: the database :memory: is closed")
        ) {
            _ = try await database.tradeHistory(bot: "b1").recent(limit: 1)
        }
    }

    @Test("shutdown waits for the statements in flight: each one finishes or is refused, none is cut off")
    func shutdownDuringTraffic() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        for round in 0..<5 {
            let database = try await file.open()
            try await database.bots.save(S.bot("b\(round)"))
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            if index.isMultiple(of: 2) {
                                _ = try await database.bots.allBots()
                            } else {
                                try await database.equity.append([S.equity("b\(round)", minute: Int64(index))])
                            }
                            return "done"
                        } catch let error as StorageError {
                            return error.description.hasSuffix("is closed") ? "refused" : "failed: \(error)"
                        } catch {
                            return "failed: \(error)"
                        }
                    }
                }
                group.addTask {
                    await database.shutdown()
                    return "shutdown"
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0.hasPrefix("failed") }.isEmpty, "\(outcomes)")
            #expect(outcomes.count == 41)
            #expect(database.isClosed)
        }
        // What the finished writes stored is all there after a reopen.
        let reopened = try await file.open()
        #expect(try await reopened.bots.allBots().count == 5)
        await reopened.shutdown()
    }

    @Test("a path that cannot hold a database is a storage error naming it")
    func unusablePath() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        // The parent "folder" is a regular file.
        let blocker = file.directory.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("petrel.sqlite").path
        do {
            _ = try await PetrelDatabase.open(path: path, logger: .quiet)
            Issue.record("opening \(path) succeeded")
        } catch {
            guard case .storage(let message) = error else {
                Issue.record("expected a storage error, got \(error)")
                return
            }
            #expect(message.contains(blocker.path))
        }
    }
}
