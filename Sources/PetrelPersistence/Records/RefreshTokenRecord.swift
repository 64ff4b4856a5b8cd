/// One row of `refresh_tokens`: a refresh token of a login session, stored as its SHA-256 hash.
///
/// Tokens rotate: each refresh revokes the token used and issues a new one in the same family. A revoked
/// token presented again means it leaked, so the whole family (the session) is revoked.
public struct RefreshTokenRecord: Sendable, Hashable, Codable {
    /// The hex SHA-256 of the token (the token itself is never stored).
    public var tokenHash: String
    public var userID: Int64
    /// The login session the token belongs to: every token rotated from one login shares it.
    public var family: String
    /// Unix ms.
    public var expiresAt: Int64
    /// Unix ms, or `nil` while the token is usable.
    public var revokedAt: Int64?
    /// Unix ms.
    public var createdAt: Int64

    public init(
        tokenHash: String, userID: Int64, family: String, expiresAt: Int64, revokedAt: Int64? = nil,
        createdAt: Int64
    ) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.family = family
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }
}
