import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelServer
import Testing

/// `/api/v1/exchange-accounts`: keys are write-only and sealed at rest with the master key.
@Suite("Exchange accounts")
struct ExchangeAccountTests {
    static let body =
        #"{"name":"binance-main","venue":"binance","api_key":"AKIAKEY1234567890WXYZ","api_secret":"s3cr3t-value-abcdefgh"}"#

    @Test("a stored key is never returned, the database holds only ciphertext, and the vault opens it")
    func writeOnlyAndSealed() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            let created = try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: Self.body)
            #expect(created.status == .created)
            #expect(
                created["key_hint"] as? String == "WXYZ" && created["api_key"] == nil && created["api_secret"] == nil)
            let list = try await client.call(.get, "/api/v1/exchange-accounts", token: token)
            let text = String(describing: list.object ?? "")
            #expect(!text.contains("AKIAKEY1234567890WXYZ") && !text.contains("s3cr3t-value"))
            let stored = try #require(try await server.services.database.exchangeAccounts.accounts(owner: nil).first)
            #expect(!String(decoding: stored.sealedKey, as: UTF8.self).contains("AKIAKEY"))
            #expect(stored.sealedKey.count == 12 + "AKIAKEY1234567890WXYZ".utf8.count + 16)
            let vault = server.services.vault
            #expect(
                try vault.open(
                    stored.sealedSecret, context: "exchange_account:\(stored.ownerID)/binance-main:api_secret")
                    == "s3cr3t-value-abcdefgh")
            // Bound to its field: the key's ciphertext does not open as the secret.
            #expect(throws: CredentialVault.OpenError.self) {
                try vault.open(stored.sealedKey, context: "exchange_account:\(stored.ownerID)/binance-main:api_secret")
            }
            // Another master key opens nothing.
            #expect(throws: CredentialVault.OpenError.self) {
                try CredentialVault(masterKey: Array(repeating: 7, count: 32)).open(
                    stored.sealedSecret, context: "exchange_account:\(stored.ownerID)/binance-main:api_secret")
            }
            let audit = try await server.services.database.auditLog.recent(limit: 5)
            #expect(audit.contains { $0.action == "key_add" && !$0.detail.contains("AKIAKEY1234567890") })
        }
    }

    @Test("rotating the secret keeps the key; renaming re-seals both; others' accounts are 404")
    func rotateAndOwnership() async throws {
        try await TestServer.withServer { server, client in
            _ = try await server.user("trina", role: .trader)
            _ = try await server.user("tom", role: .trader)
            let trina = try await client.login("trina", "user-password-1")
            let tom = try await client.login("tom", "user-password-1")
            let created = try await client.call(.post, "/api/v1/exchange-accounts", token: trina, json: Self.body)
            let id = try #require(created["id"] as? Int)
            let rotated = try await client.call(
                .put, "/api/v1/exchange-accounts/\(id)", token: trina,
                json: #"{"api_secret":"new-secret-value-123","name":"binance-2"}"#)
            #expect(
                rotated.status == .ok && rotated["name"] as? String == "binance-2"
                    && rotated["key_hint"] as? String == "WXYZ")
            let stored = try #require(try await server.services.database.exchangeAccounts.account(id: Int64(id)))
            let vault = server.services.vault
            let prefix = "exchange_account:\(stored.ownerID)/binance-2:"
            #expect(try vault.open(stored.sealedKey, context: prefix + "api_key") == "AKIAKEY1234567890WXYZ")
            #expect(try vault.open(stored.sealedSecret, context: prefix + "api_secret") == "new-secret-value-123")
            let tomsList = try await client.call(.get, "/api/v1/exchange-accounts", token: tom)
            #expect((tomsList["items"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.delete, "/api/v1/exchange-accounts/\(id)", token: tom).status == .notFound)
            #expect(
                try await client.call(.put, "/api/v1/exchange-accounts/\(id)", token: tom, json: "{}").status
                    == .notFound)
            #expect(
                try await client.call(.delete, "/api/v1/exchange-accounts/\(id)", token: trina).status == .noContent)
        }
    }

    @Test("bad names, venues and keys are 400s naming the field; viewers get 403; a taken name is 409")
    func validation() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            let cases: [(String, String)] = [
                (#"{"name":"has space","venue":"binance","api_key":"abcdefgh12","api_secret":"abcdefgh12"}"#, "name"),
                (#"{"name":"a","venue":"kraken","api_key":"abcdefgh12","api_secret":"abcdefgh12"}"#, "venue"),
                (#"{"name":"a","venue":"binance","api_key":"short","api_secret":"abcdefgh12"}"#, "api_key"),
                (#"{"name":"a","venue":"binance","api_key":"abcdefgh12"}"#, "api_secret"),
            ]
            for (body, field) in cases {
                let reply = try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: body)
                #expect(reply.status == .badRequest && reply.errorField == field, "\(body)")
            }
            _ = try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: Self.body)
            #expect(
                try await client.call(.post, "/api/v1/exchange-accounts", token: token, json: Self.body).status
                    == .conflict)
            _ = try await server.user("vera", role: .viewer)
            let viewer = try await client.login("vera", "user-password-1")
            #expect(try await client.call(.get, "/api/v1/exchange-accounts", token: viewer).status == .forbidden)
        }
    }
}
