import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The ``BotRepository`` contract, run against ``InMemoryBotRepository`` and the SQLite repository alike.
@Suite("Bot repository contract")
struct BotRepositoryContractTests {
    typealias S = Samples

    @Test(
        "a saved bot reads back whole; saving again replaces it; all bots come ordered by id",
        arguments: Backend.allCases)
    func saveAndRead(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let bots = stores.bots
            #expect(try await bots.bot("b1") == nil)
            #expect(try await bots.allBots().isEmpty)
            var full = BotRecord(
                id: "zeta", name: "Zeta ✓", configuration: #"{"a":[1,2,{"b":null}]}"#, mode: .dryRun,
                lifecycle: .crashed, tradingState: .halted, stateReason: "drawdown 12 % > 10 %",
                lastError: "venue timeout", restartCount: 3, createdAt: S.start, updatedAt: S.start + 5)
            try await bots.save(full)
            try await bots.save(S.bot("alpha"))
            try await bots.save(S.bot("mid"))
            #expect(try await bots.bot("zeta") == full)
            #expect(try await bots.allBots().map(\.id) == ["alpha", "mid", "zeta"])
            full.name = "renamed"
            full.mode = .live
            full.stateReason = nil
            try await bots.save(full)
            #expect(try await bots.bot("zeta") == full)
            #expect(try await bots.allBots().count == 3)
        }
    }

    @Test(
        "a lifecycle change keeps the last error unless given one or running clears it",
        arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let bots = stores.bots
            try await bots.save(S.bot("b1"))
            try await bots.updateLifecycle("b1", to: .crashed, error: "boom", restartCount: 1, at: S.start + 1)
            var bot = try #require(try await bots.bot("b1"))
            #expect(bot.lifecycle == .crashed && bot.lastError == "boom" && bot.restartCount == 1)
            #expect(bot.updatedAt == S.start + 1)
            try await bots.updateLifecycle("b1", to: .starting, error: nil, restartCount: nil, at: S.start + 2)
            bot = try #require(try await bots.bot("b1"))
            #expect(bot.lifecycle == .starting && bot.lastError == "boom" && bot.restartCount == 1)
            try await bots.updateLifecycle("b1", to: .running, error: nil, restartCount: 0, at: S.start + 3)
            bot = try #require(try await bots.bot("b1"))
            #expect(bot.lifecycle == .running && bot.lastError == nil && bot.restartCount == 0)
            #expect(bot.updatedAt == S.start + 3 && bot.createdAt == S.start)
            await #expect(throws: StorageError.notFound("bot nobody")) {
                try await bots.updateLifecycle("nobody", to: .running, error: nil, restartCount: nil, at: 0)
            }
        }
    }

    @Test("a trading-state change stores its reason; an unknown bot throws", arguments: Backend.allCases)
    func tradingState(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let bots = stores.bots
            try await bots.save(S.bot("b1"))
            try await bots.updateTradingState("b1", to: .reducing, reason: "daily loss limit", at: S.start + 9)
            let bot = try #require(try await bots.bot("b1"))
            #expect(bot.tradingState == .reducing && bot.stateReason == "daily loss limit")
            #expect(bot.updatedAt == S.start + 9)
            try await bots.updateTradingState("b1", to: .active, reason: nil, at: S.start + 10)
            #expect(try await bots.bot("b1")?.stateReason == nil)
            await #expect(throws: StorageError.notFound("bot ghost")) {
                try await bots.updateTradingState("ghost", to: .halted, reason: "kill switch", at: 0)
            }
            #expect(try await bots.bot("ghost") == nil)
        }
    }

    @Test(
        "saving positions replaces the bot's set, drops flat ones, and lists them by symbol",
        arguments: Backend.allCases)
    func positions(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let bots = stores.bots
            let sol = S.symbol("SOL/USDT")
            try await bots.savePositions(
                [
                    S.position("b1", sol, quantity: "3"), S.position("b1", S.btc, quantity: "-0.5"),
                    S.position("b1", S.eth, quantity: "0"),
                ], bot: "b1")
            try await bots.savePositions([S.position("b2", S.eth, quantity: "1")], bot: "b2")
            #expect(
                try await bots.positions(bot: "b1")
                    == [S.position("b1", S.btc, quantity: "-0.5"), S.position("b1", sol, quantity: "3")])
            try await bots.savePositions(
                [
                    S.position("b1", S.eth, quantity: "2", price: "1"),
                    S.position("b1", S.eth, quantity: "4", price: "2"),
                ],
                bot: "b1")
            #expect(try await bots.positions(bot: "b1") == [S.position("b1", S.eth, quantity: "4", price: "2")])
            try await bots.savePositions([], bot: "b1")
            #expect(try await bots.positions(bot: "b1").isEmpty)
            #expect(try await bots.positions(bot: "b2") == [S.position("b2", S.eth, quantity: "1")])
        }
    }

    @Test(
        "deleting a bot removes its positions, journal and equity, and nothing of other bots",
        arguments: Backend.allCases)
    func deleteCascades(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            for id in ["b1", "b2"] {
                try await stores.bots.save(S.bot(id))
                try await stores.bots.savePositions([S.position(id, S.btc, quantity: "1")], bot: id)
                try await stores.journal.append([.halt(reason: "test", timestamp: 1)], bot: id, expectedCount: 0)
                try await stores.equity.append([S.equity(id, minute: 1)])
            }
            try await stores.bots.delete("b1")
            #expect(try await stores.bots.bot("b1") == nil)
            #expect(try await stores.bots.positions(bot: "b1").isEmpty)
            #expect(try await stores.journal.count(bot: "b1") == 0)
            #expect(try await stores.equity.snapshots(bot: "b1", from: nil, limit: 10).isEmpty)
            #expect(try await stores.bots.allBots().map(\.id) == ["b2"])
            #expect(try await stores.bots.positions(bot: "b2").count == 1)
            #expect(try await stores.journal.count(bot: "b2") == 1)
            #expect(try await stores.equity.snapshots(bot: "b2", from: nil, limit: 10).count == 1)
            // Deleting an unknown bot is not an error.
            try await stores.bots.delete("b1")
        }
    }
}
