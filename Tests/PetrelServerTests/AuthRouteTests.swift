import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelServer
import Testing

/// `/api/v1/auth`: login, refresh rotation, reuse detection, logout, the login rate limit and the audit log.
@Suite("Auth routes")
struct AuthRouteTests {
    @Test("login returns a 15-minute access token and a refresh token, and /me names the user")
    func login() async throws {
        try await TestServer.withServer { server, client in
            let reply = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"admin-password-1"}"#)
            #expect(reply.status == .ok)
            #expect(reply["token_type"] as? String == "Bearer")
            #expect(reply["expires_in"] as? Int == 900)
            #expect((reply["refresh_token"] as? String)?.count == 43)
            let token = try #require(reply["access_token"] as? String)
            let me = try await client.call(.get, "/api/v1/auth/me", token: token)
            #expect(me["username"] as? String == "admin" && me["role"] as? String == "admin")
            #expect(me["password_hash"] == nil)
            let audit = try await server.services.database.auditLog.recent(limit: 5).map(\.action)
            #expect(audit.first == "login")
        }
    }

    @Test("a wrong password and an unknown user get the same 401, and both are audited")
    func wrongPassword() async throws {
        try await TestServer.withServer { server, client in
            let wrong = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"nope-nope-nope"}"#)
            let unknown = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"ghost","password":"nope-nope-nope"}"#)
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.errorMessage == "wrong username or password")
            #expect(unknown.errorMessage == wrong.errorMessage)
            let failed = try await server.services.database.auditLog.recent(limit: 10, action: "login_failed")
            #expect(failed.map(\.username) == ["ghost", "admin"])
        }
    }

    @Test("after 5 failed logins the name is locked out with 429 and Retry-After, even with the right password")
    func loginRateLimit() async throws {
        try await TestServer.withServer { _, client in
            for _ in 0..<5 {
                let reply = try await client.call(
                    .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"wrong-password"}"#)
                #expect(reply.status == .unauthorized)
            }
            let blocked = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"admin-password-1"}"#)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.errorCode == "rate_limited")
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test("refresh rotates the token; presenting the old one again revokes the whole session")
    func refreshRotation() async throws {
        try await TestServer.withServer { server, client in
            let login = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"admin-password-1"}"#)
            let first = try #require(login["refresh_token"] as? String)
            let rotated = try await client.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(rotated.status == .ok)
            let second = try #require(rotated["refresh_token"] as? String)
            #expect(second != first)
            #expect(rotated["access_token"] is String)
            let replay = try await client.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(replay.status == .unauthorized)
            #expect(replay.errorMessage?.contains("already used") == true)
            let afterReplay = try await client.call(
                .post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(second)"}"#)
            #expect(afterReplay.status == .unauthorized)
            #expect(try await server.services.database.auditLog.recent(limit: 1).first?.action == "refresh_reuse")
        }
    }

    @Test("logout revokes the session's refresh token")
    func logout() async throws {
        try await TestServer.withServer { _, client in
            let login = try await client.call(
                .post, "/api/v1/auth/login", json: #"{"username":"admin","password":"admin-password-1"}"#)
            let access = try #require(login["access_token"] as? String)
            let refresh = try #require(login["refresh_token"] as? String)
            let out = try await client.call(
                .post, "/api/v1/auth/logout", token: access, json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(out.status == .noContent)
            let again = try await client.call(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(again.status == .unauthorized)
        }
    }

    @Test("a login body with a missing field or bad JSON is a 400 naming the field")
    func badLoginBody() async throws {
        try await TestServer.withServer { _, client in
            let missing = try await client.call(.post, "/api/v1/auth/login", json: #"{"username":"admin"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "$.password")
            let broken = try await client.call(.post, "/api/v1/auth/login", json: #"{"username":"#)
            #expect(broken.status == .badRequest)
            #expect(broken.errorMessage == "the body is not valid JSON")
            let wrongType = try await client.call(.post, "/api/v1/auth/login", json: #"{"username":5,"password":"x"}"#)
            #expect(wrongType.errorField == "$.username")
            #expect(wrongType.errorMessage == "$.username must be a string")
        }
    }
}
