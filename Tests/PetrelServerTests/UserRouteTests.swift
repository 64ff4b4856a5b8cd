import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelServer
import Testing

/// `/api/v1/users`: administrators only; validated input; disabling a user stops their tokens at once.
@Suite("User routes")
struct UserRouteTests {
    @Test("an administrator creates a user who can log in; the hash never leaves the server")
    func create() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            let created = try await client.call(
                .post, "/api/v1/users", token: admin,
                json: #"{"username":"carol","password":"carol-password","role":"viewer"}"#)
            #expect(created.status == .created)
            #expect(created["role"] as? String == "viewer" && created["password_hash"] == nil)
            let stored = try #require(try await server.services.database.users.user(named: "carol"))
            #expect(stored.passwordHash.hasPrefix("$2b$04$"))
            _ = try await client.login("carol", "carol-password")
            let list = try await client.call(.get, "/api/v1/users", token: admin)
            #expect(
                (list["users"] as? [[String: Any]])?.compactMap { $0["username"] as? String } == ["admin", "carol"])
            #expect(try await server.services.database.auditLog.recent(limit: 5).map(\.action).contains("user_create"))
        }
    }

    @Test("bad usernames, roles and passwords are 400s naming the field; a taken name is 409")
    func validation() async throws {
        try await TestServer.withServer { _, client in
            let admin = try await client.adminToken()
            let cases: [(String, String, String)] = [
                (#"{"username":"x","password":"long-enough-1","role":"viewer"}"#, "username", "3 to 40"),
                (#"{"username":"dave","password":"long-enough-1","role":"root"}"#, "role", "admin, trader, viewer"),
                (#"{"username":"dave","password":"short","role":"viewer"}"#, "password", "at least 10"),
            ]
            for (body, field, text) in cases {
                let reply = try await client.call(.post, "/api/v1/users", token: admin, json: body)
                #expect(reply.status == .badRequest)
                #expect(reply.errorField == field)
                #expect(reply.errorMessage?.contains(text) == true, "\(String(describing: reply.errorMessage))")
            }
            let taken = try await client.call(
                .post, "/api/v1/users", token: admin,
                json: #"{"username":"admin","password":"long-enough-1","role":"viewer"}"#)
            #expect(taken.status == .conflict)
        }
    }

    @Test("traders and viewers get 403 on every user route")
    func adminOnly() async throws {
        try await TestServer.withServer { server, client in
            _ = try await server.user("trina", role: .trader)
            let token = try await client.login("trina", "user-password-1")
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/users"), (.post, "/api/v1/users"),
                (.patch, "/api/v1/users/1"), (.delete, "/api/v1/users/1"),
            ] {
                let reply = try await client.call(method, path, token: token, json: "{}")
                #expect(reply.status == .forbidden, "\(method) \(path)")
                #expect(reply.errorMessage == "this needs the admin role; you are trader")
            }
        }
    }

    @Test("disabling a user rejects their access token at once and revokes their refresh tokens")
    func disable() async throws {
        try await TestServer.withServer { server, client in
            let user = try await server.user("victor", role: .trader)
            let login = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"victor","password":"user-password-1"}"#)
            let access = try #require(login["access_token"] as? String)
            let refresh = try #require(login["refresh_token"] as? String)
            #expect(try await client.call(.get, "/api/v1/bots", token: access).status == .ok)
            let admin = try await client.adminToken()
            let changed = try await client.call(
                .patch, "/api/v1/users/\(user.id)", token: admin, json: #"{"disabled":true}"#)
            #expect(changed["disabled"] as? Bool == true)
            #expect(try await client.call(.get, "/api/v1/bots", token: access).status == .unauthorized)
            #expect(
                try await client.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).status
                    == .unauthorized)
            let relogin = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"victor","password":"user-password-1"}"#)
            #expect(relogin.status == .unauthorized)
        }
    }

    @Test("an administrator cannot demote, disable or delete themselves")
    func selfProtection() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            let id = try #require(try await server.services.database.users.user(named: "admin")).id
            #expect(
                try await client.call(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"role":"viewer"}"#).status
                    == .conflict)
            #expect(try await client.call(.delete, "/api/v1/users/\(id)", token: admin).status == .conflict)
            #expect(try await client.call(.delete, "/api/v1/users/abc", token: admin).errorField == "id")
            #expect(try await client.call(.delete, "/api/v1/users/999", token: admin).status == .notFound)
        }
    }
}
