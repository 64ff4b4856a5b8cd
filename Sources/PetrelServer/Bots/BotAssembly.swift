import Foundation
import Logging
import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime
import PetrelStrategies
import Synchronization

/// The composition root of a strategy bot (seed 002's config) on the paper exchange over a replayed
/// or simulated market: picks the stores, the venue, the feed and the kernel recipe. `petrel bot run`
/// and `petrel serve` both build their bots here.
public struct BotAssembly: Sendable {
    /// The id seed 000's portfolio bot runs under (`petrel runbot`); strategy bots may not use it.
    public static let portfolioBotID = "portfolio"

    public let botID: String
    public let bot: BotConfiguration
    /// The config exactly as given (stored with the bot; a restart must find the same one).
    public let configText: String
    let dataDirectory: String
    public let dryRun: Bool
    /// The candles a `replay` or `simulated` source plays (`nil` for a venue's live market).
    let series: CandleSeries?
    /// The venue key and secret of a live broker (`nil` for paper trading). Never logged.
    let credentials: VenueCredentials?
    /// The stored exchange account a server bot trades from (its keys are ``credentials``); `nil` for
    /// `petrel bot run`, whose keys come from `${…}` variables.
    var storedAccount: StoredAccount?
    let rules: InstrumentRules
    public let activity: BotActivityLog
    let quiet: Bool
    /// Faults for the first paper exchange of this process (`PETREL_PAPER_FAULTS`), if a drill runs.
    let faultDrill: FaultDrill?
    /// A strategy that throws once (`PETREL_STRATEGY_FAULT`), if a drill runs.
    let strategyDrill: StrategyFaultDrill?
    /// Where the bot's activity becomes messages (`nil`: no channel).
    public let notifications: BotNotifications?
    /// Scales the config's position sizes (the bot's tracked symbol's risk multiplier; 1 from the CLI).
    public var sizingMultiplier: Double = 1
    /// Also told of everything the bot does (the server's live feed), besides its logs.
    public var listener: (@Sendable (BotActivity) -> Void)?

    /// The paper exchange's slippage on market orders (fraction of the price).
    static let paperSlippage = 0.0005
    /// The bid/ask spread of the quotes derived from each candle (fraction of the price).
    static let quoteSpread = 0.0001
    /// Kept back beyond fees, slippage and spread when an entry is sized against all the cash, so a
    /// small move between the decision (a candle's close) and the fill (the next quotes) still fits.
    static let gapMargin = 0.001

    /// Loads a config file and checks everything a bot needs before anything starts (`petrel bot run`).
    /// - Parameters:
    ///   - configPath: the JSON config file; a replay's relative `data.file` is relative to its folder.
    ///   - id: the bot's id (default: the file's name without extensions).
    ///   - dataDirectory: where the logs go.
    ///   - dryRun: whether live brokers are allowed (nothing is sent).
    ///   - quiet: no log lines on the console.
    /// - Throws: ``BotSetupError`` naming the file, the field or the id at fault.
    ///   - allowLive: whether a live broker may trade (`petrel bot run`; the server keeps refusing them
    ///     until it takes their keys from stored exchange accounts).
    public static func load(
        configPath: String, id: String?, dataDirectory: String, dryRun: Bool, quiet: Bool,
        notificationEndpoints: NotificationSetup.Endpoints = .init(), allowLive: Bool = false
    ) throws(BotSetupError) -> BotAssembly {
        let bytes = try readConfig(configPath)
        let botID = try validID(id ?? defaultID(configPath))
        return try prepare(
            botID: botID, config: bytes, source: configPath,
            baseDirectory: URL(fileURLWithPath: configPath).deletingLastPathComponent().path,
            dataDirectory: dataDirectory, dryRun: dryRun, quiet: quiet,
            environment: ProcessInfo.processInfo.environment, notificationEndpoints: notificationEndpoints,
            allowLive: allowLive)
    }

    /// Checks a config and everything a bot needs before anything starts.
    /// - Parameters:
    ///   - botID: the bot's id (already checked with ``validID(_:)``).
    ///   - config: the JSON config's bytes.
    ///   - source: the config's name in messages.
    ///   - baseDirectory: what a replay's relative `data.file` is relative to.
    ///   - dataDirectory: where the logs go.
    ///   - dryRun: whether live brokers are allowed (nothing is sent).
    ///   - quiet: no log lines on the console.
    ///   - environment: the secrets' and the fault drills' variables.
    /// - Throws: ``BotSetupError``.
    public static func prepare(
        botID: String, config bytes: Data, source: String, baseDirectory: String, dataDirectory: String,
        dryRun: Bool, quiet: Bool, environment: [String: String], notifier: (any Notifier)? = nil,
        notificationEndpoints: NotificationSetup.Endpoints = .init(), allowLive: Bool = false,
        account: StoredAccount? = nil
    ) throws(BotSetupError) -> BotAssembly {
        let bot = try parse(bytes, source: source)
        try checkRunnable(bot, botID: botID, dryRun: dryRun, allowLive: allowLive || account != nil)
        var credentials = account?.credentials
        if credentials == nil, !dryRun {
            credentials = try liveCredentials(bot, environment: environment, source: source)
        }
        if dryRun { credentials = nil }
        if bot.broker.type == .okx, credentials != nil {
            try checkOKXOrderIDs(botID: botID)
        }
        let faultDrill = try FaultDrill(environment: environment)
        let strategyDrill = try StrategyFaultDrill(environment: environment)
        let series = try marketSeries(bot, baseDirectory: baseDirectory)
        let rules: InstrumentRules
        do {
            rules = try InstrumentRules(symbol: bot.data.symbol, tickSize: .ulp, stepSize: .ulp)
        } catch {
            throw BotSetupError("\(error)", field: "$.data.symbol")
        }
        BotFiles.registerSecrets(bot.secrets)
        let options = BotActivityLog.Options(
            level: PetrelLogHandler.level(named: bot.logging?.level ?? "INFO"),
            saveTrades: bot.logging?.saveTrades ?? true, saveEquityCurve: bot.logging?.saveEquityCurve ?? true,
            logFile: bot.logging?.logFile, console: !quiet)
        let activity = try BotFiles.openActivityLog(botID: botID, dataDirectory: dataDirectory, options: options)
        let notifications: BotNotifications?
        do {
            notifications = try BotNotifications.make(
                botID: botID, bot: bot, environment: environment, endpoints: notificationEndpoints, fallback: notifier,
                note: { activity.record(.notice($0)) })
        } catch {
            activity.close()
            throw error
        }
        var assembly = BotAssembly(
            botID: botID, bot: bot, configText: String(decoding: bytes, as: UTF8.self), dataDirectory: dataDirectory,
            dryRun: dryRun, series: series, credentials: credentials, rules: rules, activity: activity, quiet: quiet,
            faultDrill: faultDrill,
            strategyDrill: strategyDrill, notifications: notifications, listener: nil)
        assembly.storedAccount = account
        return assembly
    }

    /// Parses and validates a seed 002 config (strategy names and parameters included).
    /// - Throws: ``BotSetupError`` with every problem and its JSON path.
    public static func parse(_ bytes: Data, source: String) throws(BotSetupError) -> BotConfiguration {
        do {
            return try BotConfiguration.parse(bytes, source: source, validateStrategy: StrategyRegistry.validate)
        } catch {
            throw BotSetupError(error)
        }
    }

    /// Refuses the reserved id, `uphold` (portfolio bots only) and, unless `dryRun`, brokers that would
    /// trade real money where that is not allowed (`allowLive`).
    /// - Throws: ``BotSetupError`` naming `id` or `$.broker.type`.
    public static func checkRunnable(_ bot: BotConfiguration, botID: String, dryRun: Bool, allowLive: Bool = false)
        throws(BotSetupError)
    {
        guard botID != portfolioBotID else {
            throw BotSetupError(
                "bot id '\(botID)' is reserved for seed 000's portfolio bot, which runs with 'petrel runbot'; pass another --id (or rename the config file)",
                field: "id")
        }
        switch bot.broker.type {
        case .paper, .binancePaper, .mock: break
        case .binance, .okx, .ibkr:
            // (A `where` binds to the last pattern only: `case .binance, .okx where …` let binance through.)
            guard !allowLive, !dryRun else { break }
            if bot.broker.type == .ibkr {
                throw BotSetupError(
                    "broker.type 'ibkr' trades real money through the IBKR gateway on the trader's machine, which the server does not run; run it with 'petrel bot run', or use 'paper', 'binance_paper' or 'mock'",
                    field: "$.broker.type")
            }
            throw BotSetupError(
                "broker.type '\(bot.broker.type.rawValue)' trades real money: on the server it needs a stored exchange account (\"account\"); with ${VARIABLE} keys run it with 'petrel bot run'; or use 'paper', 'binance_paper' or 'mock'",
                field: "$.broker.type")
        case .uphold:
            // The parser refuses it for strategy bots already; kept for a config that bypasses it.
            throw BotSetupError(
                "broker.type 'uphold' runs portfolio bots only ('petrel runbot'); use 'binance', 'okx', 'ibkr', 'paper', 'binance_paper' or 'mock'",
                field: "$.broker.type")
        }
    }

    /// The keys of a live `binance` or `okx` broker (with OKX's passphrase), from the environment variables
    /// its config names.
    /// - Throws: ``BotSetupError`` naming the config path of a missing, unset or empty one.
    static func liveCredentials(_ bot: BotConfiguration, environment: [String: String], source: String)
        throws(BotSetupError) -> VenueCredentials?
    {
        let okx = bot.broker.type == .okx
        guard bot.broker.type == .binance || okx else { return nil }
        if let account = bot.broker.account {
            throw BotSetupError(
                "broker.account '\(account)' names a stored exchange account, which only the server opens; with 'petrel bot run' give api_key and api_secret\(okx ? " and passphrase" : "") as ${VARIABLE} references",
                field: "$.broker.account")
        }
        guard let key = bot.broker.apiKey, let secret = bot.broker.apiSecret, !okx || bot.broker.passphrase != nil
        else {
            throw BotSetupError(
                "broker.type '\(bot.broker.type.rawValue)' needs \(okx ? "\"api_key\", \"api_secret\" and \"passphrase\"" : "\"api_key\" and \"api_secret\"") as ${VARIABLE} references",
                field: "$.broker.api_key")
        }
        do {
            return VenueCredentials(
                apiKey: try key.resolve(in: environment), secret: try secret.resolve(in: environment),
                passphrase: try bot.broker.passphrase?.resolve(in: environment))
        } catch {
            throw BotSetupError("\(source): broker credentials: \(error)", field: "$.broker")
        }
    }

    /// OKX's `clOrdId` allows 32 letters and digits; a bot id's `_` and `Z` are escaped to two characters
    /// there (``OKXOrderID``), so a long bot id could make its orders' ids too long. Checked at start for
    /// the first 2 billion orders rather than found at the first order.
    /// - Throws: ``BotSetupError`` at `id`.
    static func checkOKXOrderIDs(botID: String) throws(BotSetupError) {
        let largest = ClientOrderID(botID: botID, sequence: 2_176_782_335)
        do {
            _ = try OKXOrderID.encode(largest)
        } catch {
            throw BotSetupError(
                "bot id '\(botID)' makes OKX client order ids longer than OKX's 32 letters and digits once '_' and 'Z' are escaped ('\(largest)'); use a shorter id or one with fewer '_' and 'Z'",
                field: "id")
        }
    }

    /// The bytes of a config file, at most 16 MB.
    /// - Throws: ``BotSetupError`` naming the file when it cannot be read.
    public static func readConfig(_ path: String) throws(BotSetupError) -> Data {
        // Bounded, so `/dev/zero` or a mistaken multi-gigabyte file is refused instead of exhausting memory.
        let limit = 16 << 20
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BotSetupError("cannot read \(path): it is a directory")
        }
        let data: Data?
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: limit + 1)
        } catch {
            throw BotSetupError("cannot read \(path): \(error.localizedDescription)")
        }
        guard (data?.count ?? 0) <= limit else {
            throw BotSetupError("cannot read \(path): larger than 16 MB (a bot config is a small JSON file)")
        }
        return data ?? Data()
    }

    /// The file name without extensions: `config/0001.json` runs as bot `0001`.
    public static func defaultID(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        while let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name
    }

    /// - Throws: ``BotSetupError`` at `id` unless the id is 1 to 40 letters, digits, `_` or `-`.
    public static func validID(_ id: String) throws(BotSetupError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        guard (1...40).contains(id.count), id.allSatisfy({ allowed.contains($0) }) else {
            throw BotSetupError("bot id '\(id)' must be 1 to 40 letters, digits, '_' or '-' (pass --id)", field: "id")
        }
        return id
    }

    /// The candles of a `replay` (the config's `data.file`) or `simulated` data source; `nil` for a venue's
    /// live market (`binance`, `okx`, `yahoo`, `ibkr`).
    static func marketSeries(_ bot: BotConfiguration, baseDirectory: String) throws(BotSetupError) -> CandleSeries? {
        let data = bot.data
        switch data.dataSource {
        case .replay:
            guard let file = data.file else {
                throw BotSetupError("data.file is required for data_source 'replay'", field: "$.data.file")
            }
            let path =
                file.hasPrefix("/")
                ? file : URL(fileURLWithPath: baseDirectory).appendingPathComponent(file).path
            let series: CandleSeries
            do {
                series = try CandleSeries.load(
                    from: URL(fileURLWithPath: path), symbol: data.symbol, timeframe: data.interval)
            } catch {
                throw BotSetupError("data.file: \(error)", field: "$.data.file")
            }
            guard !series.candles.isEmpty else {
                throw BotSetupError("data.file \(path) has no candles", field: "$.data.file")
            }
            return series
        case .simulated:
            let price = try? FixedPoint(parsing: "30000")
            return SyntheticMarket.generate(
                SyntheticMarket.Configuration(
                    seed: 20_260_101, symbol: data.symbol, startPrice: price ?? .zero, timeframe: data.interval,
                    count: 20_000))
        case .binance, .yahoo, .okx, .ibkr:
            return nil
        }
    }

    /// Builds a runner for one (re)start: everything fresh but the stores.
    /// - Parameter database: the stores (journal, orders, paper account) the bot resumes from.
    /// - Returns: a runner that rebuilds the bot's state from its journal when run.
    ///   - bots: where the runner stores lifecycle and trading-state changes (default: the database's table).
    public func makeRunner(database: PetrelDatabase, bots: (any BotRepository)? = nil) async throws -> BotRunner {
        guard let series else { return try await makeLiveRunner(database: database, bots: bots) }
        let candles = series.candles
        let lookback = min(bot.data.lookbackBars, max(0, candles.count - 1))
        let start = ReplayMarketDataClient.resumeIndex(
            in: candles, after: try await database.journal.lastCandleTime(bot: botID), lookback: lookback)
        let timeframe = bot.data.interval
        let clock = MarketClock(
            start > 0 ? candles[start - 1].timestamp + timeframe.milliseconds : candles[0].timestamp)
        let paper = try await openPaperExchange(rules: rules, database: database, clock: clock)
        let speed: Double
        switch bot.data.speed {
        case .multiple(let multiple)?: speed = multiple
        case .unlimited?, nil: speed = 0
        }
        let replay = try ReplayMarketDataClient(
            venue: bot.data.dataSource.rawValue, series: series, start: start, speed: speed)
        let service = MarketDataService(
            clients: [replay], clock: clock,
            configuration: MarketDataService.Configuration(
                retryIntervalMilliseconds: Int64(bot.data.retryInterval) * 1_000))
        let strategyDrill = self.strategyDrill
        if strategyDrill != nil {
            activity.record(.notice("fault drill: the strategy will throw once (\(StrategyFaultDrill.variable))"))
        }
        let makeKernel = try kernelRecipe(
            protection: paper.supportsStopOrders ? .venueOrders : .clientSide, strategyDrill: strategyDrill)
        let environment = BotEnvironment(
            botID: botID, mode: dryRun ? .dryRun : .paper, brokerType: bot.broker.type.rawValue,
            makeKernel: makeKernel,
            execution: paper, quoteVenue: paper, candleQuoteSpread: try FixedPoint(approximating: Self.quoteSpread),
            orderStore: database.orderStore(bot: botID), journal: database.journal, bots: bots ?? database.bots,
            equity: database.equity, marketData: service,
            feed: CandleFeedKey(venue: replay.venue, symbol: bot.data.symbol, timeframe: timeframe),
            lookback: lookback, clock: clock, marketClock: clock, sleeper: TaskSleeper(),
            orderConfiguration: OrderManagerConfiguration(
                visibilityWindow: 0, resubmitWithin: max(60_000, 2 * timeframe.milliseconds)),
            timerInterval: 0,
            observe: observer(), reconcileRetry: 1_000, reconcileAttempts: 5)
        return try BotRunner(environment: environment)
    }

    /// The bot's paper account on the paper exchange (with this process's fault drill, if one runs).
    func openPaperExchange(rules: InstrumentRules, database: PetrelDatabase, clock: any TradingClock) async throws
        -> PaperExchange
    {
        let commission = try FixedPoint(approximating: bot.broker.commission)
        let paper = try await PaperExchange.open(
            configuration: PaperExchangeConfiguration(
                venue: "paper", rules: [rules], makerFeeRate: commission, takerFeeRate: commission,
                slippage: try FixedPoint(approximating: Self.paperSlippage)),
            balances: [bot.data.symbol.quote: bot.broker.initialBalance], store: database.paperAccounts,
            account: botID, clock: clock)
        if let plan = faultDrill?.take() {
            activity.record(
                .notice("fault drill: the paper exchange will fail \(plan.summary) (\(FaultDrill.variable))"))
            await plan.inject(into: paper)
        }
        return paper
    }

    /// Where everything the bot does goes: its activity log, its notifications and the listener.
    func observer() -> @Sendable (BotActivity) -> Void {
        let activity = self.activity
        let listener = self.listener
        let notifications = self.notifications
        return { event in
            activity.record(event)
            notifications?.observe(event)
            listener?(event)
        }
    }

    /// How this bot's kernel is built, fresh each time (a start, a restart, a replay of its journal).
    /// - Parameters:
    ///   - protection: how stops and targets are placed (the paper exchange takes stop orders).
    ///   - strategyDrill: a strategy fault drill to wrap the strategy in, if one runs.
    ///   - rules: the instrument's trading rules (default: the ones known before the start).
    func kernelRecipe(protection: ProtectionMode, strategyDrill: StrategyFaultDrill?, rules: InstrumentRules? = nil)
        throws -> @Sendable () throws -> TradingKernel
    {
        let selection = try StrategyRegistry.select(bot.strategy, source: "config")
        let resolved = try selection.descriptor.schema.resolve(selection.values)
        let descriptor = selection.descriptor
        let kernelConfiguration = KernelConfiguration(
            botID: botID, risk: bot.risk, sizing: bot.positionSizing.scaled(by: sizingMultiplier),
            costReserve: bot.broker.commission + Self.paperSlippage + Self.quoteSpread + Self.gapMargin,
            initialCash: bot.broker.initialBalance,
            entryRetryIntervals: KernelConfiguration.defaultEntryRetryIntervals,
            protection: protection)
        let rules = rules ?? self.rules
        let timeframe = bot.data.interval
        return {
            try TradingKernel(
                configuration: kernelConfiguration,
                instruments: [
                    KernelInstrument(
                        rules: rules, strategy: try strategyDrill.wrap(descriptor.make(resolved)), timeframe: timeframe)
                ])
        }
    }

    /// Replays the bot's stored journal on a fresh kernel: its closed trades and open positions,
    /// whether or not it runs now.
    /// - Parameter database: where the journal is.
    public func replayJournal(database: PetrelDatabase) async throws -> JournalReplay.Outcome {
        let entries = try await database.journal.entries(bot: botID)
        var kernel = try kernelRecipe(protection: .venueOrders, strategyDrill: nil)()
        return JournalReplay.replay(entries, on: &kernel)
    }
}

/// A fault drill against the paper exchange: `PETREL_PAPER_FAULTS=submit=timeout_after_accept` makes
/// the first paper exchange of the process fail as written (see ``PaperFaultPlan``), so the order
/// manager's recovery can be exercised on the real binary. Used once: a restarted runner gets none.
public final class FaultDrill: Sendable {
    static let variable = "PETREL_PAPER_FAULTS"
    private let pending: Mutex<PaperFaultPlan?>

    /// `nil` when the variable is unset or empty.
    /// - Throws: ``BotSetupError`` naming the variable and the allowed operations and faults.
    init?(environment: [String: String]) throws(BotSetupError) {
        guard let text = environment[Self.variable], !text.isEmpty else { return nil }
        do {
            pending = Mutex(try PaperFaultPlan(parsing: text))
        } catch {
            throw BotSetupError("\(Self.variable): \(error)", field: Self.variable)
        }
    }

    /// The plan, the first time only.
    func take() -> PaperFaultPlan? {
        pending.withLock { plan in
            defer { plan = nil }
            return plan
        }
    }
}
