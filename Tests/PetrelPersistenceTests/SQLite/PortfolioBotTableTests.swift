import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport
import Testing

/// What only the SQLite file adds to the trading-pair and portfolio-settings stores: the table's unique
/// key, reopening, and rows damaged behind Petrel's back.
@Suite("SQLite trading pairs and portfolio settings")
struct PortfolioBotTableTests {
    typealias S = Samples

    @Test("the table refuses a second row for one bot and pair, and accepts it for another bot")
    func uniquePerBotAndPair() async throws {
        try await withDatabaseFile { database, file in
            try await database.tradingPairs.upsert(TradingPairSetting(symbol: S.symbol("BTC/USD")), bot: "p1")
            await #expect(throws: (any Error).self) {
                try await BadRowTests.damage(
                    file,
                    "INSERT INTO trading_pairs (bot_id, pair_symbol, priority, is_enabled) VALUES ('p1', 'BTC/USD', 1, 1)"
                )
            }
            try await BadRowTests.damage(
                file,
                "INSERT INTO trading_pairs (bot_id, pair_symbol, priority, is_enabled) VALUES ('p2', 'BTC/USD', 1, 0)")
            #expect(
                try await database.tradingPairs.pairs(bot: "p2") == [
                    TradingPairSetting(symbol: S.symbol("BTC/USD"), priority: 1, isEnabled: false)
                ])
            #expect(try await database.tradingPairs.pairs(bot: "p1").count == 1)
        }
    }

    @Test("pairs and settings survive closing and reopening the file")
    func survivesReopen() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        let settings = PortfolioBotStoreContractTests.settings("p1")
        let first = try await file.open()
        try await first.tradingPairs.upsert(TradingPairSetting(symbol: S.symbol("ETH/USD"), priority: 90), bot: "p1")
        try await first.portfolioSettings.save(settings)
        await first.shutdown()
        let second = try await file.open()
        #expect(
            try await second.tradingPairs.pairs(bot: "p1") == [
                TradingPairSetting(symbol: S.symbol("ETH/USD"), priority: 90)
            ])
        #expect(try await second.portfolioSettings.load(bot: "p1") == settings)
        await second.shutdown()
    }

    @Test("a damaged pair symbol or trade size names the table, row and column")
    func damagedRows() async throws {
        try await withDatabaseFile { database, file in
            try await database.tradingPairs.upsert(TradingPairSetting(symbol: S.symbol("BTC/USD")), bot: "p1")
            try await BadRowTests.damage(file, "UPDATE trading_pairs SET pair_symbol = 'nope'")
            await #expect(
                throws: StorageError.storage(
                    "reading the trading pairs of bot p1: bad row trading_pairs[1]: column pair_symbol holds 'nope', "
                        + "not a symbol")
            ) { _ = try await database.tradingPairs.pairs(bot: "p1") }
            try await database.portfolioSettings.save(PortfolioBotStoreContractTests.settings("p1"))
            try await BadRowTests.damage(file, "UPDATE portfolio_settings SET trade_size_amount = 5")
            await #expect(
                throws: StorageError.storage(
                    "reading the settings of bot p1: bad row portfolio_settings[p1]: exactly one of columns "
                        + "trade_size_amount and trade_size_percentage must be set")
            ) { _ = try await database.portfolioSettings.load(bot: "p1") }
        }
    }
}
