import FluentKit
import FluentSQLiteDriver
import PetrelRuntime

/// A database failure already phrased for a person: what was being done and why it failed.
///
/// The repositories turn it into their port's `.storage(…)` case.
struct DatabaseFailure: Error, CustomStringConvertible {
    let description: String
    /// Whether ``description`` already says what was being done.
    let hasContext: Bool

    init(_ description: String, hasContext: Bool = false) {
        self.description = description
        self.hasContext = hasContext
    }

    /// Still locked by another connection after every attempt.
    static func locked(_ what: String, attempts: Int, underlying: any Error) -> DatabaseFailure {
        DatabaseFailure(
            "\(what): the database stayed locked by another connection after \(attempts) attempt(s) "
                + "(\(describe(underlying))); nothing was written", hasContext: true)
    }

    /// The database was closed by ``PetrelDatabase/shutdown()``.
    static func closed(_ what: String, location: String) -> DatabaseFailure {
        DatabaseFailure("\(what): the database \(location) is closed", hasContext: true)
    }

    /// The message of a `.storage(…)` case: what was being done and why it failed.
    static func message(_ error: any Error, while what: String) -> String {
        if let failure = error as? DatabaseFailure, failure.hasContext { return failure.description }
        return "\(what): \(describe(error))"
    }

    /// Whether the error means another connection holds a lock SQLite would not wait past (busy timeout
    /// spent, or a read snapshot made stale by another writer): worth running the whole operation again.
    static func isLocked(_ error: any Error) -> Bool {
        guard let sqlite = error as? SQLiteError else { return false }
        switch sqlite.reason {
        case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout, .locked, .lockedBySharedCache,
            .lockedVirtualTable:
            return true
        default:
            return false
        }
    }

    /// Whether the error is a broken constraint (unique, foreign key, not null).
    static func isConstraintViolation(_ error: any Error) -> Bool {
        (error as? any DatabaseError)?.isConstraintFailure ?? false
    }

    /// A one-line description of any error the database layer can throw.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let failure as DatabaseFailure: return failure.description
        case let sqlite as SQLiteError: return "SQLite: \(sqlite.message)"
        case let fluent as FluentError: return fluent.description
        case let storage as StorageError: return storage.description
        default: return String(describing: error)
        }
    }

    /// `error` as a ``StorageError``: its own cases pass through, everything else is `.storage`.
    static func storageError(_ error: any Error, while what: String) -> StorageError {
        if let storage = error as? StorageError { return storage }
        return .storage(message(error, while: what))
    }

    /// `error` as an ``OrderStoreError``: its own cases pass through, everything else is `.storage`.
    static func orderStoreError(_ error: any Error, while what: String) -> OrderStoreError {
        if let store = error as? OrderStoreError { return store }
        return .storage(message(error, while: what))
    }

    /// `error` as a ``TradeHistoryError``: its own cases pass through, everything else is `.storage`.
    static func tradeHistoryError(_ error: any Error, while what: String) -> TradeHistoryError {
        if let history = error as? TradeHistoryError { return history }
        return .storage(message(error, while: what))
    }
}
