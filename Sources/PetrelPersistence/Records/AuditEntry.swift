/// One row of `audit_log`: who did what to which object, from where.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Assigned by the database (`nil` before it is stored).
    public var id: Int64?
    /// Unix ms.
    public var at: Int64
    /// The acting user's id, or `nil` (a failed login of an unknown name, the server itself).
    public var userID: Int64?
    /// The acting user's name as given (also for a failed login).
    public var username: String
    /// What happened: `login`, `login_failed`, `logout`, `user_create`, `bot_create`, `bot_start`, …
    public var action: String
    /// The object acted on (`bot:alpha`, `user:7`), or empty.
    public var target: String
    /// A short human note (never a secret).
    public var detail: String
    /// The client's address, or empty.
    public var address: String

    public init(
        id: Int64? = nil, at: Int64, userID: Int64?, username: String, action: String, target: String = "",
        detail: String = "", address: String = ""
    ) {
        self.id = id
        self.at = at
        self.userID = userID
        self.username = username
        self.action = action
        self.target = target
        self.detail = detail
        self.address = address
    }
}
