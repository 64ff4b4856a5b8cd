import FluentKit
import FluentSQLiteDriver

/// The schema's history, oldest first: one migration per file in this folder, recorded in Fluent's
/// `_fluent_migrations` table. Append new ones at the end; never edit one that has shipped.
enum PetrelMigrations {
    /// Every migration in the order it runs.
    static let all: [any AsyncMigration] = [
        CreateBots(),
        CreatePositions(),
        CreateOrders(),
        CreateFills(),
        CreateBotJournal(),
        CreateEquitySnapshots(),
        CreatePriceSnapshots(),
        CreatePaperAccounts(),
        CreateTradeHistory(),
        CreateTradingPairs(),
        CreatePortfolioSettings(),
        AddBotOwner(),
        CreateUsers(),
        CreateRefreshTokens(),
        CreateAuditLog(),
        CreateExchangeAccounts(),
        CreateBacktestJobs(),
        CreateSymbols(),
        AddBotSizingMultiplier(),
        CreateServerSettings(),
    ]

    /// Runs every migration not yet recorded, each in its own transaction together with its record, so a
    /// crash leaves a migration either applied and recorded or not applied at all. Another process that
    /// migrates the same file at the same time is seen inside the transaction and skipped.
    /// - Returns: the names of the migrations applied now.
    static func run(
        on database: any Database, configuration: PetrelDatabase.Configuration, logger: Logger, location: String
    ) async throws -> [String] {
        // Fluent's own log table (`_fluent_migrations`), so Fluent's migrator and this runner agree.
        let batch = try await PetrelDatabase.withRetries(
            "creating the migration log", configuration: configuration, logger: logger
        ) {
            try await PetrelDatabase.writeTransaction(on: database) { tx in
                try await MigrationLog.migration.prepare(on: tx).get()
                return (try await MigrationLog.query(on: tx).max(\.$batch) ?? 0) + 1
            }
        }
        var applied: [String] = []
        for migration in all {
            let name = migration.name
            let ran = try await PetrelDatabase.withRetries(
                "running migration \(name)", configuration: configuration, logger: logger
            ) {
                try await PetrelDatabase.writeTransaction(on: database) { tx -> Bool in
                    guard try await MigrationLog.query(on: tx).filter(\.$name == name).count() == 0 else {
                        return false
                    }
                    try await migration.prepare(on: tx)
                    try await MigrationLog(name: name, batch: batch).create(on: tx)
                    return true
                }
            }
            if ran {
                applied.append(name)
                logger.debug(
                    "applied migration", metadata: ["migration": .string(name), "database": .string(location)])
            }
        }
        if !applied.isEmpty {
            logger.info(
                "migrated the database",
                metadata: [
                    "database": .string(location), "batch": .stringConvertible(batch),
                    "migrations": .string(applied.joined(separator: ",")),
                ])
        }
        return applied
    }

    /// The names in `_fluent_migrations`: the known ones in the order they run, then any this version does not
    /// know (written by a newer Petrel), by name.
    static func applied(on database: any Database) async throws -> [String] {
        let recorded = Set(try await MigrationLog.query(on: database).all(\.$name))
        let known = all.map(\.name)
        return known.filter(recorded.contains) + recorded.subtracting(known).sorted()
    }
}
