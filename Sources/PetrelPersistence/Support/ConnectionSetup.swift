import FluentKit
import FluentSQLiteDriver
import SQLKit

/// Applies the pragmas to the one connection and reads them back.
struct ConnectionSetup {
    let configuration: PetrelDatabase.Configuration
    let isFile: Bool
    let logger: Logger

    /// Sets `busy_timeout` first (so the journal-mode switch itself waits for a lock), then WAL, `synchronous`
    /// and foreign keys. They hold for the connection's life; the pool never replaces an open SQLite connection.
    func apply(on database: any Database, location: String) async throws {
        let sql = try Self.sql(database)
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(configuration.busyTimeoutMilliseconds))").run()
        if isFile {
            let mode = try await Self.value(sql, "PRAGMA journal_mode = WAL", as: String.self)
            if mode.lowercased() != "wal" {
                logger.warning(
                    "SQLite refused WAL for this file; commits still survive a process kill",
                    metadata: ["database": .string(location), "journal_mode": .string(mode)])
            }
        }
        try await sql.raw("PRAGMA synchronous = \(unsafeRaw: configuration.synchronous.rawValue.uppercased())").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
    }

    /// Reads the settings back.
    static func read(on database: any Database) async throws -> PetrelDatabase.ConnectionSettings {
        let sql = try sql(database)
        let synchronousNames = ["off", "normal", "full", "extra"]
        let synchronous = try await value(sql, "PRAGMA synchronous", as: Int.self)
        return PetrelDatabase.ConnectionSettings(
            journalMode: try await value(sql, "PRAGMA journal_mode", as: String.self).lowercased(),
            foreignKeys: try await value(sql, "PRAGMA foreign_keys", as: Int.self) == 1,
            busyTimeoutMilliseconds: try await value(sql, "PRAGMA busy_timeout", as: Int.self),
            synchronous: synchronousNames.indices.contains(synchronous)
                ? synchronousNames[synchronous] : "\(synchronous)"
        )
    }

    /// The SQL interface of a Fluent database (every SQL driver has one).
    static func sql(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else {
            throw DatabaseFailure("the database driver does not speak SQL")
        }
        return sql
    }

    /// The first column of the first row a statement returns.
    private static func value<Value: Decodable>(
        _ sql: any SQLDatabase, _ statement: String, as type: Value.Type
    ) async throws -> Value {
        guard let row = try await sql.raw(SQLQueryString(statement)).first(), let column = row.allColumns.first else {
            throw DatabaseFailure("\(statement) returned no value")
        }
        return try row.decode(column: column, as: Value.self)
    }
}
