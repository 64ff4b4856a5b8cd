import Foundation
import Hummingbird
import PetrelPersistence
import PetrelRuntime

/// `GET /health`: the database (a real read), the bots by state, and each running bot's feed. Public, so a
/// load balancer or a supervisor can probe it; it shows counts and states, no names of users or secrets.
struct HealthController: Sendable {
    let services: ServerServices

    struct Health: Encodable {
        struct Database: Encodable {
            var ok: Bool
            var error: String?
        }

        struct Feed: Encodable {
            var bot: String
            var source: String
            var connected: Bool
            var lastCandleTime: Int64?
        }

        var status: String
        var database: Database
        var bots: [String: Int]
        var feeds: [Feed]
        var uptimeSeconds: Int64
    }

    @Sendable func health(_ request: Request, context: ServerContext) async throws -> Response {
        var database = Health.Database(ok: true, error: nil)
        var counts: [String: Int] = [:]
        for state in BotLifecycle.allCases { counts[state.rawValue] = 0 }
        do {
            for bot in try await services.database.bots.allBots() { counts[bot.lifecycle.rawValue, default: 0] += 1 }
        } catch {
            database = Health.Database(ok: false, error: "\(error)")
        }
        var feeds: [Health.Feed] = []
        for id in await services.fleet.supervisor.botIDs {
            guard let runner = await services.fleet.supervisor.runner(for: id) else { continue }
            let status = await runner.status()
            feeds.append(
                Health.Feed(
                    bot: id, source: status.feed.source, connected: status.feed.connected,
                    lastCandleTime: status.feed.lastCandleTime))
        }
        let ok = database.ok && feeds.allSatisfy(\.connected)
        let body = Health(
            status: ok ? "ok" : "degraded", database: database, bots: counts, feeds: feeds,
            uptimeSeconds: (services.clock.now() - services.startedAt) / 1_000)
        return try JSONResponse.make(body, status: database.ok ? .ok : .serviceUnavailable)
    }
}
