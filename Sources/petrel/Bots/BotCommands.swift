import ArgumentParser
import Foundation
import PetrelCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Synchronization

/// `petrel bot …`: run a strategy bot in the foreground and look at its state.
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot", abstract: "Run a bot from its config file and show its status.",
        subcommands: [BotRunCommand.self, BotStatusCommand.self])
}

/// Where bots keep their database and logs.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (database, logs).")
    var dataDirectory = "petrel-data"

    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("petrel.sqlite") }

    /// Opens the database, runs `body` with it and shuts it down, also when `body` throws.
    /// - Throws: ``CLIError`` when the database cannot be opened, or what `body` throws.
    func withDatabase<Result>(_ body: (PetrelDatabase) async throws -> Result) async throws -> Result {
        let database: PetrelDatabase
        do {
            database = try await .open(path: databasePath)
        } catch {
            throw CLIError("cannot open the database \(databasePath): \(error)")
        }
        do {
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}

struct BotRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a strategy bot (seed 002 config) in the foreground until Ctrl-C or the end of its replay.",
        discussion: """
            The bot trades on the paper exchange over the config's `replay` (data.file) or `simulated` market.
            Its orders, fills, journal and paper balances are stored in DATA_DIR/petrel.sqlite; a restarted bot
            continues exactly where it stopped. SIGINT/SIGTERM: no new positions, state written, exit 0.
            --dry-run keeps everything in memory and writes nothing but logs.
            With a `notifications` section the bot sends its 6-hour and daily summaries; with
            --telegram-commands it also answers /status, /profit, /stop … from the chats of its Telegram
            channel (/stop ends the run).
            """)

    @Argument(help: "The bot's JSON config file.")
    var config: String
    @Flag(help: "Decide and log, keep nothing: an in-memory database and paper account.")
    var dryRun = false
    @Option(help: "The bot's id (default: the config file's name without extension).")
    var id: String?
    @Flag(help: "Forget this bot's stored state (orders, journal, paper balances) and start afresh.")
    var reset = false
    @Flag(help: "No log lines on the console (files are still written).")
    var quiet = false
    @Flag(help: "Answer Telegram commands from the chat ids of the config's telegram channel.")
    var telegramCommands = false
    @OptionGroup var services: NotificationEndpointOptions
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        // Watched from the first moment: a SIGTERM while the bot is still being prepared ends it cleanly too.
        let latch = StopLatch()
        let signals = SignalWatcher { await latch.requestStop() }
        defer { signals.cancel() }
        let assembly = try BotAssembly.load(
            configPath: config, id: id, dataDirectory: data.dataDirectory, dryRun: dryRun, quiet: quiet,
            notificationEndpoints: services.endpoints, allowLive: true)
        let database: PetrelDatabase
        do {
            database = dryRun ? try await .openInMemory() : try await .open(path: data.databasePath)
        } catch {
            throw CLIError("cannot open the database \(data.databasePath): \(error)")
        }
        do {
            try await register(assembly, in: database)
        } catch {
            await database.shutdown()
            throw error
        }
        let botID = assembly.botID
        let activity = assembly.activity
        let fleet = BotFleet(
            database: database,
            settings: .init(
                dataDirectory: data.dataDirectory, environment: ProcessInfo.processInfo.environment, console: !quiet))
        fleet.adopt(assembly)
        let supervisor = fleet.supervisor
        let poller: TelegramCommandPoller?
        do {
            poller = try commandPoller(assembly, fleet: fleet)
        } catch {
            await database.shutdown()
            activity.close()
            await assembly.notifications?.close()
            throw error
        }
        guard await latch.attach(supervisor, botID) else {
            // Stopped before it started: nothing ran, nothing changed.
            await database.shutdown()
            activity.close()
            await assembly.notifications?.close()
            return
        }
        await supervisor.start(botID)
        let statusPath = BotFiles.statusPath(dataDirectory: data.dataDirectory, bot: botID)
        var background = [
            Task {
                while !Task.isCancelled {
                    if let runner = await supervisor.runner(for: botID) {
                        BotFiles.writeStatus(await runner.status(), to: statusPath)
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        ]
        if assembly.notifications != nil {
            background.append(Task { await SummaryScheduler(fleet: fleet, clock: LiveClock()).run() })
        }
        if let poller { background.append(Task { await poller.run() }) }
        let exit = await supervisor.wait(for: botID)
        for task in background {
            task.cancel()
            await task.value
        }
        // Nothing may start (a /start racing the end of the run) or run once the database closes.
        await supervisor.shutdown()
        if let runner = await supervisor.lastRunner(for: botID) {
            BotFiles.writeStatus(await runner.status(), to: statusPath)
        }
        let record = try? await database.bots.bot(botID)
        await database.shutdown()
        activity.close()
        await assembly.notifications?.close()
        switch exit {
        case .marketFinished?:
            if !quiet { Terminal.note("bot \(botID): the replay finished; state saved in \(data.dataDirectory)") }
        case .stopped?:
            if !quiet { Terminal.note("bot \(botID) stopped; state saved in \(data.dataDirectory)") }
        case nil:
            throw CLIError("bot \(botID) crashed and was not restarted: \(record?.lastError ?? "unknown error")")
        }
    }

    /// The poller of `--telegram-commands`, over the bot's own Telegram channel; `nil` without the flag.
    /// - Throws: ``CLIError`` when the flag is given and the config enables no Telegram channel.
    func commandPoller(_ assembly: BotAssembly, fleet: BotFleet) throws -> TelegramCommandPoller? {
        guard telegramCommands else { return nil }
        guard let channel = assembly.notifications?.telegramChannel else {
            throw CLIError(
                "--telegram-commands needs an enabled telegram channel in the config's notifications section")
        }
        return TelegramCommandPoller(
            channel: channel, handler: FleetTelegramCommands(fleet: fleet, only: [assembly.botID]))
    }

    /// Stores the bot (first run) or checks that its configuration did not change under its journal.
    func register(_ assembly: BotAssembly, in database: PetrelDatabase) async throws {
        let now = LiveClock().now()
        if reset {
            try await database.bots.delete(assembly.botID)
            try await database.journal.reset(bot: assembly.botID)
        }
        if let stored = try await database.bots.bot(assembly.botID) {
            guard stored.configuration == assembly.configText else {
                throw CLIError(
                    "bot \(assembly.botID) was started with a different config; its stored state belongs to that one. Run with --reset to start afresh (forgets its orders and paper balances) or pass another --id"
                )
            }
            return
        }
        try await database.bots.save(
            BotRecord(
                id: assembly.botID, configuration: assembly.configText, mode: dryRun ? .dryRun : .paper,
                createdAt: now))
    }

}

struct BotStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a bot's status (seed 002's get_status): feed, broker, positions, last signal.")

    @Argument(help: "The bot's id (omit to list every bot).")
    var id: String?
    @Flag(help: "Print JSON.")
    var json = false
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        guard FileManager.default.fileExists(atPath: data.databasePath) else {
            throw CLIError("no database at \(data.databasePath): no bot has run with --data-dir \(data.dataDirectory)")
        }
        try await data.withDatabase(show)
    }

    private func show(_ database: PetrelDatabase) async throws {
        guard let id else {
            let bots = try await database.bots.allBots()
            if bots.isEmpty { print("no bots") }
            for bot in bots {
                print("\(bot.id)  \(bot.lifecycle.rawValue)  \(bot.tradingState.rawValue)  \(bot.mode.rawValue)")
            }
            return
        }
        guard let record = try await database.bots.bot(id) else {
            throw CLIError("no bot '\(id)' in \(data.databasePath)")
        }
        let statusFile = try? Data(
            contentsOf: URL(fileURLWithPath: BotFiles.statusPath(dataDirectory: data.dataDirectory, bot: id)))
        if let portfolio = statusFile.flatMap(PortfolioStatusFile.decode) {
            try await showPortfolio(portfolio, record: record, database: database)
            return
        }
        let saved = statusFile.flatMap { try? JSONDecoder().decode(BotStatus.self, from: $0) }
        let positions = try await database.bots.positions(bot: id)
        let equity = try await database.equity.snapshots(bot: id, from: nil, limit: 1).last
        let orders = try await database.orderStore(bot: id).recentOrders(limit: 5)
        if json {
            var status = saved
            status?.lifecycle = record.lifecycle
            status?.tradingState = record.tradingState
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let status {
                print(String(decoding: try encoder.encode(status), as: UTF8.self))
            } else {
                print("{\"bot_id\":\"\(id)\",\"lifecycle\":\"\(record.lifecycle.rawValue)\"}")
            }
            return
        }
        print(
            "bot \(record.id): \(record.lifecycle.rawValue), trading \(record.tradingState.rawValue), \(record.mode.rawValue)"
        )
        if let reason = record.stateReason { print("  state reason: \(reason)") }
        if let error = record.lastError { print("  last error: \(error)") }
        if let saved {
            let feed = saved.feed
            print(
                "data feed: \(feed.source) \(feed.symbol) \(feed.interval), \(feed.connected ? "connected" : "disconnected"), \(feed.dataPoints) data points, last price \(feed.lastPrice?.description ?? "-")"
            )
            let broker = saved.broker
            print(
                "broker: \(broker.type), \(broker.connected ? "connected" : "blocked: \(broker.blockedReason ?? "")"), cash \(broker.cash) \(broker.quoteAsset), equity \(broker.equity)"
            )
            if let signal = saved.lastSignal {
                print(
                    "last signal: \(signal.action) at \(CivilDate.iso8601(milliseconds: signal.timestamp)): \(signal.reasoning)"
                )
            }
        } else if let equity {
            print(
                "equity \(equity.equity), cash \(equity.cash) at \(CivilDate.iso8601(milliseconds: equity.timestamp))")
        }
        if positions.isEmpty { print("positions: none") }
        for position in positions {
            print("position: \(position.symbol) \(position.quantity) @ \(position.averagePrice)")
        }
        for order in orders {
            print(
                "order \(order.clientOrderID): \(order.side.rawValue) \(order.type.rawValue) \(order.quantity) \(order.status.rawValue)"
            )
        }
    }

    /// Seed 000's `get_status` of the portfolio bot, with its latest trade-history rows.
    private func showPortfolio(
        _ status: PortfolioStatusFile, record: BotRecord, database: PetrelDatabase
    ) async throws {
        let recent = try await database.tradeHistory(bot: record.id).recent(limit: 5)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var object =
                try JSONSerialization.jsonObject(with: try encoder.encode(status)) as? [String: Any] ?? [:]
            object["lifecycle"] = record.lifecycle.rawValue
            object["recent_trades"] = try JSONSerialization.jsonObject(with: try encoder.encode(recent))
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("bot \(record.id): \(record.lifecycle.rawValue), \(record.mode.rawValue)")
        for line in status.lines { print(line) }
        for trade in recent {
            print(
                "trade \(trade.id ?? 0): \(trade.decision.rawValue) \(trade.fromPair)→\(trade.toPair) \(trade.amount) \(trade.status.rawValue)"
            )
        }
    }
}

/// A stop request that may come before the supervisor exists: remembered, and applied once it does.
actor StopLatch {
    private var requested = false
    private var target: (BotSupervisor, String)?

    /// SIGINT or SIGTERM: stop the bot now, or as soon as it is attached.
    func requestStop() async {
        requested = true
        if let (supervisor, id) = target { await supervisor.stop(id) }
    }

    /// - Returns: `false` when a stop was requested already (do not start the bot).
    func attach(_ supervisor: BotSupervisor, _ id: String) -> Bool {
        target = (supervisor, id)
        return !requested
    }
}

/// Runs `handler` once on SIGINT or SIGTERM (the default action of both is suppressed meanwhile).
final class SignalWatcher: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(_ handler: @escaping @Sendable () async -> Void) {
        let fired = Mutex(false)
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = fired.withLock { value -> Bool in
                    defer { value = true }
                    return !value
                }
                if first { Task { await handler() } }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    func cancel() {
        sources.withLock { list in
            for source in list { source.cancel() }
        }
    }
}
