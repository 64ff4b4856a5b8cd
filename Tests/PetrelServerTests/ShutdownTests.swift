import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Graceful shutdown while bots are still being started: nothing they read or write outlives the database,
/// no bot starts afterwards, and the bots the user had started run again after the next start.
@Suite("Server shutdown")
struct ShutdownTests {
    static let ids = ["s1", "s2", "s3"]

    @Test("bots still starting at shutdown are waited for, marked to resume, and resumed by the next start")
    func shutdownWhileStarting() async throws {
        let first = try await TestServer.make()
        let fleet = first.services.fleet
        for id in Self.ids {
            _ = try await fleet.create(id: id, name: nil, config: Data(ServerConfigs.simulated.utf8), owner: nil)
            try await fleet.start(id: id)
        }
        // No waiting: the runners are being built (journal and paper account reads) while the server stops.
        await first.runner.shutdown()
        #expect(await fleet.supervisor.isShutDown)
        #expect(await fleet.supervisor.activeBotIDs.isEmpty)
        await #expect(throws: FleetError.self) { try await fleet.start(id: "s1") }

        let second = try await TestServer.make(directory: first.directory)
        let stored = try await second.services.database.bots.allBots()
        #expect(stored.map(\.id).sorted() == Self.ids)
        #expect(stored.allSatisfy { $0.lifecycle == .running }, "\(stored.map { ($0.id, $0.lifecycle) })")
        let resumed = await second.services.fleet.resumeActiveBots()
        #expect(resumed.sorted() == Self.ids)
        for id in Self.ids {
            _ = try await BotRouteTests.waitFor(second, id) { $0.lifecycle == .running }
        }
        await second.close()
    }

    @Test("starts racing the shutdown either start before it (and are stopped) or are refused; none runs after")
    func startsRacingShutdown() async throws {
        let server = try await TestServer.make()
        let fleet = server.services.fleet
        let ids = (1...8).map { "r\($0)" }
        for id in ids {
            _ = try await fleet.create(id: id, name: nil, config: Data(ServerConfigs.simulated.utf8), owner: nil)
        }
        let outcomes = await withTaskGroup(of: String.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await fleet.start(id: id)
                        return "started"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            group.addTask {
                await server.runner.shutdown()
                return "shutdown"
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let unexpected = outcomes.filter {
            $0 != "started" && $0 != "shutdown" && !$0.contains("shutting down") && !$0.hasSuffix("is closed")
        }
        #expect(unexpected.isEmpty, "\(outcomes)")
        #expect(await fleet.supervisor.activeBotIDs.isEmpty)
        await server.close()
    }
}
