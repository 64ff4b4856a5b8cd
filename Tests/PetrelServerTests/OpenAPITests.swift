import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PetrelServer
import Testing

/// `/openapi.json` describes every route, and every operation it describes answers with a status it lists.
@Suite("OpenAPI document")
struct OpenAPITests {
    static func document(_ client: any TestClientProtocol) async throws -> [String: Any] {
        let reply = try await client.call(.get, "/openapi.json")
        #expect(reply.status == .ok)
        return try #require(reply.object as? [String: Any])
    }

    /// Every `$ref` in `value`.
    static func references(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            return (object["$ref"] as? String).map { [$0] } ?? object.values.flatMap(references)
        }
        if let array = value as? [Any] { return array.flatMap(references) }
        return []
    }

    @Test("the document is OpenAPI 3.1, every reference resolves, every operation has an id and responses")
    func wellFormed() async throws {
        try await TestServer.withServer { _, client in
            let spec = try await Self.document(client)
            #expect(spec["openapi"] as? String == "3.1.0")
            let schemas = try #require((spec["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for reference in Set(Self.references(in: spec)) {
                #expect(reference.hasPrefix("#/components/schemas/"))
                #expect(schemas[String(reference.dropFirst("#/components/schemas/".count))] != nil, "\(reference)")
            }
            let paths = try #require(spec["paths"] as? [String: [String: [String: Any]]])
            var ids = Set<String>()
            for (path, item) in paths {
                for (method, operation) in item {
                    let id = try #require(operation["operationId"] as? String, "\(method) \(path)")
                    #expect(ids.insert(id).inserted, "duplicate operationId \(id)")
                    #expect(!((operation["responses"] as? [String: Any]) ?? [:]).isEmpty, "\(method) \(path)")
                }
            }
        }
    }

    @Test("every route of the server is described")
    func everyRouteDescribed() async throws {
        try await TestServer.withServer { _, client in
            let spec = try await Self.document(client)
            let paths = try #require(spec["paths"] as? [String: [String: Any]])
            let routes =
                SecurityRouteTests.protected + [
                    (.get, "/health"), (.get, "/metrics"), (.get, "/openapi.json"), (.post, "/api/v1/auth/login"),
                    (.post, "/api/v1/auth/refresh"), (.post, "/api/v1/ws-ticket"), (.get, "/api/v1/strategies"),
                    (.get, "/api/v1/bots/demo/candles"), (.get, "/ws/bot/status/"), (.get, "/api/overview"),
                    (.get, "/api/bot/demo/details"), (.post, "/api/bot/demo/start"), (.post, "/api/bot/demo/stop"),
                    (.post, "/api/bot/demo/update"), (.post, "/api/create-bot"), (.get, "/api/v1/trading-pairs"),
                    (.post, "/api/v1/trading-pairs"), (.get, "/api/v1/bot-config"), (.put, "/api/v1/bot-config"),
                    (.get, "/api/v1/trade-history"), (.get, "/api/v1/exchange-accounts"),
                    (.post, "/api/v1/exchange-accounts"),
                ]
            for (method, path) in routes {
                let template = path.replacingOccurrences(of: "/demo", with: "/{id}")
                    .replacingOccurrences(of: "/users/1", with: "/users/{id}")
                    .replacingOccurrences(of: "/exchange-accounts/1", with: "/exchange-accounts/{id}")
                    .replacingOccurrences(of: "/trading-pairs/BTC-USD", with: "/trading-pairs/{pair}")
                #expect(paths[template]?[method.rawValue.lowercased()] != nil, "\(method) \(template) is not described")
            }
        }
    }

    @Test("every described operation answers an administrator with one of its documented statuses")
    func documentedStatuses() async throws {
        try await TestServer.withServer(demo: true) { _, client in
            let spec = try await Self.document(client)
            let paths = try #require(spec["paths"] as? [String: [String: [String: Any]]])
            let admin = try await client.adminToken()
            let order = ["get", "patch", "put", "post", "delete"]
            let operations = paths.flatMap { path, item in item.map { (path, $0.key, $0.value) } }
                .filter { $0.0 != "/ws/bot/status/" }
                .sorted { (order.firstIndex(of: $0.1) ?? 9, $0.0) < (order.firstIndex(of: $1.1) ?? 9, $1.0) }
            for (template, method, operation) in operations {
                let numeric = template.contains("/users/") || template.contains("/exchange-accounts/")
                let path = template.replacingOccurrences(of: "{id}", with: numeric ? "1" : "demo")
                let documented = Set(((operation["responses"] as? [String: Any]) ?? [:]).keys)
                let body: String? = ["post", "put", "patch"].contains(method) ? "{}" : nil
                let reply = try await client.call(
                    HTTPRequest.Method(method.uppercased())!, path, token: admin, json: body)
                #expect(
                    documented.contains(String(reply.status.code)), "\(method) \(path) answered \(reply.status.code)")
                #expect(reply.status.code < 500, "\(method) \(path) answered \(reply.status.code)")
            }
        }
    }

    @Test("/docs is the API reference page")
    func docsPage() async throws {
        try await TestServer.withServer { _, client in
            let page = try await client.execute(uri: "/docs", method: .get) { response in
                (response.status, String(buffer: response.body))
            }
            #expect(page.0 == .ok && page.1.contains("/assets/js/docs.js"))
        }
    }
}
