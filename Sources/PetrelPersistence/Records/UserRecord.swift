/// What a server user may do (issue 4's roles): administrators manage users and see every bot,
/// traders run their own bots, viewers only read their own.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer
    case trader
    case admin

    /// `viewer < trader < admin`: a route that needs `trader` admits administrators too.
    public static func < (lhs: UserRole, rhs: UserRole) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .trader: return 1
        case .admin: return 2
        }
    }
}

/// One row of `users`.
public struct UserRecord: Sendable, Hashable, Codable {
    /// Assigned by the database.
    public var id: Int64
    /// Unique, 3 to 40 characters.
    public var username: String
    /// The bcrypt hash of the password (never the password).
    public var passwordHash: String
    public var role: UserRole
    /// A disabled user cannot log in, and their tokens stop working.
    public var isDisabled: Bool
    /// Unix ms.
    public var createdAt: Int64
    /// Unix ms of the last change.
    public var updatedAt: Int64

    public init(
        id: Int64, username: String, passwordHash: String, role: UserRole, isDisabled: Bool = false, createdAt: Int64,
        updatedAt: Int64? = nil
    ) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.isDisabled = isDisabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
