import FluentKit
import Foundation

/// A row of `server_settings`; the sealed secrets are one JSON object of base64 strings.
final class ServerSettingModel: Model, @unchecked Sendable {
    static let schema = "server_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    @Field(key: "sealed") var sealed: String
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    init(_ record: ServerSettingRecord) {
        id = record.key
        assign(record)
    }

    func assign(_ record: ServerSettingRecord) {
        value = record.value
        let encoded = record.sealed.mapValues { $0.base64EncodedString() }
        let data = (try? JSONSerialization.data(withJSONObject: encoded, options: [.sortedKeys])) ?? Data("{}".utf8)
        sealed = String(decoding: data, as: UTF8.self)
        updatedAt = record.updatedAt
    }

    func record() throws(DatabaseFailure) -> ServerSettingRecord {
        guard let key = id,
            let object = (try? JSONSerialization.jsonObject(with: Data(sealed.utf8))) as? [String: String]
        else {
            throw DatabaseFailure("server setting \(id ?? "?"): the sealed column is not a JSON object of strings")
        }
        var secrets: [String: Data] = [:]
        for (name, text) in object {
            guard let bytes = Data(base64Encoded: text) else {
                throw DatabaseFailure("server setting \(key): the sealed value of \(name) is not base64")
            }
            secrets[name] = bytes
        }
        return ServerSettingRecord(key: key, value: value, sealed: secrets, updatedAt: updatedAt)
    }
}
