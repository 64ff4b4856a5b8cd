import Foundation
import PetrelCore
import PetrelMarketData
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime
import Synchronization

/// The server's bots: created from seed 002 configs (validated like `petrel config validate`), stored
/// with their owner, and run by one ``BotSupervisor`` on the paper exchange.
///
/// A bot's config may change only while it is stopped; once it has traded, a change must also reset the
/// bot's stored state (its journal and orders belong to the config that made them).
public final class BotFleet: Sendable {
    /// Where a fleet keeps its files and how it builds bots.
    public struct Settings: Sendable {
        /// Logs go under it; a replay's relative `data.file` is relative to it.
        public var dataDirectory: String
        /// The secrets' and fault drills' variables.
        public var environment: [String: String]
        /// Log lines of bots also on standard error.
        public var console: Bool
        /// The server's notification channels, for bots whose config has no `notifications` section.
        public var notifier: (any Notifier)?
        /// Where bots' own Telegram and Twilio channels send.
        public var notificationEndpoints = NotificationSetup.Endpoints()
        /// Opens the stored exchange account a live bot names (`broker.account`) for the bot's owner;
        /// `nil`: live brokers are refused.
        public var openAccount:
            (
                @Sendable (_ name: String, _ owner: Int64?, _ broker: BotConfiguration.BrokerType) async throws ->
                    StoredAccount
            )?

        public init(
            dataDirectory: String, environment: [String: String], console: Bool, notifier: (any Notifier)? = nil
        ) {
            self.dataDirectory = dataDirectory
            self.environment = environment
            self.console = console
            self.notifier = notifier
        }
    }

    public let database: PetrelDatabase
    let settings: Settings
    let clock: any TradingClock
    let loader: AssemblyLoader
    /// Runs the bots.
    public let supervisor: BotSupervisor
    /// The `bots` table, cached: every read of a bot in the server goes through it.
    public let bots: CachedBotRepository
    /// Each bot's closed trades, replayed from its journal.
    let ledger: TradeLedger

    /// A fleet over `database`.
    public init(database: PetrelDatabase, settings: Settings, clock: any TradingClock = LiveClock()) {
        self.database = database
        self.settings = settings
        self.clock = clock
        let bots = CachedBotRepository(database.bots)
        self.bots = bots
        let loader = AssemblyLoader(database: database, settings: settings)
        self.loader = loader
        ledger = TradeLedger(database: database, loader: loader)
        supervisor = BotSupervisor(
            bots: bots, clock: clock, sleeper: TaskSleeper(),
            observe: { id, event in
                loader.cached(id)?.activity.record(event)
                loader.tell(id, event)
            },
            factory: { id in try await loader.assembly(id).makeRunner(database: database, bots: bots) })
    }

    /// Runs `assembly` (built by the caller, as `petrel bot run` does from a config file) for its bot id
    /// instead of building one from the stored config. The bot must be stored (``BotRepository/save(_:)``).
    public func adopt(_ assembly: BotAssembly) {
        var adopted = assembly
        let id = assembly.botID
        adopted.listener = { [weak loader] event in loader?.tell(id, event) }
        loader.cache.withLock { $0[id] = adopted }
    }

    /// The channels of a bot whose assembly this fleet holds (its own, or the server's).
    public func notifications(of id: String) -> BotNotifications? { loader.cached(id)?.notifications }

    /// `<data-dir>/candles`: the candle files backtest jobs may read.
    public var candleDirectory: String {
        URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("candles").path
    }

    /// Adds a listener told of everything every bot does (the WebSocket hub, metrics).
    public func listen(_ listener: @escaping @Sendable (String, BotActivity) -> Void) {
        loader.listeners.withLock { $0.append(listener) }
    }

    /// The symbol and timeframe of a bot that has been started in this process.
    public func market(of id: String) -> (symbol: Symbol, timeframe: Timeframe)? {
        loader.cached(id).map { ($0.bot.data.symbol, $0.bot.data.interval) }
    }

    /// Up to `limit` candles of a started bot's market, ending at `time` (its last processed candle): from
    /// its replayed series, or, for a bot on a live market, the candles it has processed since this
    /// server started it (the last ``AssemblyLoader/keptLiveCandles``).
    public func processedCandles(id: String, through time: Int64?, limit: Int) -> [Candle] {
        guard let time, let assembly = loader.cached(id) else { return [] }
        guard let candles = assembly.series?.candles else {
            let live = loader.liveCandles.withLock { $0[id] ?? [] }
            return Array(live.filter { $0.timestamp <= time }.suffix(limit))
        }
        var end = candles.count
        var low = 0
        while low < end {
            let middle = (low + end) / 2
            if candles[middle].timestamp <= time { low = middle + 1 } else { end = middle }
        }
        return Array(candles[max(0, low - limit)..<low])
    }

    /// Validates and stores a new bot (stopped).
    /// - Throws: ``FleetError/invalid(_:)`` for a bad id or config, ``FleetError/conflict(_:)`` for a taken id.
    public func create(id: String, name: String?, config: Data, owner: Int64?) async throws(FleetError) -> BotRecord {
        let botID: String
        do {
            botID = try BotAssembly.validID(id)
        } catch {
            throw .invalid(error)
        }
        let bot = try check(config, botID: botID)
        guard try await stored(botID) == nil else { throw .conflict("a bot with id '\(botID)' already exists") }
        let record = BotRecord(
            id: botID, name: name ?? botID, configuration: String(decoding: config, as: UTF8.self),
            mode: bot.broker.type.isLive ? .live : .paper, createdAt: clock.now(), ownerID: owner)
        do {
            try await bots.save(record)
        } catch {
            throw .from(error)
        }
        return record
    }

    /// Replaces a stopped bot's config (and name).
    /// - Parameter reset: forget the bot's orders, journal and paper account; required once it has traded.
    /// - Throws: ``FleetError/conflict(_:)`` while it runs, or when it has state and `reset` is false.
    public func update(id: String, name: String?, config: Data?, reset: Bool) async throws(FleetError) -> BotRecord {
        guard var record = try await stored(id) else { throw .notFound(id) }
        guard !record.lifecycle.isActive, await supervisor.runner(for: id) == nil else {
            throw .conflict("bot '\(id)' is \(record.lifecycle.rawValue); stop it before changing its config")
        }
        if let name { record.name = name }
        if let config {
            _ = try check(config, botID: id)
            let hasState: Bool
            do {
                hasState = try await database.journal.lastCandleTime(bot: id) != nil
            } catch {
                throw .from(error)
            }
            if hasState && !reset {
                throw .conflict(
                    "bot '\(id)' has traded under its current config; send \"reset\": true to replace the config and forget its orders, journal and paper balances"
                )
            }
            if hasState {
                let keep = record
                do {
                    try await bots.delete(id)
                    try await database.journal.reset(bot: id)
                } catch {
                    throw .from(error)
                }
                record = BotRecord(
                    id: keep.id, name: keep.name, configuration: keep.configuration, mode: keep.mode,
                    createdAt: keep.createdAt, ownerID: keep.ownerID)
            }
            record.configuration = String(decoding: config, as: UTF8.self)
            record.sizingMultiplier = nil
            record.lastError = nil
            record.restartCount = 0
            dropAssembly(id)
        }
        record.updatedAt = clock.now()
        do {
            try await bots.save(record)
        } catch {
            throw .from(error)
        }
        return record
    }

    /// Deletes a stopped bot and everything stored under its id.
    public func delete(id: String) async throws(FleetError) {
        guard let record = try await stored(id) else { throw .notFound(id) }
        guard !record.lifecycle.isActive, await supervisor.runner(for: id) == nil else {
            throw .conflict("bot '\(id)' is \(record.lifecycle.rawValue); stop it before deleting it")
        }
        do {
            try await bots.delete(id)
            try await database.journal.reset(bot: id)
        } catch {
            throw .from(error)
        }
        dropAssembly(id)
    }

    /// Starts a stored bot (no effect when it runs).
    /// - Throws: ``FleetError/invalid(_:)`` when its config no longer loads (a replay file gone);
    ///   ``FleetError/conflict(_:)`` once ``shutdown()`` has begun.
    public func start(id: String) async throws(FleetError) {
        guard await !supervisor.isShutDown else { throw Self.shuttingDown }
        guard let record = try await stored(id) else { throw .notFound(id) }
        if await supervisor.runner(for: id) == nil {
            try await applySymbolSettings(record)
            // A stored account is opened afresh at every start: a deleted or rotated key is never reused.
            if loader.cached(id)?.storedAccount != nil { dropAssembly(id) }
        }
        do {
            _ = try await loader.assembly(id)
        } catch let error as BotSetupError {
            throw .invalid(error)
        } catch {
            throw .storage(.storage("\(error)"))
        }
        guard await supervisor.start(id) else { throw Self.shuttingDown }
    }

    static let shuttingDown = FleetError.conflict("the server is shutting down; no bot starts")

    /// Checks the bot's market against the tracked symbols (seed 004) before a start: a disabled symbol
    /// refuses the start; a bot without stored state takes the symbol's risk multiplier as its sizing
    /// factor, which it keeps until its state is reset.
    /// - Throws: ``FleetError/conflict(_:)`` when the symbol is disabled.
    func applySymbolSettings(_ record: BotRecord) async throws(FleetError) {
        guard record.id != BotAssembly.portfolioBotID else { return }
        let bot = try check(Data(record.configuration.utf8), botID: record.id)
        let tracked: SymbolRecord?
        let hasState: Bool
        do {
            tracked = try await trackedSymbol(for: bot.data.symbol)
            hasState = try await database.journal.count(bot: record.id) > 0
        } catch {
            throw .from(error)
        }
        if let tracked, !tracked.isEnabled {
            throw .conflict(
                "\(tracked.symbol) on \(tracked.venue) is disabled under Symbols; enable it to start bots on \(bot.data.symbol)"
            )
        }
        guard !hasState else { return }
        let multiplier = tracked.map { $0.riskMultiplier == 1 ? nil : $0.riskMultiplier } ?? nil
        guard multiplier != record.sizingMultiplier else { return }
        var changed = record
        changed.sizingMultiplier = multiplier
        do {
            try await bots.save(changed)
        } catch {
            throw .from(error)
        }
        dropAssembly(record.id)
    }

    /// The tracked spot symbol of a pair, if any (the simulated venue's first when several venues track it).
    func trackedSymbol(for pair: Symbol) async throws(StorageError) -> SymbolRecord? {
        try await database.symbols.symbols().first {
            $0.base == pair.base && $0.quote == pair.quote && $0.kind == ListedInstrument.Kind.spot.rawValue
        }
    }

    /// Pauses new entries of every running bot on `pair` (its symbol was disabled).
    /// - Returns: the ids of the bots paused.
    public func pauseBots(trading pair: Symbol) async -> [String] {
        var paused: [String] = []
        for id in await supervisor.botIDs where await supervisor.runner(for: id) != nil {
            guard id != BotAssembly.portfolioBotID, let market = market(of: id), market.symbol == pair else { continue }
            await supervisor.pause(id)
            paused.append(id)
        }
        return paused
    }

    /// Stops a bot and waits until it has written its state.
    public func stop(id: String) async throws(FleetError) {
        guard try await stored(id) != nil else { throw .notFound(id) }
        await supervisor.stop(id)
    }

    /// Pauses new entries.
    public func pause(id: String) async throws(FleetError) {
        try await requireRunning(id)
        await supervisor.pause(id)
    }

    /// Resumes new entries.
    public func resume(id: String) async throws(FleetError) {
        try await requireRunning(id)
        await supervisor.resume(id)
    }

    /// The kill switch for every running bot: orders cancelled, positions closed, no new ones.
    /// - Returns: the ids of the bots told to halt.
    public func emergencyStop(reason: String) async -> [String] {
        var halted: [String] = []
        for id in await supervisor.botIDs where await supervisor.runner(for: id) != nil {
            await supervisor.halt(id, reason: reason)
            halted.append(id)
        }
        return halted
    }

    /// The live status of a running bot, or its last run's, or `nil` when it has not run in this process.
    public func status(id: String) async -> BotStatus? {
        if let runner = await supervisor.runner(for: id) { return await runner.status() }
        if let runner = await supervisor.lastRunner(for: id) { return await runner.status() }
        return nil
    }

    /// Starts the bots that were running when the server last stopped (their stored lifecycle is active).
    /// - Returns: the ids started; bots that cannot be loaded are marked crashed with the reason.
    public func resumeActiveBots() async -> [String] {
        guard let stored = try? await bots.allBots() else { return [] }
        var started: [String] = []
        for bot in stored where bot.lifecycle.isActive && bot.id != BotAssembly.portfolioBotID {
            do {
                try await start(id: bot.id)
                started.append(bot.id)
            } catch {
                try? await bots.updateLifecycle(
                    bot.id, to: .crashed, error: "not restarted: \(error)", restartCount: nil, at: clock.now())
            }
        }
        return started
    }

    /// Stops every bot (graceful shutdown) and closes their logs. The stored lifecycle is set back to what it was
    /// so that the next start resumes the bots that were running.
    public func shutdown() async {
        let running = await supervisor.activeBotIDs
        await supervisor.shutdown()
        for id in running {
            try? await bots.updateLifecycle(id, to: .running, error: nil, restartCount: nil, at: clock.now())
        }
        for assembly in loader.cache.withLock({ Array($0.values) }) {
            assembly.activity.close()
            await assembly.notifications?.close()
        }
    }

    func requireRunning(_ id: String) async throws(FleetError) {
        guard try await stored(id) != nil else { throw .notFound(id) }
        guard await supervisor.runner(for: id) != nil else { throw .conflict("bot '\(id)' is not running") }
    }

    func stored(_ id: String) async throws(FleetError) -> BotRecord? {
        do {
            return try await bots.bot(id)
        } catch {
            throw .from(error)
        }
    }

    /// Parses a config and applies the server's rules: a live broker (`binance`, `okx`) trades from a stored
    /// exchange account (`broker.account`) of the bot's owner, at the account's venue; `${…}` keys, which
    /// would come from the server's environment, and `broker.base_url`/`ws_url`, which would receive the
    /// keys, are refused.
    func check(_ config: Data, botID: String) throws(FleetError) -> BotConfiguration {
        do throws(BotSetupError) {
            let bot = try BotAssembly.parse(config, source: "config")
            let broker = bot.broker
            // The IBKR gateway is the trader's own session on a loopback address, reached without certificate
            // checks: the server's users do not get to point bots at it.
            if bot.data.dataSource == .ibkr {
                throw BotSetupError(
                    "data.data_source 'ibkr' reads the IBKR gateway of the machine it runs on, which the server does not share; run it with 'petrel bot run'",
                    field: "$.data.data_source")
            }
            let live = StoredAccount.venues[broker.type] != nil
            guard live else {
                try BotAssembly.checkRunnable(bot, botID: botID, dryRun: false)
                return bot
            }
            guard broker.account != nil else {
                throw BotSetupError(
                    "a live '\(broker.type.rawValue)' broker on the server takes its keys from a stored exchange account: name one in \"account\" (POST /api/v1/exchange-accounts); ${VARIABLE} keys are for 'petrel bot run'",
                    field: "$.broker.account")
            }
            if broker.baseURL != nil || broker.wsURL != nil {
                throw BotSetupError(
                    "a live broker on the server trades at its account's venue (the server's --\(broker.type.rawValue)-url, else the venue's own), so broker.base_url and ws_url are not taken",
                    field: broker.baseURL != nil ? "$.broker.base_url" : "$.broker.ws_url")
            }
            try BotAssembly.checkRunnable(bot, botID: botID, dryRun: false, allowLive: true)
            return bot
        } catch {
            throw .invalid(error)
        }
    }

    /// Forgets the opened keys of stopped bots trading from stored account `name` of `owner` (the account
    /// was changed or deleted); a running bot keeps its keys until it stops, and its next start opens the
    /// account again.
    public func accountChanged(owner: Int64, name: String) async {
        let holders = loader.cache.withLock { cache in
            cache.filter { $0.value.storedAccount?.name == name }.map(\.key)
        }
        for id in holders {
            guard await supervisor.runner(for: id) == nil,
                (try? await bots.bot(id))?.ownerID == owner
            else { continue }
            dropAssembly(id)
        }
    }

    func dropAssembly(_ id: String) {
        let dropped = loader.cache.withLock { $0.removeValue(forKey: id) }
        _ = loader.liveCandles.withLock { $0.removeValue(forKey: id) }
        ledger.forget(id)
        dropped?.activity.close()
        if let notifications = dropped?.notifications { Task { await notifications.close() } }
    }
}

/// Builds (once per config) the assembly of a stored bot, and fans the bots' activity out to listeners.
final class AssemblyLoader: Sendable {
    let database: PetrelDatabase
    let settings: BotFleet.Settings
    let cache = Mutex<[String: BotAssembly]>([:])
    let listeners = Mutex<[@Sendable (String, BotActivity) -> Void]>([])
    /// The latest candles of each bot on a live market, as it processed them (replayed bots chart their
    /// series instead).
    let liveCandles = Mutex<[String: [Candle]]>([:])
    /// How many candles a live bot's chart keeps.
    static let keptLiveCandles = 2_000

    init(database: PetrelDatabase, settings: BotFleet.Settings) {
        self.database = database
        self.settings = settings
    }

    func cached(_ id: String) -> BotAssembly? { cache.withLock { $0[id] } }

    func tell(_ id: String, _ event: BotActivity) {
        if case .candle(let candle) = event, cached(id)?.series == nil { keep(candle, of: id) }
        for listener in listeners.withLock({ $0 }) { listener(id, event) }
    }

    /// Adds a live bot's candle to its chart, keeping the latest ``keptLiveCandles``.
    func keep(_ candle: Candle, of id: String) {
        liveCandles.withLock { all in
            var candles = all[id] ?? []
            if let last = candles.last, candle.timestamp <= last.timestamp { return }
            candles.append(candle)
            if candles.count > Self.keptLiveCandles { candles.removeFirst(candles.count - Self.keptLiveCandles) }
            all[id] = candles
        }
    }

    func assembly(_ id: String) async throws -> BotAssembly {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        guard let record = try await database.bots.bot(id) else { throw FleetError.notFound(id) }
        let config = Data(record.configuration.utf8)
        // A live bot's keys: its owner's stored account, opened for this start.
        var account: StoredAccount?
        let bot = try BotAssembly.parse(config, source: "bots/\(id)")
        if let name = bot.broker.account, bot.broker.type.isLive {
            guard let openAccount = settings.openAccount else {
                throw BotSetupError("this server opens no stored exchange accounts", field: "$.broker.account")
            }
            account = try await openAccount(name, record.ownerID, bot.broker.type)
        }
        var assembly = try BotAssembly.prepare(
            botID: id, config: config, source: "bots/\(id)",
            baseDirectory: settings.dataDirectory, dataDirectory: settings.dataDirectory, dryRun: false,
            quiet: !settings.console, environment: settings.environment, notifier: settings.notifier,
            notificationEndpoints: settings.notificationEndpoints, account: account)
        assembly.listener = { [weak self] event in self?.tell(id, event) }
        assembly.sizingMultiplier = record.sizingMultiplier ?? 1
        return cache.withLock { stored in
            if let existing = stored[id] { return existing }
            stored[id] = assembly
            return assembly
        }
    }
}
