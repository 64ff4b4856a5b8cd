import FluentSQLiteDriver

/// A second, plain SQLite connection to a database file: another process's writer in the locking tests,
/// and a way to damage rows on purpose.
public final class RawSQLite: Sendable {
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let group: MultiThreadedEventLoopGroup

    private init(connection: SQLiteConnection, threadPool: NIOThreadPool, group: MultiThreadedEventLoopGroup) {
        self.connection = connection
        self.threadPool = threadPool
        self.group = group
    }

    /// Opens `path` on threads of its own (a lock wait here never stalls the database under test).
    public static func open(_ path: String) async throws -> RawSQLite {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threadPool, on: group.next()
        ).get()
        let raw = RawSQLite(connection: connection, threadPool: threadPool, group: group)
        try await raw.execute("PRAGMA busy_timeout = 5000")
        return raw
    }

    /// Runs one statement.
    public func execute(_ statement: String) async throws {
        _ = try await connection.query(statement)
    }

    /// The first column of every row `statement` returns, as text.
    public func strings(_ statement: String) async throws -> [String] {
        try await connection.query(statement).map { row in row.columns.first?.data.string ?? "NULL" }
    }

    /// Closes the connection and stops its threads.
    public func close() async {
        try? await connection.close()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Opens a second connection to `path`, runs `body` with it and closes it, also when `body` throws.
public func withRawSQLite<Result>(_ path: String, _ body: (RawSQLite) async throws -> Result) async throws -> Result {
    let raw = try await RawSQLite.open(path)
    do {
        let result = try await body(raw)
        await raw.close()
        return result
    } catch {
        await raw.close()
        throw error
    }
}
