import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The ``TradingPairStore`` and ``PortfolioSettingsStore`` contracts (seed 000's `TradingPair` and
/// `BotConfig`), run against the in-memory stores and SQLite alike.
@Suite("Portfolio bot store contracts")
struct PortfolioBotStoreContractTests {
    typealias S = Samples

    static let usd = S.symbol("BTC/USD")
    static let eth = S.symbol("ETH/USD")
    static let sol = S.symbol("SOL/USD")

    static func settings(_ bot: String, risk: Double = 0.6, size: TradeSize = .default) -> PortfolioSettingsRecord {
        PortfolioSettingsRecord(
            botID: bot, riskTolerance: risk, minConfidence: 0.75, tradeSize: size, checkIntervalSeconds: 3,
            cacheTTLSeconds: 2, volatilityWindow: 12, historyKeep: 50, updatedAt: S.start)
    }

    @Test("pairs list highest priority first, ties by symbol, per bot", arguments: Backend.allCases)
    func listing(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let pairs = stores.tradingPairs
            #expect(try await pairs.pairs(bot: "p1").isEmpty)
            try await pairs.upsert(TradingPairSetting(symbol: Self.sol, priority: 90), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 100), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.eth, priority: 90, isEnabled: false), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.eth, priority: 5), bot: "p2")
            #expect(
                try await pairs.pairs(bot: "p1") == [
                    TradingPairSetting(symbol: Self.usd, priority: 100),
                    TradingPairSetting(symbol: Self.eth, priority: 90, isEnabled: false),
                    TradingPairSetting(symbol: Self.sol, priority: 90),
                ])
            #expect(try await pairs.pairs(bot: "p2") == [TradingPairSetting(symbol: Self.eth, priority: 5)])
            #expect(try await pairs.pairs(bot: "p3").isEmpty)
        }
    }

    @Test(
        "upserting a stored pair replaces its priority and switch, never adds a second row", arguments: Backend.allCases
    )
    func upsertReplaces(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let pairs = stores.tradingPairs
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 100), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 100), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 7, isEnabled: false), bot: "p1")
            #expect(
                try await pairs.pairs(bot: "p1") == [
                    TradingPairSetting(symbol: Self.usd, priority: 7, isEnabled: false)
                ])
        }
    }

    @Test("switching keeps the priority; an unknown pair is not found and nothing changes", arguments: Backend.allCases)
    func setEnabled(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let pairs = stores.tradingPairs
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 42), bot: "p1")
            try await pairs.setEnabled(false, symbol: Self.usd, bot: "p1")
            #expect(
                try await pairs.pairs(bot: "p1") == [
                    TradingPairSetting(symbol: Self.usd, priority: 42, isEnabled: false)
                ])
            try await pairs.setEnabled(true, symbol: Self.usd, bot: "p1")
            #expect(try await pairs.pairs(bot: "p1") == [TradingPairSetting(symbol: Self.usd, priority: 42)])
            await #expect(throws: StorageError.notFound("trading pair ETH/USD of bot p1")) {
                try await pairs.setEnabled(true, symbol: Self.eth, bot: "p1")
            }
            await #expect(throws: StorageError.notFound("trading pair BTC/USD of bot p2")) {
                try await pairs.setEnabled(false, symbol: Self.usd, bot: "p2")
            }
            #expect(try await pairs.pairs(bot: "p2").isEmpty)
        }
    }

    @Test("removing deletes only that bot's pair; removing it again is not found", arguments: Backend.allCases)
    func remove(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let pairs = stores.tradingPairs
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 1), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.eth, priority: 2), bot: "p1")
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 3), bot: "p2")
            try await pairs.remove(symbol: Self.usd, bot: "p1")
            #expect(try await pairs.pairs(bot: "p1") == [TradingPairSetting(symbol: Self.eth, priority: 2)])
            #expect(try await pairs.pairs(bot: "p2") == [TradingPairSetting(symbol: Self.usd, priority: 3)])
            await #expect(throws: StorageError.notFound("trading pair BTC/USD of bot p1")) {
                try await pairs.remove(symbol: Self.usd, bot: "p1")
            }
            // Removed, it can be added again.
            try await pairs.upsert(TradingPairSetting(symbol: Self.usd, priority: 9), bot: "p1")
            #expect(try await pairs.pairs(bot: "p1").map(\.symbol) == [Self.usd, Self.eth])
        }
    }

    @Test("settings round-trip exactly, both trade-size forms, and a save replaces", arguments: Backend.allCases)
    func settingsRoundTrip(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.portfolioSettings
            #expect(try await store.load(bot: "p1") == nil)
            let first = Self.settings("p1", risk: 0.1 + 0.2, size: .fractionOfHolding(decimal("0.12345678")))
            try await store.save(first)
            try await store.save(Self.settings("p2", size: .fixedAmount(decimal("0.00000001"))))
            #expect(try await store.load(bot: "p1") == first)
            var changed = first
            changed.tradeSize = .fixedAmount(decimal("92233720368.54775807"))
            changed.checkIntervalSeconds = 300
            changed.updatedAt += 1
            try await store.save(changed)
            #expect(try await store.load(bot: "p1") == changed)
            #expect(try await store.load(bot: "p2") == Self.settings("p2", size: .fixedAmount(decimal("0.00000001"))))
        }
    }

    @Test("a NaN setting is refused and the stored row stays as it was", arguments: Backend.allCases)
    func settingsRefuseNaN(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let store = stores.portfolioSettings
            try await store.save(Self.settings("p1"))
            var bad = Self.settings("p1")
            bad.minConfidence = .nan
            await #expect {
                try await store.save(bad)
            } throws: { error in
                guard case .storage(let message)? = error as? StorageError else { return false }
                return message.contains("NaN")
            }
            #expect(try await store.load(bot: "p1") == Self.settings("p1"))
        }
    }
}
