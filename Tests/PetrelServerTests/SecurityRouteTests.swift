import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PetrelPersistence
import PetrelServer
import Testing

/// What every route shares: authentication, the error shape, security headers, CORS, limits.
@Suite("Security of the routes")
struct SecurityRouteTests {
    static let protected: [(HTTPRequest.Method, String)] = [
        (.get, "/api/v1/auth/me"), (.post, "/api/v1/auth/logout"), (.get, "/api/v1/users"), (.post, "/api/v1/users"),
        (.patch, "/api/v1/users/1"), (.delete, "/api/v1/users/1"), (.get, "/api/v1/bots"), (.post, "/api/v1/bots"),
        (.post, "/api/v1/bots/emergency-stop"), (.get, "/api/v1/bots/demo"), (.put, "/api/v1/bots/demo"),
        (.delete, "/api/v1/bots/demo"), (.post, "/api/v1/bots/demo/start"), (.post, "/api/v1/bots/demo/stop"),
        (.post, "/api/v1/bots/demo/pause"), (.post, "/api/v1/bots/demo/resume"), (.get, "/api/v1/bots/demo/status"),
        (.get, "/api/v1/bots/demo/positions"), (.get, "/api/v1/bots/demo/orders"), (.get, "/api/v1/bots/demo/fills"),
        (.get, "/api/v1/bots/demo/trades"), (.get, "/api/v1/bots/demo/equity"), (.get, "/api/v1/bots/demo/logs"),
        (.get, "/api/v1/bots/demo/candles"), (.get, "/api/v1/strategies"), (.post, "/api/v1/ws-ticket"),
        (.get, "/api/v1/trading-pairs"), (.post, "/api/v1/trading-pairs"), (.put, "/api/v1/trading-pairs/BTC-USD"),
        (.delete, "/api/v1/trading-pairs/BTC-USD"), (.get, "/api/v1/bot-config"), (.put, "/api/v1/bot-config"),
        (.get, "/api/v1/trade-history"), (.get, "/api/v1/exchange-accounts"), (.post, "/api/v1/exchange-accounts"),
        (.put, "/api/v1/exchange-accounts/1"), (.delete, "/api/v1/exchange-accounts/1"),
        (.get, "/api/v1/settings/notifications"), (.put, "/api/v1/settings/notifications"),
        (.delete, "/api/v1/settings/notifications"), (.get, "/api/overview"),
        (.get, "/api/bot/demo/details"), (.post, "/api/bot/demo/start"), (.post, "/api/bot/demo/stop"),
        (.post, "/api/bot/demo/update"), (.post, "/api/create-bot"), (.get, "/api/search-coins"),
        (.post, "/api/send_alert"),
        (.get, "/api/v1/analytics/performance"), (.get, "/api/v1/analytics/risk"), (.get, "/api/v1/analytics/trades"),
        (.get, "/api/v1/analytics/backtest"), (.get, "/api/v1/analytics/backtests"),
        (.post, "/api/v1/analytics/backtests"), (.get, "/api/v1/analytics/backtests/demo"),
        (.delete, "/api/v1/analytics/backtests/demo"), (.get, "/api/v1/analytics/backtests/demo/result"),
        (.get, "/api/v1/analytics/backtests/demo/report"), (.get, "/api/v1/analytics/datasets"),
        (.get, "/api/v1/trading/status"), (.post, "/api/v1/trading/start"), (.post, "/api/v1/trading/stop"),
        (.post, "/api/v1/trading/pause"), (.post, "/api/v1/trading/resume"), (.get, "/api/v1/trading/positions"),
        (.get, "/api/v1/symbols"), (.post, "/api/v1/symbols"), (.get, "/api/v1/symbols/discover"),
        (.post, "/api/v1/symbols/batch"), (.get, "/api/v1/symbols/demo"), (.put, "/api/v1/symbols/demo"),
        (.delete, "/api/v1/symbols/demo"), (.post, "/api/v1/symbols/demo/enable"),
        (.post, "/api/v1/symbols/demo/disable"), (.get, "/api/v1/symbols/demo/performance"),
    ]

    @Test("every API route refuses a request without a token, a malformed header and a forged token")
    func everyRouteNeedsAuth() async throws {
        try await TestServer.withServer(demo: true) { _, client in
            for (method, path) in Self.protected {
                let none = try await client.call(method, path, json: "{}")
                #expect(none.status == .unauthorized, "\(method) \(path)")
                #expect(none.errorCode == "unauthorized")
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                let basic = try await client.call(method, path, json: "{}", headers: [.authorization: "Basic YTpi"])
                #expect(basic.status == .unauthorized, "\(method) \(path)")
                let forged = try await client.call(method, path, token: "e30.e30.AAAA", json: "{}")
                #expect(forged.status == .unauthorized, "\(method) \(path)")
            }
        }
    }

    @Test("errors share one shape, unknown routes are 404 in it, and responses carry the security headers")
    func errorShapeAndHeaders() async throws {
        try await TestServer.withServer { _, client in
            let missing = try await client.call(.get, "/api/v1/nothing-here")
            #expect(missing.status == .notFound || missing.status == .unauthorized)
            let unknown = try await client.call(.get, "/nothing")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
            for reply in [missing, unknown] {
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(reply.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(reply.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("CORS answers only the allowed origins")
    func cors() async throws {
        try await TestServer.withServer(origins: ["https://desk.example.com"]) { _, client in
            let allowed = try await client.call(
                .options, "/api/v1/bots",
                headers: [.origin: "https://desk.example.com", .accessControlRequestMethod: "GET"])
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://desk.example.com")
            let other = try await client.call(
                .options, "/api/v1/bots",
                headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"])
            #expect(other.status == .forbidden)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let health = try await client.call(.get, "/health", headers: [.origin: "https://evil.example"])
            #expect(health.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("a body over 1 MiB is 413 and another content type is 415, in the error shape")
    func bodyLimits() async throws {
        try await TestServer.withServer { _, client in
            let token = try await client.adminToken()
            let huge = #"{"id":"x","config":""# + String(repeating: "a", count: 1_100_000) + #""}"#
            let tooLarge = try await client.call(.post, "/api/v1/bots", token: token, json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.errorCode == "body_too_large")
            let form = try await client.call(
                .post, "/api/v1/auth/login", json: "username=admin", headers: [.contentType: "text/plain"])
            #expect(form.status == .unsupportedMediaType)
            #expect(form.errorCode == "unsupported_media_type")
        }
    }

    @Test("the per-address limit answers 429 with Retry-After once the burst is spent")
    func requestRateLimit() async throws {
        // 0.5 a second in bursts of 1: the second call within 2 s is refused (slow enough that a loaded
        // machine running the whole suite still makes its calls inside the window).
        try await TestServer.withServer(rateLimit: 0.5) { _, client in
            #expect(try await client.call(.get, "/health").status == .ok)
            var limited: JSONReply?
            for _ in 0..<3 {
                let reply = try await client.call(.get, "/health")
                if reply.status == .tooManyRequests {
                    limited = reply
                    break
                }
            }
            #expect(limited?.status == .tooManyRequests)
            #expect(limited?.headers[.retryAfter] != nil)
            #expect(limited?.errorCode == "rate_limited")
        }
    }

    @Test("health reports the database, the bots by state and the feeds")
    func health() async throws {
        try await TestServer.withServer(demo: true) { _, client in
            let reply = try await client.call(.get, "/health")
            #expect(reply.status == .ok)
            #expect((reply["database"] as? [String: Any])?["ok"] as? Bool == true)
            let bots = try #require(reply["bots"] as? [String: Int])
            #expect(bots.values.reduce(0, +) == 1)
            #expect(reply["status"] as? String == "ok")
        }
    }
}
