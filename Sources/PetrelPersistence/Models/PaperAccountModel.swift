import FluentKit
import Foundation

/// A row of `paper_accounts`: the account's state as the bytes the paper exchange saved.
final class PaperAccountModel: Model, @unchecked Sendable {
    static let schema = "paper_accounts"

    @ID(custom: "account", generatedBy: .user) var id: String?
    @Field(key: "state") var state: Data
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    /// A row holding `state` for `account`.
    init(account: String, state: [UInt8], updatedAt: Int64) {
        id = account
        self.state = Data(state)
        self.updatedAt = updatedAt
    }
}
