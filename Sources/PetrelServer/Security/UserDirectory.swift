import Synchronization

/// Which user ids may still use their tokens: users disabled or deleted through the API are refused at
/// once, without a database read per request.
public final class UserDirectory: Sendable {
    private let inactive = Mutex<Set<Int64>>([])

    public init(inactive: Set<Int64> = []) {
        self.inactive.withLock { $0 = inactive }
    }

    /// Whether tokens of `user` are accepted.
    public func isActive(_ user: Int64) -> Bool { !inactive.withLock { $0.contains(user) } }

    /// Marks a user disabled or deleted (`false`) or enabled again (`true`).
    public func set(_ user: Int64, active: Bool) {
        inactive.withLock { set in
            if active { set.remove(user) } else { set.insert(user) }
        }
    }
}
