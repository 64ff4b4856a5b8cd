import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Testing

/// Rows changed behind Petrel's back are reported as storage errors naming the column, never trapped on.
@Suite("SQLite bad rows")
struct BadRowTests {
    typealias S = Samples

    /// Runs `statement` on the file through a second connection.
    static func damage(_ file: TestDatabaseFile, _ statement: String) async throws {
        try await withRawSQLite(file.path) { raw in try await raw.execute(statement) }
    }

    @Test("a bot with an unknown mode or trading state names the column")
    func badBot() async throws {
        try await withDatabaseFile { database, file in
            try await database.bots.save(S.bot("b1"))
            try await Self.damage(file, "UPDATE bots SET mode = 'yolo'")
            await #expect(
                throws: StorageError.storage(
                    "reading bot b1: bad row bots[b1]: column mode holds 'yolo', expected one of paper, live, dry_run")
            ) { _ = try await database.bots.bot("b1") }
            try await Self.damage(file, "UPDATE bots SET mode = 'paper', trading_state = 'panic'")
            await #expect(
                throws: StorageError.storage(
                    "reading the bots: bad row bots[b1]: column trading_state holds 'panic', "
                        + "expected one of active, reducing, halted")
            ) { _ = try await database.bots.allBots() }
        }
    }

    @Test("an order whose JSON or fill whose symbol was damaged names the column")
    func badOrderAndFill() async throws {
        try await withDatabaseFile { database, file in
            let store = database.orderStore(bot: "b1")
            let order = S.moved(S.order("b1", 1), through: [.submitted])
            try await store.saveIntent(S.order("b1", 1))
            let fill = S.fill("t-1", of: order)
            try await store.recordFill(fill, order: S.applying(fill, to: order))
            try await Self.damage(file, "UPDATE fills SET symbol = 'not a symbol'")
            do {
                _ = try await store.fills(of: order.clientOrderID)
                Issue.record("a damaged fill was read")
            } catch {
                #expect(String(describing: error).contains("bad row fills[1]: column symbol holds 'not a symbol'"))
            }
            try await Self.damage(file, "UPDATE orders SET data = '{\"clientOrderID\": 5}'")
            do {
                _ = try await store.unfinishedOrders()
                Issue.record("a damaged order was read")
            } catch {
                #expect(
                    String(describing: error).contains(
                        "bad row orders[b1x1]: column data holds JSON that is not a Order"))
            }
        }
    }

    @Test("a journal payload that is not JSON and an unknown trade decision are storage errors")
    func nullsAndPayloads() async throws {
        try await withDatabaseFile { database, file in
            _ = try await database.tradeHistory(bot: "b1").append(S.trade("a"))
            try await database.journal.append([.halt(reason: "x", timestamp: 1)], bot: "b1", expectedCount: 0)
            try await Self.damage(file, "UPDATE bot_journal SET payload = 'garbage'")
            do {
                _ = try await database.journal.entries(bot: "b1")
                Issue.record("a damaged journal entry was read")
            } catch {
                #expect(String(describing: error).contains("bad row bot_journal[b1 #0]: column payload holds JSON"))
            }
            try await Self.damage(file, "UPDATE trade_history SET decision = 'MAYBE'")
            do {
                _ = try await database.tradeHistory(bot: "b1").recent(limit: 1)
                Issue.record("a damaged trade was read")
            } catch {
                guard case .storage(let message)? = error as? TradeHistoryError else {
                    Issue.record("expected a storage error, got \(error)")
                    return
                }
                #expect(message.contains("column decision holds 'MAYBE'"))
            }
        }
    }

    @Test("NaN scores are refused before anything is written")
    func nanIsRefused() async throws {
        try await withDatabaseFile { database, _ throws in
            var trade = S.trade("nan")
            trade.risk = .nan
            await #expect(
                throws: TradeHistoryError.storage(
                    "appending a trade of bot b1: trade_history.risk: NaN cannot be stored; nothing was written")
            ) { _ = try await database.tradeHistory(bot: "b1").append(trade) }
            #expect(try await database.tradeHistory(bot: "b1").recent(limit: 5).isEmpty)
            var snapshot = S.equity("b1", minute: 1)
            snapshot.drawdown = .nan
            await #expect(throws: StorageError.self) { try await database.equity.append([snapshot]) }
            #expect(try await database.equity.snapshots(bot: "b1", from: nil, limit: 5).isEmpty)
        }
    }
}
