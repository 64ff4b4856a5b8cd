import Foundation
import Logging
import PetrelCore
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime
import PetrelServer

/// The composition root of `petrel runbot`: the portfolio bot on a paper account kept in SQLite, quoted
/// by the built-in simulated market, or, with `"broker": {"type": "uphold"}`, converting between the cards
/// of an Uphold account at Uphold's tickers (``RunbotAssembly/Uphold``).
struct RunbotAssembly {
    /// Quote-asset balance of a new paper account when no `--config` gives `broker.initial_balance`.
    static let defaultBalance: Money = 10_000
    /// Commission per leg when no `--config` gives `broker.commission` (0.1 %).
    static let defaultCommission = 0.001

    let runner: PortfolioBotRunner
    /// The paper account; `nil` on Uphold.
    let paper: PaperExchange?
    /// Where orders go (the paper account or Uphold).
    let client: any ExecutionClient
    /// Uphold's base URL when the bot trades there.
    let upholdURL: String?
    let activity: BotActivityLog
    let quiet: Bool
    let dataDirectory: String
    let database: PetrelDatabase

    /// Reads and checks a `--config` file.
    /// - Throws: ``CLIError`` naming the file and every problem with its JSON path.
    static func loadConfig(_ path: String) throws -> PortfolioBotConfiguration {
        let data = try StrategyOptions.readConfig(path)
        let configuration: PortfolioBotConfiguration
        do {
            configuration = try PortfolioBotConfiguration.parse(data, source: path)
        } catch {
            throw CLIError(error.description)
        }
        let type = configuration.broker.type
        guard !type.isLive || type == .uphold else {
            throw CLIError(
                "\(path): broker.type '\(type.rawValue)' is not a portfolio venue: runbot converts on Uphold ('uphold') or trades a paper account on the simulated market ('paper', 'binance_paper' or 'mock')"
            )
        }
        if type == .uphold {
            guard configuration.broker.account == nil else {
                throw CLIError(
                    "\(path): broker.account: runbot reads the Uphold token from \"token\": \"${UPHOLD_TOKEN}\"; stored exchange accounts are for the server"
                )
            }
            guard configuration.broker.token != nil else {
                throw CLIError(
                    "\(path): broker.type 'uphold' needs \"token\": \"${UPHOLD_TOKEN}\" (a personal access token)")
            }
        }
        BotFiles.registerSecrets(configuration.secrets)
        return configuration
    }

    /// The commission per leg: the file's `broker.commission`, else 0.1 %.
    static func feeRate(_ file: PortfolioBotConfiguration?) throws -> Double {
        let rate = file?.broker.commission ?? defaultCommission
        guard rate >= 0, rate < 0.1 else {
            throw CLIError("broker.commission \(rate) is not allowed for a portfolio bot (expected 0 up to 0.1)")
        }
        return rate
    }

    /// Builds the runner: log files, the paper account (read-only in a dry run), the simulated market
    /// feeding it, the order driver continuing the stored order sequence.
    static func make(
        plan: RunbotPlan, file: PortfolioBotConfiguration?, feeRate: Double, dryRun: Bool, quiet: Bool,
        dataDirectory: String, database: PetrelDatabase
    ) async throws -> RunbotAssembly {
        let botID = RunbotCommand.botID
        let options = BotActivityLog.Options(
            level: PetrelLogHandler.level(named: file?.logging?.level ?? "INFO"),
            saveTrades: file?.logging?.saveTrades ?? true, saveEquityCurve: false, logFile: file?.logging?.logFile,
            console: !quiet)
        let upholdClient = try file.flatMap(uphold)
        let activity = try BotFiles.openActivityLog(botID: botID, dataDirectory: dataDirectory, options: options)
        let clock = LiveClock()
        let symbols = plan.pairs.map(\.symbol)
        let paper: PaperExchange?
        let client: any ExecutionClient
        let market: any MarketDataClient
        if let upholdClient {
            paper = nil
            client = UpholdExecutionClient(client: upholdClient)
            market = UpholdMarketDataClient(client: upholdClient)
        } else {
            let account: PaperExchange
            do {
                account = try await openPaper(
                    symbols: symbols, file: file, feeRate: feeRate, dryRun: dryRun, database: database, clock: clock)
            } catch {
                activity.close()
                throw error
            }
            paper = account
            client = account
            market = SimulatedQuoteClient(symbols: Set(symbols), clock: clock, feeding: account)
        }
        let service = MarketDataService(clients: [market], clock: clock)
        let orders = database.orderStore(bot: botID)
        let driver = dryRun ? nil : OrderDriver(client: client, store: orders, clock: clock, sleeper: TaskSleeper())
        let priceLabel = upholdClient == nil ? "simulated" : "uphold"
        let runner: PortfolioBotRunner
        do {
            runner = try PortfolioBotRunner(
                botID: botID, settings: plan.settings, checkIntervalSeconds: plan.record.checkIntervalSeconds,
                venue: market.venue, marketData: service, client: client, driver: driver,
                history: database.tradeHistory(bot: botID), snapshots: database.priceSnapshots, clock: clock,
                sleeper: TaskSleeper(), dryRun: dryRun,
                lastOrderSequence: lastSequence(try await orders.recentOrders(limit: 1), botID: botID),
                onEvent: { event in activity.record(event, priceLabel: priceLabel) })
        } catch {
            activity.close()
            throw CLIError("\(error)")
        }
        return RunbotAssembly(
            runner: runner, paper: paper, client: client, upholdURL: upholdClient?.baseURL, activity: activity,
            quiet: quiet, dataDirectory: dataDirectory, database: database)
    }

    /// The Uphold client of an `uphold` broker (`nil` for a paper one): `base_url` or Uphold's live API, the
    /// token from the environment variable `token` names.
    /// - Throws: ``CLIError`` naming the variable when it is unset or empty (never its value).
    static func uphold(_ file: PortfolioBotConfiguration) throws -> UpholdClient? {
        guard file.broker.type == .uphold, let reference = file.broker.token else { return nil }
        let token: String
        do {
            token = try reference.resolve(in: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError("broker.token: \(error)")
        }
        return UpholdClient(baseURL: file.broker.baseURL ?? UpholdClient.liveURL, token: token)
    }

    /// The paper account `portfolio`: the stored one, or a new one holding the starting balance in each
    /// quote asset. A dry run works on a copy in memory, so it never changes the stored account.
    static func openPaper(
        symbols: [Symbol], file: PortfolioBotConfiguration?, feeRate: Double, dryRun: Bool, database: PetrelDatabase,
        clock: any TradingClock
    ) async throws -> PaperExchange {
        let fee = try FixedPoint(approximating: feeRate)
        let tick = Price(rawValue: 1_000_000)
        let step = Quantity(rawValue: 100)
        let rules = try symbols.map { try InstrumentRules(symbol: $0, tickSize: tick, stepSize: step) }
        let configuration = PaperExchangeConfiguration(
            venue: "paper", rules: rules, makerFeeRate: fee, takerFeeRate: fee, slippage: .zero)
        let balance = file?.broker.initialBalance ?? defaultBalance
        let balances = Dictionary(symbols.map { ($0.quote, balance) }, uniquingKeysWith: { first, _ in first })
        let botID = RunbotCommand.botID
        let store: any PaperAccountStore
        if dryRun {
            let copy = InMemoryPaperAccountStore()
            if let saved = try await database.paperAccounts.load(account: botID) {
                try await copy.save(saved, account: botID)
            }
            store = copy
        } else {
            store = database.paperAccounts
        }
        do {
            return try await PaperExchange.open(
                configuration: configuration, balances: balances, store: store, account: botID, clock: clock)
        } catch {
            throw CLIError("cannot open the paper account \(botID): \(error)")
        }
    }

    /// The sequence of the bot's newest stored order (0 without one), so client order ids never repeat.
    static func lastSequence(_ newest: [Order], botID: String) -> UInt64 {
        newest.compactMap { $0.clientOrderID.sequence(ofBot: botID) }.max() ?? 0
    }

    /// Registers the bot in the `bots` table (so `petrel bot status` and the server list it) and
    /// marks it running; a dry run registers as `dry_run`.
    func register() async {
        let now = LiveClock().now()
        do {
            if try await database.bots.bot(runner.botID) == nil {
                try await database.bots.save(
                    BotRecord(
                        id: runner.botID, name: "portfolio bot", configuration: "{\"bot_type\": \"portfolio\"}",
                        mode: runner.isDryRun ? .dryRun : paper == nil ? .live : .paper, createdAt: now))
            }
        } catch {
            activity.logger.error("bot \(runner.botID) could not be registered: \(error)")
        }
        await setLifecycle(.running)
    }

    func setLifecycle(_ lifecycle: BotLifecycle) async {
        do {
            try await database.bots.updateLifecycle(
                runner.botID, to: lifecycle, error: nil, restartCount: nil, at: LiveClock().now())
        } catch {
            activity.logger.error("bot \(runner.botID): lifecycle \(lifecycle.rawValue) not stored: \(error)")
        }
    }

    /// Applies settings changed in the database by someone else (the server's `update_config`) within two
    /// seconds, all or nothing; a change the bot refuses is logged and skipped.
    func watchSettings() async {
        var seen = (try? await database.portfolioSettings.load(bot: runner.botID))?.updatedAt ?? 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(2))
            guard let record = try? await database.portfolioSettings.load(bot: runner.botID), record.updatedAt > seen
            else { continue }
            seen = record.updatedAt
            do {
                try await runner.updateSettings(
                    PortfolioBotSettingsUpdate(
                        riskTolerance: record.riskTolerance, minConfidence: record.minConfidence,
                        tradeSize: record.tradeSize, checkIntervalSeconds: record.checkIntervalSeconds,
                        cacheTTLSeconds: record.cacheTTLSeconds))
                activity.logger.notice(
                    "bot \(runner.botID): settings changed in the database: risk tolerance \(record.riskTolerance), min confidence \(record.minConfidence), check every \(record.checkIntervalSeconds) s, cache TTL \(record.cacheTTLSeconds) s"
                )
            } catch {
                activity.logger.error("bot \(runner.botID): settings in the database refused: \(error)")
            }
        }
    }

    /// Runs until SIGINT or SIGTERM: the cycle in progress ends, the paper account is saved, the logs
    /// are closed.
    func run() async throws {
        let status = await runner.status()
        let settings = status.settings
        let pairs = settings.enabledPairs.map(\.symbol.description).joined(separator: ", ")
        let balances = (try? await client.balances()) ?? [:]
        let held = balances.keys.sorted().map { "\(balances[$0]?.free ?? .zero) \($0)" }.joined(separator: ", ")
        let venueLine: String
        let account: String
        if let upholdURL {
            let mode =
                runner.isDryRun ? "DRY RUN (no conversions are sent)" : "LIVE: real conversions between your cards"
            venueLine = "bot \(runner.botID): \(mode) on Uphold (\(upholdURL)), priced by its tickers for \(pairs)"
            account = "uphold cards (available): \(held.isEmpty ? "none read" : held)"
        } else {
            let mode = runner.isDryRun ? "DRY RUN (no orders are sent)" : "paper trading"
            venueLine =
                "bot \(runner.botID): \(mode) on the SIMULATED market: deterministic synthetic prices for \(pairs), not real quotes"
            account = "paper account \(runner.botID): \(held.isEmpty ? "empty" : held)"
        }
        let banner = [
            venueLine,
            "settings: risk tolerance \(settings.riskTolerance), min confidence \(settings.minConfidence), "
                + "check every \(status.checkIntervalSeconds) s, cache TTL \(settings.cacheTTLSeconds) s, "
                + "volatility window \(settings.volatilityWindow)",
            account,
        ]
        for line in banner {
            activity.logger.notice("\(line)")
        }
        await register()
        let runner = self.runner
        let loop = Task { await runner.run() }
        let signals = SignalWatcher { loop.cancel() }
        let statusPath = BotFiles.statusPath(dataDirectory: dataDirectory, bot: runner.botID)
        let statusWriter = Task {
            while !Task.isCancelled {
                BotFiles.writeStatus(PortfolioStatusFile(await runner.status(), at: LiveClock().now()), to: statusPath)
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let settingsWatcher = Task { await watchSettings() }
        await loop.value
        signals.cancel()
        statusWriter.cancel()
        settingsWatcher.cancel()
        await statusWriter.value
        let final = await runner.status()
        BotFiles.writeStatus(PortfolioStatusFile(final, at: LiveClock().now()), to: statusPath)
        await setLifecycle(.stopped)
        var failure: String?
        if !runner.isDryRun, let paper {
            do {
                try await paper.checkpoint()
            } catch {
                failure = "the paper account was not saved at exit: \(error)"
            }
        }
        activity.logger.notice(
            "bot \(runner.botID) stopped after \(final.cycles) cycle(s): \(final.executedTrades) executed, \(final.failedTrades) failed, \(final.pendingTrades) pending"
        )
        activity.close()
        if let failure { throw CLIError(failure) }
        if !quiet { Terminal.note("bot \(runner.botID) stopped; state saved in \(dataDirectory)") }
    }
}
