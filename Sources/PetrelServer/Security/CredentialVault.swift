import Crypto
import Foundation

/// Seals and opens stored credentials with AES-256-GCM under the master key (`PETREL_MASTER_KEY` or
/// `DATA_DIR/secrets/master.key`, never the database). Each sealed value is bound to its account and
/// field (authenticated data), so a ciphertext copied to another row or column does not open.
public struct CredentialVault: Sendable {
    /// Why a sealed value did not open.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let key: SymmetricKey

    /// A vault over the master key's bytes: 32 bytes are used as they are; other lengths are hashed to 32
    /// with SHA-256.
    public init(masterKey: [UInt8]) {
        key =
            masterKey.count == 32
            ? SymmetricKey(data: masterKey) : SymmetricKey(data: Array(SHA256.hash(data: masterKey)))
    }

    /// `plaintext` sealed (nonce ‖ ciphertext ‖ tag), bound to `context` (`account:owner/name:field`).
    public func seal(_ plaintext: String, context: String) throws -> Data {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw OpenError(description: "sealing failed") }
        return combined
    }

    /// The plaintext of a sealed value.
    /// - Throws: ``OpenError`` when the master key, the context or the bytes differ from sealing time.
    public func open(_ sealed: Data, context: String) throws(OpenError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw OpenError(
                description: "a stored credential does not open: wrong master key, or the row was altered")
        }
    }

    /// The authenticated data of one field of one account.
    static func context(owner: Int64, name: String, field: String) -> String {
        "exchange_account:\(owner)/\(name):\(field)"
    }
}
