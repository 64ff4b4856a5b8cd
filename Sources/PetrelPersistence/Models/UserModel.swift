import FluentKit

/// A row of `users`.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "is_disabled") var isDisabled: Bool
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    /// A new row (its id comes from the database).
    init(username: String, passwordHash: String, role: UserRole, at: Int64) {
        self.username = username
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.isDisabled = false
        self.createdAt = at
        self.updatedAt = at
    }

    /// The stored user.
    func record() throws(DatabaseFailure) -> UserRecord {
        let row = "users[\(id ?? 0)]"
        return UserRecord(
            id: id ?? 0, username: username, passwordHash: passwordHash,
            role: try StoredColumn.value(role, "role", row: row), isDisabled: isDisabled, createdAt: createdAt,
            updatedAt: updatedAt)
    }
}
