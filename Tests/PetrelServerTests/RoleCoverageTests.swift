import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// The wrong-role and other-user cases of the routes not covered by their own suites: seed 003's
/// dashboard routes and the emergency stop.
@Suite("Roles and ownership of the remaining routes")
struct RoleCoverageTests {
    @Test("viewers may not create or control seed 003 bots; a trader's overview lists only its bots")
    func seedDashboard() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await client.call(.post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody("admins"))
            _ = try await server.user("tina", role: .trader)
            _ = try await server.user("vic", role: .viewer)
            let tina = try await client.login("tina", "user-password-1")
            let vic = try await client.login("vic", "user-password-1")
            let created = try await client.call(
                .post, "/api/create-bot", token: vic,
                json: #"{"name":"V","symbol":"BTCUSDT","strategy":"volatile","trade_amount":10}"#)
            #expect(created.status == .forbidden)
            for action in ["start", "stop", "update"] {
                let reply = try await client.call(.post, "/api/bot/admins/\(action)", token: vic, json: "{}")
                #expect(reply.status == .forbidden, "viewer \(action)")
            }
            let own = try await client.call(
                .post, "/api/create-bot", token: tina,
                json: #"{"name":"Tina Bot","symbol":"BTCUSDT","strategy":"volatile","trade_amount":10}"#)
            #expect(own.status == .created)
            let overview = try await client.call(.get, "/api/overview", token: tina)
            let ids = (overview["bots"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["tina-bot"])
            let adminView = try await client.call(.get, "/api/overview", token: admin)
            #expect((adminView["bots"] as? [Any])?.count == 2)
            #expect(try await client.call(.get, "/api/bot/tina-bot/details", token: vic).status == .notFound)
        }
    }

    @Test("a viewer may not pull the emergency stop; a trader's halts only its own bots")
    func emergencyStopScope() async throws {
        try await TestServer.withServer { server, client in
            let admin = try await client.adminToken()
            _ = try await server.user("tina", role: .trader)
            _ = try await server.user("vic", role: .viewer)
            let tina = try await client.login("tina", "user-password-1")
            let vic = try await client.login("vic", "user-password-1")
            _ = try await client.call(.post, "/api/v1/bots", token: admin, json: BotRouteTests.createBody("theirs"))
            _ = try await client.call(.post, "/api/v1/bots", token: tina, json: BotRouteTests.createBody("mine"))
            for id in ["theirs", "mine"] {
                _ = try await client.call(.post, "/api/v1/bots/\(id)/start", token: admin)
                _ = try await BotRouteTests.waitFor(server, id) { $0.lifecycle == .running }
            }
            let viewer = try await client.call(.post, "/api/v1/bots/emergency-stop", token: vic)
            #expect(viewer.status == .forbidden)
            let reply = try await client.call(.post, "/api/v1/bots/emergency-stop", token: tina)
            #expect(reply["halted"] as? [String] == ["mine"])
            _ = try await BotRouteTests.waitFor(server, "mine") { $0.tradingState == .halted }
            #expect(try await server.services.fleet.bots.bot("theirs")?.tradingState == .active)
        }
    }
}
