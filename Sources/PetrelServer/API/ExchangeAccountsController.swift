import Foundation
import Hummingbird
import PetrelPersistence
import PetrelRuntime

/// `/api/v1/exchange-accounts`: venue API keys, write-only. They are sealed with AES-GCM before they
/// reach the database and never leave the server again: reads show the venue, the name and the key's last
/// four characters. Traders manage their own; administrators see every account.
struct ExchangeAccountsController: Sendable {
    let services: ServerServices
    /// Venues a key can be stored for (the venue adapters of issue 5, and their test networks).
    static let venues = ["binance", "binance_testnet", "okx", "okx_demo", "uphold", "uphold_sandbox", "ibkr"]

    struct AccountView: Encodable {
        var id: Int64
        var name: String
        var venue: String
        var keyHint: String
        var hasPassphrase: Bool
        var ownerId: Int64
        var createdAt: Int64
        var updatedAt: Int64

        init(_ record: ExchangeAccountRecord) {
            id = record.id
            name = record.name
            venue = record.venue
            keyHint = record.keyHint
            hasPassphrase = record.sealedPassphrase != nil
            ownerId = record.ownerID
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    struct Body: Decodable {
        var name: String?
        var venue: String?
        var apiKey: String?
        var apiSecret: String?
        var passphrase: String?

        enum CodingKeys: String, CodingKey {
            case name, venue, passphrase
            case apiKey = "api_key"
            case apiSecret = "api_secret"
        }
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get(use: list)
        group.post(use: create)
        group.put(":id", use: update)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let accounts = try await services.database.exchangeAccounts.accounts(
            owner: identity.role == .admin ? nil : identity.userID)
        return try JSONResponse.make(BotsController.Items(items: accounts.map(AccountView.init)))
    }

    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let body = try await request.json(Body.self, context: context)
        let name = try Self.name(body.name)
        let venue = try Self.venue(body.venue)
        let key = try Self.secret(body.apiKey, "api_key")
        let secret = try Self.secret(body.apiSecret, "api_secret")
        let passphrase = try body.passphrase.map { try Self.secret($0, "passphrase") }
        let now = services.clock.now()
        let record = try seal(
            owner: identity.userID, name: name, venue: venue, key: key, secret: secret, passphrase: passphrase,
            createdAt: now, updatedAt: now)
        let stored = try await services.database.exchangeAccounts.create(record)
        await services.audit(
            identity.userID, identity.username, "key_add", target: "exchange_account:\(stored.id)",
            detail: "\(venue) \(name), key …\(stored.keyHint)", address: context.address)
        return try JSONResponse.make(AccountView(stored), status: .created)
    }

    /// Rotates the keys (all three are sealed again) or renames the account.
    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let (identity, stored) = try await account(context)
        let body = try await request.json(Body.self, context: context)
        if body.venue != nil {
            throw APIError.badRequest("the venue of an account cannot change; add another account", field: "venue")
        }
        let name = try body.name.map { try Self.name($0) } ?? stored.name
        let vault = services.vault
        let old = { (field: String, sealed: Data) throws -> String in
            try vault.open(
                sealed, context: CredentialVault.context(owner: stored.ownerID, name: stored.name, field: field))
        }
        let key = try body.apiKey.map { try Self.secret($0, "api_key") } ?? old("api_key", stored.sealedKey)
        let secret =
            try body.apiSecret.map { try Self.secret($0, "api_secret") } ?? old("api_secret", stored.sealedSecret)
        let passphrase =
            try body.passphrase.map { try Self.secret($0, "passphrase") }
            ?? stored.sealedPassphrase.map { try old("passphrase", $0) }
        var record = try seal(
            owner: stored.ownerID, name: name, venue: stored.venue, key: key, secret: secret, passphrase: passphrase,
            createdAt: stored.createdAt, updatedAt: services.clock.now())
        record.id = stored.id
        try await services.database.exchangeAccounts.update(record)
        let changed = [
            ("api_key", body.apiKey), ("api_secret", body.apiSecret), ("passphrase", body.passphrase),
            ("name", body.name),
        ]
        .filter { $0.1 != nil }.map(\.0).joined(separator: ",")
        await services.fleet.accountChanged(owner: stored.ownerID, name: stored.name)
        await services.audit(
            identity.userID, identity.username, "key_change", target: "exchange_account:\(stored.id)", detail: changed,
            address: context.address)
        return try JSONResponse.make(AccountView(record))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let (identity, stored) = try await account(context)
        try await services.database.exchangeAccounts.delete(id: stored.id)
        await services.fleet.accountChanged(owner: stored.ownerID, name: stored.name)
        await services.audit(
            identity.userID, identity.username, "key_delete", target: "exchange_account:\(stored.id)",
            detail: "\(stored.venue) \(stored.name)", address: context.address)
        return Response(status: .noContent)
    }

    func seal(
        owner: Int64, name: String, venue: String, key: String, secret: String, passphrase: String?, createdAt: Int64,
        updatedAt: Int64
    ) throws -> ExchangeAccountRecord {
        let vault = services.vault
        func sealed(_ value: String, _ field: String) throws -> Data {
            try vault.seal(value, context: CredentialVault.context(owner: owner, name: name, field: field))
        }
        return ExchangeAccountRecord(
            ownerID: owner, name: name, venue: venue, sealedKey: try sealed(key, "api_key"),
            sealedSecret: try sealed(secret, "api_secret"),
            sealedPassphrase: try passphrase.map { try sealed($0, "passphrase") },
            keyHint: String(key.suffix(4)), createdAt: createdAt, updatedAt: updatedAt)
    }

    /// The account in the path, if the caller owns it (administrators: any); others' are 404.
    func account(_ context: ServerContext) async throws -> (TokenService.Identity, ExchangeAccountRecord) {
        let identity = try context.require(.trader)
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("the account id must be a positive integer", field: "id")
        }
        guard let stored = try await services.database.exchangeAccounts.account(id: id),
            identity.role == .admin || stored.ownerID == identity.userID
        else { throw APIError.notFound("no exchange account \(id)") }
        return (identity, stored)
    }

    /// 1–64 letters, digits, `.`, `_`, `-` (what a config's `broker.account` may name).
    static func name(_ text: String?) throws -> String {
        guard let text else { throw APIError.badRequest("name is required", field: "name") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(text.count), text.allSatisfy({ allowed.contains($0) }) else {
            throw APIError.badRequest("name must be 1 to 64 letters, digits, '.', '_' or '-'", field: "name")
        }
        return text
    }

    static func venue(_ text: String?) throws -> String {
        guard let text, venues.contains(text) else {
            throw APIError.badRequest(
                "venue '\(text ?? "")' is not allowed; expected one of \(venues.joined(separator: ", "))",
                field: "venue")
        }
        return text
    }

    /// A credential: 8 to 512 printable characters without spaces.
    static func secret(_ text: String?, _ field: String) throws -> String {
        guard let text else { throw APIError.badRequest("\(field) is required", field: field) }
        guard (8...512).contains(text.count),
            text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue! >= 33 })
        else {
            throw APIError.badRequest("\(field) must be 8 to 512 printable characters without spaces", field: field)
        }
        SecretRedactor.shared.register(text)
        return text
    }
}
