import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Testing

/// What the SQL store adds to the contract: one table for all bots.
@Suite("SQLite order and bot tables")
struct SQLiteOrderStoreTests {
    typealias S = Samples

    @Test("a client order id is unique across bots, so two bots can never send the same id")
    func clientOrderIDIsGlobal() async throws {
        try await withDatabaseFile { database, _ in
            let order = S.order("shared", 1)
            try await database.orderStore(bot: "b1").saveIntent(order)
            await #expect(throws: OrderStoreError.duplicateClientOrderID(order.clientOrderID)) {
                try await database.orderStore(bot: "b2").saveIntent(order)
            }
            #expect(try await database.orderStore(bot: "b2").order(order.clientOrderID) == nil)
        }
    }

    @Test("deleting a bot also deletes its orders, fills and trade history in one go")
    func deleteEverything() async throws {
        try await withDatabaseFile { database, file in
            for bot in ["b1", "b2"] {
                try await database.bots.save(S.bot(bot))
                let store = database.orderStore(bot: bot)
                let order = S.moved(S.order(bot, 1), through: [.submitted])
                try await store.saveIntent(S.order(bot, 1))
                let fill = S.fill("t-1", of: order)
                try await store.recordFill(fill, order: S.applying(fill, to: order))
                _ = try await database.tradeHistory(bot: bot).append(S.trade("t"))
            }
            try await database.bots.delete("b1")
            let gone = database.orderStore(bot: "b1")
            #expect(try await gone.recentOrders(limit: 5).isEmpty)
            #expect(try await gone.recentFills(limit: 5).isEmpty)
            #expect(try await gone.latestFillTimestamp() == nil)
            #expect(try await database.tradeHistory(bot: "b1").recent(limit: 5).isEmpty)
            let kept = database.orderStore(bot: "b2")
            #expect(try await kept.recentOrders(limit: 5).count == 1)
            #expect(try await kept.recentFills(limit: 5).count == 1)
            #expect(try await database.tradeHistory(bot: "b2").recent(limit: 5).count == 1)

            let counts = try await withRawSQLite(file.path) { raw in
                try await raw.strings(
                    """
                    SELECT (SELECT count(*) FROM orders WHERE bot_id = 'b1')
                      + (SELECT count(*) FROM fills WHERE bot_id = 'b1')
                      + (SELECT count(*) FROM trade_history WHERE bot_id = 'b1')
                    """)
            }
            #expect(counts == ["0"])
        }
    }

    @Test("a fill cannot outlive its order: the foreign key cascades the delete")
    func fillsFollowTheirOrder() async throws {
        try await withDatabaseFile { database, file in
            let store = database.orderStore(bot: "b1")
            let order = S.moved(S.order("b1", 1), through: [.submitted])
            try await store.saveIntent(S.order("b1", 1))
            let fill = S.fill("t-1", of: order)
            try await store.recordFill(fill, order: S.applying(fill, to: order))
            let left = try await withRawSQLite(file.path) { raw in
                try await raw.execute("PRAGMA foreign_keys = ON")
                try await raw.execute("DELETE FROM orders")
                return try await raw.strings("SELECT count(*) FROM fills")
            }
            #expect(left == ["0"])
        }
    }
}
