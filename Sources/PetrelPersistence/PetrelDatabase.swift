import FluentKit
import FluentSQLiteDriver
import Foundation
import PetrelRuntime

/// Petrel's database (DESIGN §4): one SQLite file behind FluentKit, with the repositories that implement
/// PetrelRuntime's storage ports.
///
/// It owns one event loop, one blocking-I/O thread and exactly one SQLite connection, so writes never
/// interleave: every statement and every transaction of this process goes through that connection in turn.
/// Another process writing the same file is kept out by SQLite's own lock; a write that still finds the file
/// locked after the busy timeout is retried (see ``Configuration``) and then reported as a storage error,
/// with nothing written. See `docs/persistence.md`.
///
/// Call ``shutdown()`` when done: it closes the connection and stops the threads.
public final class PetrelDatabase: Sendable {
    /// Where the data lives: the file's path, or `:memory:`.
    public let location: String
    /// The names of the migrations this open applied (empty when the schema was already current).
    public let appliedAtOpen: [String]

    let databases: Databases
    let database: any Database
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let configuration: Configuration
    let logger: Logger
    let gate = OperationGate()

    private init(
        location: String, appliedAtOpen: [String], databases: Databases, database: any Database,
        eventLoopGroup: MultiThreadedEventLoopGroup, threadPool: NIOThreadPool, configuration: Configuration,
        logger: Logger
    ) {
        self.location = location
        self.appliedAtOpen = appliedAtOpen
        self.databases = databases
        self.database = database
        self.eventLoopGroup = eventLoopGroup
        self.threadPool = threadPool
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens (creating it and its folder if needed) the database file, applies the connection settings and
    /// runs the migrations that have not run yet.
    /// - Parameters:
    ///   - path: the SQLite file, absolute or relative to the working directory.
    ///   - configuration: busy timeout, retries, durability.
    ///   - logger: where migrations, retries and failures are logged.
    /// - Returns: the open database.
    /// - Throws: ``StorageError/storage(_:)`` naming the path and what failed.
    public static func open(
        path: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "petrel.persistence")
    ) async throws(StorageError) -> PetrelDatabase {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create the folder of database \(url.path): \(error.localizedDescription)")
        }
        return try await open(
            storage: .file(path: url.path), location: url.path, isFile: true, configuration: configuration,
            logger: logger)
    }

    /// Opens a private database in memory, gone at ``shutdown()``: for tests and dry runs.
    /// - Parameters:
    ///   - configuration: busy timeout, retries (the journal mode stays `memory`).
    ///   - logger: where migrations and failures are logged.
    /// - Returns: the open database with every migration applied.
    /// - Throws: ``StorageError/storage(_:)``.
    public static func openInMemory(
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "petrel.persistence")
    ) async throws(StorageError) -> PetrelDatabase {
        // A URI, so SQLite keeps it in memory (sqlite-kit's own `.memory` is a temporary file that stays behind).
        try await open(
            storage: .file(path: "file::memory:"), location: ":memory:", isFile: false, configuration: configuration,
            logger: logger)
    }

    private static func open(
        storage: SQLiteConfiguration.Storage, location: String, isFile: Bool, configuration: Configuration,
        logger: Logger
    ) async throws(StorageError) -> PetrelDatabase {
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        databases.use(
            .sqlite(
                SQLiteConfiguration(storage: storage, enableForeignKeys: true),
                connectionPoolTimeout: .milliseconds(configuration.connectionWaitMilliseconds),
                sqlLogLevel: .trace),
            as: .sqlite)
        guard let database = databases.database(.sqlite, logger: logger, on: eventLoopGroup.next()) else {
            await shutDown(databases, threadPool, eventLoopGroup)
            throw .storage("cannot open database \(location): no connection")
        }
        do {
            try await ConnectionSetup(configuration: configuration, isFile: isFile, logger: logger)
                .apply(on: database, location: location)
            let applied = try await PetrelMigrations.run(
                on: database, configuration: configuration, logger: logger, location: location)
            return PetrelDatabase(
                location: location, appliedAtOpen: applied, databases: databases, database: database,
                eventLoopGroup: eventLoopGroup, threadPool: threadPool, configuration: configuration,
                logger: logger)
        } catch {
            await shutDown(databases, threadPool, eventLoopGroup)
            throw .storage("cannot open database \(location): \(DatabaseFailure.describe(error))")
        }
    }

    /// The `bots` and `positions` tables.
    public var bots: FluentBotRepository { FluentBotRepository(database: self) }
    /// The `bot_journal` table.
    public var journal: FluentBotJournal { FluentBotJournal(database: self) }
    /// The `equity_snapshots` table.
    public var equity: FluentEquityStore { FluentEquityStore(database: self) }
    /// The `price_snapshots` table.
    public var priceSnapshots: FluentPriceSnapshotStore { FluentPriceSnapshotStore(database: self) }
    /// The `paper_accounts` table.
    public var paperAccounts: FluentPaperAccountStore { FluentPaperAccountStore(database: self) }
    /// The `trading_pairs` table (seed 000's `TradingPair`).
    public var tradingPairs: FluentTradingPairStore { FluentTradingPairStore(database: self) }
    /// The `portfolio_settings` table (seed 000's `BotConfig`).
    public var portfolioSettings: FluentPortfolioSettingsStore { FluentPortfolioSettingsStore(database: self) }

    /// The `users` table (the server's accounts).
    public var users: FluentUserStore { FluentUserStore(database: self) }
    /// The `refresh_tokens` table (login sessions).
    public var refreshTokens: FluentRefreshTokenStore { FluentRefreshTokenStore(database: self) }
    /// The `exchange_accounts` table (sealed credentials).
    public var exchangeAccounts: FluentExchangeAccountStore { FluentExchangeAccountStore(database: self) }
    /// The `backtest_jobs` table.
    public var backtestJobs: FluentBacktestJobStore { FluentBacktestJobStore(database: self) }
    /// The `server_settings` table (the server's notification channels, secrets sealed).
    public var serverSettings: FluentServerSettingStore { FluentServerSettingStore(database: self) }

    /// The `symbols` table (seed 004's symbol management).
    public var symbols: FluentSymbolStore { FluentSymbolStore(database: self) }
    /// The `audit_log` table.
    public var auditLog: FluentAuditLog { FluentAuditLog(database: self) }

    /// The orders and fills of one bot (`orders` and `fills` rows with its `bot_id`).
    /// - Parameter bot: the bot's id.
    /// - Returns: the bot's order store.
    public func orderStore(bot: String) -> FluentOrderStore { FluentOrderStore(database: self, botID: bot) }

    /// The seed-000 trade history of one bot (`trade_history` rows with its `bot_id`).
    /// - Parameter bot: the bot's id.
    /// - Returns: the bot's trade history.
    public func tradeHistory(bot: String) -> FluentTradeHistoryStore {
        FluentTradeHistoryStore(database: self, botID: bot)
    }

    /// Whether ``shutdown()`` was called.
    public var isClosed: Bool { gate.isClosed }

    /// Closes the connection and stops the database's threads; later calls fail with a storage error.
    /// Operations already running finish first (the pool must not close under them). Calling it again
    /// does nothing. Call it before the last reference goes: the connection pool underneath asserts (in
    /// debug builds) that it was shut down.
    public func shutdown() async {
        guard gate.close() else { return }
        await gate.drain()
        await Self.shutDown(databases, threadPool, eventLoopGroup)
    }

    private static func shutDown(
        _ databases: Databases, _ threadPool: NIOThreadPool, _ eventLoopGroup: MultiThreadedEventLoopGroup
    ) async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
    }
}
