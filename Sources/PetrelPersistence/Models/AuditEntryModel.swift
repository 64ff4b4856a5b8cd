import FluentKit

/// A row of `audit_log`.
final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "at") var at: Int64
    @OptionalField(key: "user_id") var userID: Int64?
    @Field(key: "username") var username: String
    @Field(key: "action") var action: String
    @Field(key: "target") var target: String
    @Field(key: "detail") var detail: String
    @Field(key: "address") var address: String

    init() {}

    init(_ entry: AuditEntry) {
        at = entry.at
        userID = entry.userID
        username = entry.username
        action = entry.action
        target = entry.target
        detail = entry.detail
        address = entry.address
    }

    var entry: AuditEntry {
        AuditEntry(
            id: id, at: at, userID: userID, username: username, action: action, target: target, detail: detail,
            address: address)
    }
}
