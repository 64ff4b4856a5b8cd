import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PetrelPersistence
import PetrelServer
import Testing

/// `GET /metrics`: who may scrape, and the series a running bot produces.
@Suite("Metrics")
struct MetricsTests {
    static func scrape(_ client: any TestClientProtocol, token: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(
            uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"]
        ) { response in (response.status, String(buffer: response.body)) }
    }

    @Test("only an administrator or the scrape token may read /metrics")
    func access() async throws {
        try await TestServer.withServer { server, client in
            #expect(try await client.call(.get, "/metrics").status == .unauthorized)
            _ = try await server.user("trina", role: .trader)
            let trader = try await client.login("trina", "user-password-1")
            #expect(try await client.call(.get, "/metrics", token: trader).status == .forbidden)
            #expect(try await Self.scrape(client, token: "wrong-token").0 == .unauthorized)
            let (status, text) = try await Self.scrape(client, token: TestServer.metricsToken)
            #expect(status == .ok)
            #expect(text.contains("petrel_database_up 1"))
            #expect(text.contains(#"petrel_bots{state="running"} 0"#))
            let admin = try await client.adminToken()
            #expect(try await Self.scrape(client, token: admin).0 == .ok)
        }
    }

    @Test("requests are counted by matched route and status, with their latency")
    func requests() async throws {
        try await TestServer.withServer(demo: true) { _, client in
            let admin = try await client.adminToken()
            _ = try await client.call(.get, "/api/v1/bots/demo", token: admin)
            _ = try await client.call(.get, "/api/v1/bots/nothing", token: admin)
            let (_, text) = try await Self.scrape(client, token: TestServer.metricsToken)
            let lines = text.split(separator: "\n")
            #expect(
                lines.contains(
                    #"petrel_http_requests_total{method="GET",route="/api/v1/bots/{id}",status="200"} 1"#))
            #expect(lines.contains { $0.hasPrefix("petrel_http_requests_total{") && $0.contains(#"status="404""#) })
            #expect(lines.contains { $0.hasPrefix("petrel_http_request_duration_seconds_bucket{") })
            #expect(!text.contains("bots/demo"))
        }
    }

    @Test("a trading bot shows up in orders, fills, equity, P&L and feed lag")
    func botSeries() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await client.call(
                .post, "/api/v1/bots", token: admin, json: #"{"id":"fast","config":\#(ServerConfigs.fast)}"#)
            try await server.services.fleet.start(id: "fast")
            let deadline = ContinuousClock.now + .seconds(30)
            var text = ""
            while ContinuousClock.now < deadline {
                text = try await Self.scrape(client, token: TestServer.metricsToken).1
                if text.contains(#"petrel_fills_total{bot="fast"}"#) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(text.contains(#"petrel_fills_total{bot="fast"}"#))
            #expect(text.contains(#"petrel_order_events_total{status="submitted"}"#))
            #expect(text.contains(#"petrel_equity{bot="fast"}"#))
            #expect(text.contains(#"petrel_realized_pnl{bot="fast"}"#))
            #expect(text.contains(#"petrel_unrealized_pnl{bot="fast"}"#))
            #expect(text.contains(#"petrel_feed_lag_seconds{bot="fast"}"#))
            #expect(text.contains(#"petrel_bots{state="running"} 1"#))
            try await server.services.fleet.stop(id: "fast")
        }
    }
}
