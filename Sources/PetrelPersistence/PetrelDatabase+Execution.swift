import FluentKit
import PetrelRuntime
import SQLKit

extension PetrelDatabase {
    /// Runs `body` in one transaction on the connection: everything it writes is committed together or
    /// not at all. A locked database is retried as a whole (see ``Configuration``).
    /// - Parameters:
    ///   - what: what the caller is doing, for error messages (`"saving bot b1"`).
    ///   - body: the work; it must use only the database it is given.
    /// - Returns: what `body` returns.
    /// - Throws: the error `body` threw (port errors pass through), or a ``DatabaseFailure``.
    func write<Result: Sendable>(
        _ what: String, _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        try await withRetries(what) { try await Self.writeTransaction(on: self.database, body) }
    }

    /// A transaction that takes the write lock when it begins (`BEGIN IMMEDIATE` on SQLite).
    ///
    /// Fluent's own transaction begins deferred: it reads first and asks for the write lock at its first
    /// write, and SQLite never waits for a lock a reading transaction wants to upgrade (waiting could
    /// deadlock); it fails at once with SQLITE_BUSY. Taking the lock at `BEGIN` lets the busy timeout work:
    /// the transaction waits for another writer's commit, then runs with nothing in its way.
    static func writeTransaction<Result: Sendable>(
        on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        try await database.withConnection { connection in
            let sql = try ConnectionSetup.sql(connection)
            try await sql.raw(sql.dialect.name == "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs one statement that writes, atomic by itself, outside any explicit transaction (it takes the
    /// write lock as it starts, so the busy timeout applies); retried as a whole when locked.
    /// - Parameters:
    ///   - what: what the caller is doing, for error messages.
    ///   - body: the work: exactly one statement that writes.
    /// - Returns: what `body` returns.
    /// - Throws: as ``write(_:_:)``.
    func statement<Result: Sendable, Failure: Error>(
        _ what: String, as map: (any Error, String) -> Failure,
        _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws(Failure) -> Result {
        try await read(what, as: map, body)
    }

    /// Runs a read outside any transaction (one statement sees one consistent state).
    /// - Parameters:
    ///   - what: what the caller is doing, for error messages.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: as ``write(_:_:)``.
    func read<Result: Sendable>(
        _ what: String, _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        try await withRetries(what) { try await body(self.database) }
    }

    /// ``write(_:_:)`` with every failure turned into a port error by `map`.
    func write<Result: Sendable, Failure: Error>(
        _ what: String, as map: (any Error, String) -> Failure,
        _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws(Failure) -> Result {
        do {
            return try await write(what, body)
        } catch {
            throw map(error, what)
        }
    }

    /// ``read(_:_:)`` with every failure turned into a port error by `map`.
    func read<Result: Sendable, Failure: Error>(
        _ what: String, as map: (any Error, String) -> Failure,
        _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws(Failure) -> Result {
        do {
            return try await read(what, body)
        } catch {
            throw map(error, what)
        }
    }

    /// The connection's pragmas as SQLite reports them.
    /// - Returns: journal mode, foreign keys, busy timeout and synchronous level.
    /// - Throws: ``StorageError/storage(_:)``.
    public func connectionSettings() async throws(StorageError) -> ConnectionSettings {
        try await read("reading the connection settings", as: DatabaseFailure.storageError) {
            try await ConnectionSetup.read(on: $0)
        }
    }

    /// Every migration recorded in `_fluent_migrations`, in the order they ran.
    /// - Returns: migration names.
    /// - Throws: ``StorageError/storage(_:)``.
    public func appliedMigrations() async throws(StorageError) -> [String] {
        try await read("reading the applied migrations", as: DatabaseFailure.storageError) {
            try await PetrelMigrations.applied(on: $0)
        }
    }

    private func withRetries<Result: Sendable>(
        _ what: String, _ operation: @Sendable () async throws -> Result
    ) async throws -> Result {
        guard gate.enter() else { throw DatabaseFailure.closed(what, location: location) }
        defer { gate.leave() }
        return try await Self.withRetries(what, configuration: configuration, logger: logger, operation)
    }

    /// Runs `operation`, running it again after a back-off while it fails because another connection holds
    /// the database locked, at most ``Configuration/attempts`` times in all.
    static func withRetries<Result: Sendable>(
        _ what: String, configuration: Configuration, logger: Logger,
        _ operation: @Sendable () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        var delay = configuration.retryDelayMilliseconds
        while true {
            do {
                return try await operation()
            } catch  where DatabaseFailure.isLocked(error) {
                guard attempt < configuration.attempts else {
                    logger.error(
                        "database still locked, giving up",
                        metadata: ["operation": .string(what), "attempts": .stringConvertible(attempt)])
                    throw DatabaseFailure.locked(what, attempts: attempt, underlying: error)
                }
                logger.warning(
                    "database locked, retrying",
                    metadata: [
                        "operation": .string(what), "attempt": .stringConvertible(attempt),
                        "delay_ms": .stringConvertible(delay),
                    ])
                await configuration.sleeper.sleep(milliseconds: delay)
                attempt += 1
                delay = delay > Int64.max / 2 ? delay : delay * 2
            }
        }
    }
}
