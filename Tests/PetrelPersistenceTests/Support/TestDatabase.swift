import FluentSQLiteDriver
import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelTestSupport

/// A database file in a fresh temporary folder, removed by ``remove()``.
struct TestDatabaseFile {
    let directory: URL
    let path: String

    /// A path for `name` in a new temporary folder (the file itself does not exist yet).
    init(_ name: String = "petrel.sqlite") throws {
        directory = try Fixtures.temporaryDirectory("petrel-persistence")
        path = directory.appendingPathComponent(name).path
    }

    /// Opens (or reopens) the file.
    func open(configuration: PetrelDatabase.Configuration = PetrelDatabase.Configuration()) async throws
        -> PetrelDatabase
    {
        try await PetrelDatabase.open(path: path, configuration: configuration, logger: .quiet)
    }

    /// Deletes the folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Opens a database file, runs `body` on it, then shuts the database down and deletes the file, also when
/// `body` throws.
func withDatabaseFile<Result>(
    configuration: PetrelDatabase.Configuration = PetrelDatabase.Configuration(),
    _ body: (PetrelDatabase, TestDatabaseFile) async throws -> Result
) async throws -> Result {
    let file = try TestDatabaseFile()
    defer { file.remove() }
    let database = try await file.open(configuration: configuration)
    do {
        let result = try await body(database, file)
        await database.shutdown()
        return result
    } catch {
        await database.shutdown()
        throw error
    }
}

extension Logger {
    /// A logger that shows only critical messages: tests check outcomes, not log lines.
    static var quiet: Logger {
        var logger = Logger(label: "petrel.persistence.tests")
        logger.logLevel = .critical
        return logger
    }
}
