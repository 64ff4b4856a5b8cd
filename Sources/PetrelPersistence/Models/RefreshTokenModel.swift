import FluentKit

/// A row of `refresh_tokens`, keyed by the token's hash.
final class RefreshTokenModel: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(custom: "token_hash", generatedBy: .user) var id: String?
    @Field(key: "user_id") var userID: Int64
    @Field(key: "family") var family: String
    @Field(key: "expires_at") var expiresAt: Int64
    @OptionalField(key: "revoked_at") var revokedAt: Int64?
    @Field(key: "created_at") var createdAt: Int64

    init() {}

    init(_ record: RefreshTokenRecord) {
        id = record.tokenHash
        userID = record.userID
        family = record.family
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
        createdAt = record.createdAt
    }

    var record: RefreshTokenRecord {
        RefreshTokenRecord(
            tokenHash: id ?? "", userID: userID, family: family, expiresAt: expiresAt, revokedAt: revokedAt,
            createdAt: createdAt)
    }
}
