import Foundation
import PetrelCore
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import PetrelTestSupport
import Testing

/// Fault drills on the real `petrel bot run` binary over a replayed market: a venue that times out
/// after accepting an order, and a database another process keeps locked.
@Suite("petrel bot run fault drills (process)", .serialized)
struct BotFaultProcessTests {
    /// One line of `logs/json/orders.json`: the event and its client order id.
    struct OrderLogLine: Equatable {
        var event: String
        var clientOrderID: String
    }

    static func orderLog(_ dataDirectory: URL) throws -> [OrderLogLine] {
        let text = try String(
            contentsOf: dataDirectory.appendingPathComponent("logs/json/orders.json"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return OrderLogLine(
                event: object?["event"] as? String ?? "?", clientOrderID: object?["client_order_id"] as? String ?? "?")
        }
    }

    /// The paper venue's own orders (client id and venue order number), in acceptance order.
    static func venueOrders(_ dataDirectory: URL) async throws -> [String] {
        let database = try await PetrelDatabase.open(path: dataDirectory.appendingPathComponent("petrel.sqlite").path)
        let saved = try await database.paperAccounts.load(account: "bot1")
        await database.shutdown()
        let state = try JSONDecoder().decode(PaperExchangeState.self, from: Data(try #require(saved)))
        return state.orders.values.sorted { $0.sequence < $1.sequence }.map {
            "\($0.order.clientOrderID) #\($0.sequence) \($0.order.status.rawValue)"
        }
    }

    /// A workspace whose bot has run to the end of its replay into `reference`.
    static func referenceRun() async throws -> URL {
        let directory = try BotRunProcessTests.workspace()
        let reference = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "reference"], in: directory)
        #expect(reference.status == 0, "\(reference.stderr)")
        return directory
    }

    /// ``referenceRun()``, then the same bot with `environment`'s fault drill into `drill`.
    static func referenceAndDrill(_ environment: [String: String]) async throws -> URL {
        let directory = try await referenceRun()
        let drill = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "drill"], in: directory, environment: environment)
        #expect(drill.status == 0, "\(drill.stderr)")
        return directory
    }

    @Test("a timeout after the venue accepted an order: unknown, resolved by its client id, exactly one venue order")
    func timeoutAfterAccept() async throws {
        let directory = try await Self.referenceAndDrill(["PETREL_PAPER_FAULTS": "submit=timeout_after_accept"])

        let log = try Self.orderLog(directory.appendingPathComponent("drill"))
        let unknown = log.filter { $0.event == "unknown" }
        #expect(unknown.count == 1, "the first send's answer was lost: \(log.prefix(6))")
        let id = try #require(unknown.first?.clientOrderID)
        // Sent once, then found by its client id: accepted and filled under the same id, never resent.
        #expect(log.filter { $0.event == "sent" && $0.clientOrderID == id }.count == 1)
        let after = log.drop { $0 != OrderLogLine(event: "unknown", clientOrderID: id) }
        #expect(after.contains { $0.event == "accepted" && $0.clientOrderID == id })
        #expect(after.contains { $0.event == "fill" && $0.clientOrderID == id })

        let venue = try await Self.venueOrders(directory.appendingPathComponent("drill"))
        #expect(venue.filter { $0.hasPrefix("\(id) ") }.count == 1)
        #expect(venue == (try await Self.venueOrders(directory.appendingPathComponent("reference"))))
        let expected = try await BotRunProcessTests.books(directory.appendingPathComponent("reference"))
        let actual = try await BotRunProcessTests.books(directory.appendingPathComponent("drill"))
        #expect(actual == expected)
    }

    @Test("a strategy that throws: the bot crashes, is restarted, its stop-loss still fires; books equal a clean run")
    func strategyThrows() async throws {
        let directory = try await Self.referenceAndDrill(["PETREL_STRATEGY_FAULT": "in_position"])

        let log = try String(
            contentsOf: directory.appendingPathComponent("drill/logs/live/bot1.log"), encoding: .utf8
        ).split(separator: "\n")
        let crash = try #require(log.firstIndex { $0.contains("lifecycle crashed") }, "the strategy must crash the bot")
        #expect(log[crash].contains("fault drill (PETREL_STRATEGY_FAULT): the strategy threw at candle"))
        #expect(log[crash...].contains { $0.contains("lifecycle running") }, "the supervisor restarts it")
        #expect(log[crash...].contains { $0.contains("(stop_loss)") }, "a stop-loss closes a trade after the restart")
        let errors = try String(
            contentsOf: directory.appendingPathComponent("drill/logs/errors.log"), encoding: .utf8)
        #expect(errors.contains("the strategy threw"))

        let expected = try await BotRunProcessTests.books(directory.appendingPathComponent("reference"))
        let actual = try await BotRunProcessTests.books(directory.appendingPathComponent("drill"))
        #expect(actual == expected)
    }

    @Test("a bad PETREL_PAPER_FAULTS is refused with the allowed operations and faults, nothing started")
    func badFaultPlan() async throws {
        let directory = try BotRunProcessTests.workspace()
        let outcome = try await PetrelProcess.execute(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "data"], in: directory,
            environment: ["PETREL_PAPER_FAULTS": "submit=explode"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("PETREL_PAPER_FAULTS"))
        #expect(outcome.stderr.contains("'timeout_after_accept'"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/petrel.sqlite").path))
    }

    @Test("a database another process keeps locked past the busy timeout: the bot waits, retries, loses nothing")
    func lockedDatabase() async throws {
        let directory = try await Self.referenceRun()
        let expected = try await BotRunProcessTests.books(directory.appendingPathComponent("reference"))

        let dataDirectory = directory.appendingPathComponent("locked")
        let file = dataDirectory.appendingPathComponent("petrel.sqlite").path
        let process = try PetrelProcess.start(
            ["bot", "run", "bot1.json", "--quiet", "--data-dir", "locked"], in: directory)
        // Wait for the bot to have created its tables, then take the write lock as another process would.
        var journalExists = false
        while process.isRunning && !journalExists {
            try await Task.sleep(for: .milliseconds(5))
            guard FileManager.default.fileExists(atPath: file) else { continue }
            journalExists = try await withRawSQLite(file) { other in
                try await other.strings("SELECT name FROM sqlite_master WHERE name = 'bot_journal'").count == 1
            }
        }
        #expect(journalExists, "the bot finished before its tables could be seen")
        var stillRunningAfterLock = false
        try await withRawSQLite(file) { other in
            try await other.execute("BEGIN IMMEDIATE")
            // Held past the bot's 5 s busy timeout, so its first try fails and a retry succeeds.
            try await Task.sleep(for: .milliseconds(6_000))
            stillRunningAfterLock = process.isRunning
            try await other.execute("COMMIT")
        }
        #expect(stillRunningAfterLock, "the bot must have been held up by the lock, not finished")
        await PetrelProcess.waitForExit(process)
        #expect(process.terminationStatus == 0)

        let actual = try await BotRunProcessTests.books(dataDirectory)
        #expect(actual.orders == expected.orders)
        #expect(actual.fills == expected.fills)
        #expect(actual.account == expected.account)
    }
}
