import FluentKit
import Foundation

/// A row of `exchange_accounts`.
final class ExchangeAccountModel: Model, @unchecked Sendable {
    static let schema = "exchange_accounts"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "owner_id") var ownerID: Int64
    @Field(key: "name") var name: String
    @Field(key: "venue") var venue: String
    @Field(key: "sealed_key") var sealedKey: Data
    @Field(key: "sealed_secret") var sealedSecret: Data
    @OptionalField(key: "sealed_passphrase") var sealedPassphrase: Data?
    @Field(key: "key_hint") var keyHint: String
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    init(_ record: ExchangeAccountRecord) {
        assign(record)
    }

    /// Copies every field but the id.
    func assign(_ record: ExchangeAccountRecord) {
        ownerID = record.ownerID
        name = record.name
        venue = record.venue
        sealedKey = record.sealedKey
        sealedSecret = record.sealedSecret
        sealedPassphrase = record.sealedPassphrase
        keyHint = record.keyHint
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    var record: ExchangeAccountRecord {
        ExchangeAccountRecord(
            id: id ?? 0, ownerID: ownerID, name: name, venue: venue, sealedKey: sealedKey, sealedSecret: sealedSecret,
            sealedPassphrase: sealedPassphrase, keyHint: keyHint, createdAt: createdAt, updatedAt: updatedAt)
    }
}
