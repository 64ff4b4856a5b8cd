import Foundation

/// One row of `exchange_accounts`: a user's venue credentials, each secret sealed with AES-GCM under the
/// server's master key (which never lives in the database). The store only ever sees ciphertext.
public struct ExchangeAccountRecord: Sendable, Hashable {
    /// Assigned by the database.
    public var id: Int64
    /// The owning user.
    public var ownerID: Int64
    /// What a bot config's `broker.account` names (unique per owner).
    public var name: String
    /// `binance`, `okx`, `uphold`, `ibkr`, …
    public var venue: String
    /// Sealed API key (nonce ‖ ciphertext ‖ tag).
    public var sealedKey: Data
    /// Sealed API secret.
    public var sealedSecret: Data
    /// Sealed passphrase (OKX), if any.
    public var sealedPassphrase: Data?
    /// The key's last four characters, to tell accounts apart without revealing the key.
    public var keyHint: String
    /// Unix ms.
    public var createdAt: Int64
    /// Unix ms of the last change.
    public var updatedAt: Int64

    public init(
        id: Int64 = 0, ownerID: Int64, name: String, venue: String, sealedKey: Data, sealedSecret: Data,
        sealedPassphrase: Data?, keyHint: String, createdAt: Int64, updatedAt: Int64? = nil
    ) {
        self.id = id
        self.ownerID = ownerID
        self.name = name
        self.venue = venue
        self.sealedKey = sealedKey
        self.sealedSecret = sealedSecret
        self.sealedPassphrase = sealedPassphrase
        self.keyHint = keyHint
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
