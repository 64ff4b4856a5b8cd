import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// The fleet's cached `bots` table never disagrees with the database.
@Suite("Cached bot repository")
struct CachedBotRepositoryTests {
    @Test("every write reaches the database and the cache alike, and reads come back equal")
    func agreesWithDatabase() async throws {
        let server = try await TestServer.make()
        let cached = server.services.fleet.bots
        let database = server.services.database.bots
        func same() async throws {
            #expect(try await cached.allBots() == database.allBots())
        }
        try await same()
        try await cached.save(BotRecord(id: "a", configuration: "{}", mode: .paper, createdAt: 1, ownerID: 1))
        try await cached.save(BotRecord(id: "b", configuration: "{}", mode: .paper, createdAt: 2))
        try await same()
        try await cached.updateLifecycle("a", to: .crashed, error: "boom", restartCount: 2, at: 5)
        #expect(try await cached.bot("a")?.lastError == "boom")
        try await same()
        try await cached.updateTradingState("a", to: .halted, reason: "kill switch", at: 6)
        #expect(try await cached.bot("a")?.tradingState == .halted)
        try await same()
        await #expect(throws: StorageError.self) {
            try await cached.updateLifecycle("missing", to: .running, error: nil, restartCount: nil, at: 7)
        }
        try await cached.delete("b")
        #expect(try await cached.bot("b") == nil)
        try await same()
        await server.close()
    }
}
