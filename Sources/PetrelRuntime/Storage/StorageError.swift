/// Why a repository could not do what it was asked (the ports in this folder share it).
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record does not exist.
    case notFound(String)
    /// The write conflicts with what is stored (a duplicate key, a journal written out of order).
    case conflict(String)
    /// The database itself failed (I/O, still locked after the busy timeout and retries, a bad file);
    /// the write did not happen.
    case storage(String)

    public var description: String {
        switch self {
        case .notFound(let what): return "not found: \(what)"
        case .conflict(let why): return "conflict: \(why)"
        case .storage(let why): return "storage failed: \(why)"
        }
    }
}
