import Foundation
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime

/// A live broker's keys from a stored exchange account (`POST /api/v1/exchange-accounts`), opened for
/// one server bot, and the only endpoint they may be sent to: the account's venue at the URL the server
/// was started with (`--binance-url`, `--okx-url`) or the venue's own. A config's `base_url` never
/// receives them.
public struct StoredAccount: Sendable {
    /// The account's name (`broker.account`).
    public var name: String
    /// `binance`, `binance_testnet`, `okx` or `okx_demo`.
    public var venue: String
    public var credentials: VenueCredentials
    /// Where orders go.
    public var baseURL: String
    /// OKX demo trading (`okx_demo` accounts).
    public var demo: Bool

    /// The venues a live broker type may use, by stored account venue.
    static let venues: [BotConfiguration.BrokerType: [String]] = [
        .binance: ["binance", "binance_testnet"], .okx: ["okx", "okx_demo"],
    ]

    /// Opens the account `name` of `owner` for a `broker` bot.
    /// - Parameters:
    ///   - venueURLs: the server's endpoint per venue family (`binance`, `okx`), when it was given one.
    /// - Throws: ``BotSetupError`` at `$.broker.account` when the owner has no such account, it is for
    ///   another venue, or its keys cannot be opened (another master key).
    static func open(
        _ name: String, owner: Int64?, broker: BotConfiguration.BrokerType, database: PetrelDatabase,
        vault: CredentialVault, venueURLs: [String: String]
    ) async throws -> StoredAccount {
        let field = "$.broker.account"
        guard let allowed = venues[broker] else {
            throw BotSetupError(
                "broker.type '\(broker.rawValue)' cannot trade from a stored account on the server (binance and okx can)",
                field: field)
        }
        guard let owner else {
            throw BotSetupError(
                "the bot has no owner, so no stored exchange account can be opened for it", field: field)
        }
        let accounts = try await database.exchangeAccounts.accounts(owner: owner)
        guard let record = accounts.first(where: { $0.name == name }) else {
            throw BotSetupError(
                "the bot's owner has no exchange account named '\(name)' (add one with POST /api/v1/exchange-accounts)",
                field: field)
        }
        guard allowed.contains(record.venue) else {
            throw BotSetupError(
                "exchange account '\(name)' is for \(record.venue); a '\(broker.rawValue)' broker needs one for \(allowed.joined(separator: " or "))",
                field: field)
        }
        func opened(_ sealed: Data, _ part: String) throws -> String {
            do {
                return try vault.open(
                    sealed, context: CredentialVault.context(owner: record.ownerID, name: record.name, field: part))
            } catch {
                throw BotSetupError(
                    "exchange account '\(name)': its keys cannot be opened with this server's master key (\(error))",
                    field: field)
            }
        }
        let credentials = VenueCredentials(
            apiKey: try opened(record.sealedKey, "api_key"), secret: try opened(record.sealedSecret, "api_secret"),
            passphrase: try record.sealedPassphrase.map { try opened($0, "passphrase") })
        if broker == .okx, credentials.passphrase == nil {
            throw BotSetupError("exchange account '\(name)' has no passphrase, which OKX needs", field: field)
        }
        let family = broker.rawValue
        let baseURL: String
        switch record.venue {
        case "binance_testnet": baseURL = venueURLs[family] ?? BinanceClient.testnetURL
        case "binance": baseURL = venueURLs[family] ?? BinanceClient.liveURL
        default: baseURL = venueURLs[family] ?? OKXClient.liveURL
        }
        return StoredAccount(
            name: name, venue: record.venue, credentials: credentials, baseURL: baseURL,
            demo: record.venue == "okx_demo")
    }
}
