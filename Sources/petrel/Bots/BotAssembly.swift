import Foundation
import Logging
import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelPersistence
import PetrelRuntime
import PetrelStrategies
import Synchronization

/// The composition root of a strategy bot (seed 002's config) on the paper exchange over a replayed
/// or simulated market: picks the stores, the venue, the feed and the kernel recipe.
struct BotAssembly: Sendable {
    let botID: String
    let bot: BotConfiguration
    let configText: String
    let dataDirectory: String
    let dryRun: Bool
    let series: CandleSeries
    let rules: InstrumentRules
    let activity: BotActivityLog
    let quiet: Bool
    /// Faults for the first paper exchange of this process (`PETREL_PAPER_FAULTS`), if a drill runs.
    let faultDrill: FaultDrill?
    /// A strategy that throws once (`PETREL_STRATEGY_FAULT`), if a drill runs.
    let strategyDrill: StrategyFaultDrill?

    /// The paper exchange's slippage on market orders (fraction of the price).
    static let paperSlippage = 0.0005
    /// The bid/ask spread of the quotes derived from each candle (fraction of the price).
    static let quoteSpread = 0.0001
    /// Kept back beyond fees, slippage and spread when an entry is sized against all the cash, so a
    /// small move between the decision (a candle's close) and the fill (the next quotes) still fits.
    static let gapMargin = 0.001

    /// Loads and checks everything a bot needs before anything starts.
    static func load(
        configPath: String, id: String?, dataDirectory: String, dryRun: Bool, quiet: Bool
    ) throws -> BotAssembly {
        let bytes = try StrategyOptions.readConfig(configPath)
        let bot = try StrategyOptions.parseConfig(bytes, source: configPath)
        let botID = try id.map(validID) ?? validID(Self.defaultID(configPath))
        guard botID != RunbotCommand.botID else {
            throw CLIError(
                "bot id '\(botID)' is reserved for seed 000's portfolio bot, which runs with 'petrel runbot'; pass another --id (or rename the config file)"
            )
        }
        switch bot.broker.type {
        case .paper, .binancePaper, .mock: break
        default:
            guard dryRun else {
                throw CLIError(
                    "broker.type '\(bot.broker.type.rawValue)' trades real money through a venue adapter, which this build does not have yet; use 'paper', 'binance_paper' or 'mock', or --dry-run"
                )
            }
        }
        let faultDrill = try FaultDrill(environment: ProcessInfo.processInfo.environment)
        let strategyDrill = try StrategyFaultDrill(environment: ProcessInfo.processInfo.environment)
        let series = try marketSeries(bot, configPath: configPath)
        let rules: InstrumentRules
        do {
            rules = try InstrumentRules(symbol: bot.data.symbol, tickSize: .ulp, stepSize: .ulp)
        } catch {
            throw CLIError("\(error)")
        }
        BotFiles.registerSecrets(bot.secrets)
        let options = BotActivityLog.Options(
            level: PetrelLogHandler.level(named: bot.logging?.level ?? "INFO"),
            saveTrades: bot.logging?.saveTrades ?? true, saveEquityCurve: bot.logging?.saveEquityCurve ?? true,
            logFile: bot.logging?.logFile, console: !quiet)
        let activity = try BotFiles.openActivityLog(botID: botID, dataDirectory: dataDirectory, options: options)
        return BotAssembly(
            botID: botID, bot: bot, configText: String(decoding: bytes, as: UTF8.self), dataDirectory: dataDirectory,
            dryRun: dryRun, series: series, rules: rules, activity: activity, quiet: quiet, faultDrill: faultDrill,
            strategyDrill: strategyDrill)
    }

    /// The file name without extensions: `config/0001.json` runs as bot `0001`.
    static func defaultID(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        while let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name
    }

    static func validID(_ id: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        guard (1...40).contains(id.count), id.allSatisfy({ allowed.contains($0) }) else {
            throw CLIError("bot id '\(id)' must be 1 to 40 letters, digits, '_' or '-' (pass --id)")
        }
        return id
    }

    /// The candles of a `replay` (the config's `data.file`) or `simulated` data source.
    static func marketSeries(_ bot: BotConfiguration, configPath: String) throws -> CandleSeries {
        let data = bot.data
        switch data.dataSource {
        case .replay:
            guard let file = data.file else { throw CLIError("data.file is required for data_source 'replay'") }
            let path =
                file.hasPrefix("/")
                ? file
                : URL(fileURLWithPath: configPath).deletingLastPathComponent().appendingPathComponent(file).path
            do {
                let series = try CandleSeries.load(
                    from: URL(fileURLWithPath: path), symbol: data.symbol, timeframe: data.interval)
                guard !series.candles.isEmpty else { throw CLIError("data.file \(path) has no candles") }
                return series
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("data.file: \(error)")
            }
        case .simulated:
            let price = try? FixedPoint(parsing: "30000")
            return SyntheticMarket.generate(
                SyntheticMarket.Configuration(
                    seed: 20_260_101, symbol: data.symbol, startPrice: price ?? .zero, timeframe: data.interval,
                    count: 20_000))
        default:
            throw CLIError(
                "data.data_source '\(data.dataSource.rawValue)' streams from a venue, which this build cannot reach yet; use 'replay' (with data.file) or 'simulated'"
            )
        }
    }

    /// Builds a runner for one (re)start: everything fresh but the stores.
    func makeRunner(database: PetrelDatabase) async throws -> BotRunner {
        let candles = series.candles
        let lookback = min(bot.data.lookbackBars, max(0, candles.count - 1))
        let start = ReplayMarketDataClient.resumeIndex(
            in: candles, after: try await database.journal.lastCandleTime(bot: botID), lookback: lookback)
        let timeframe = bot.data.interval
        let clock = MarketClock(
            start > 0 ? candles[start - 1].timestamp + timeframe.milliseconds : candles[0].timestamp)
        let quote = bot.data.symbol.quote
        let commission = try FixedPoint(approximating: bot.broker.commission)
        let paper = try await PaperExchange.open(
            configuration: PaperExchangeConfiguration(
                venue: "paper", rules: [rules], makerFeeRate: commission, takerFeeRate: commission,
                slippage: try FixedPoint(approximating: Self.paperSlippage)),
            balances: [quote: bot.broker.initialBalance], store: database.paperAccounts, account: botID, clock: clock)
        if let plan = faultDrill?.take() {
            activity.record(
                .notice("fault drill: the paper exchange will fail \(plan.summary) (\(FaultDrill.variable))"))
            await plan.inject(into: paper)
        }
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
        let selection = try StrategyRegistry.select(bot.strategy, source: "config")
        let resolved = try selection.descriptor.schema.resolve(selection.values)
        let descriptor = selection.descriptor
        let kernelConfiguration = KernelConfiguration(
            botID: botID, risk: bot.risk, sizing: bot.positionSizing,
            costReserve: bot.broker.commission + Self.paperSlippage + Self.quoteSpread + Self.gapMargin,
            initialCash: bot.broker.initialBalance,
            entryRetryIntervals: KernelConfiguration.defaultEntryRetryIntervals,
            protection: paper.supportsStopOrders ? .venueOrders : .clientSide)
        let rules = self.rules
        let activity = self.activity
        let strategyDrill = self.strategyDrill
        if strategyDrill != nil {
            activity.record(.notice("fault drill: the strategy will throw once (\(StrategyFaultDrill.variable))"))
        }
        let environment = BotEnvironment(
            botID: botID, mode: dryRun ? .dryRun : .paper, brokerType: bot.broker.type.rawValue,
            makeKernel: {
                try TradingKernel(
                    configuration: kernelConfiguration,
                    instruments: [
                        KernelInstrument(
                            rules: rules,
                            strategy: try strategyDrill.wrap(descriptor.make(resolved)),
                            timeframe: timeframe)
                    ])
            },
            execution: paper, quoteVenue: paper, candleQuoteSpread: try FixedPoint(approximating: Self.quoteSpread),
            orderStore: database.orderStore(bot: botID), journal: database.journal, bots: database.bots,
            equity: database.equity, marketData: service,
            feed: CandleFeedKey(venue: replay.venue, symbol: bot.data.symbol, timeframe: timeframe),
            lookback: lookback, clock: clock, marketClock: clock, sleeper: TaskSleeper(),
            orderConfiguration: OrderManagerConfiguration(
                visibilityWindow: 0, resubmitWithin: max(60_000, 2 * timeframe.milliseconds)),
            timerInterval: 0, observe: { activity.record($0) }, reconcileRetry: 1_000, reconcileAttempts: 5)
        return try BotRunner(environment: environment)
    }
}

/// A fault drill against the paper exchange: `PETREL_PAPER_FAULTS=submit=timeout_after_accept` makes
/// the first paper exchange of the process fail as written (see ``PaperFaultPlan``), so the order
/// manager's recovery can be exercised on the real binary. Used once: a restarted runner gets none.
final class FaultDrill: Sendable {
    static let variable = "PETREL_PAPER_FAULTS"
    private let pending: Mutex<PaperFaultPlan?>

    /// `nil` when the variable is unset or empty.
    /// - Throws: ``CLIError`` naming the variable and the allowed operations and faults.
    init?(environment: [String: String]) throws {
        guard let text = environment[Self.variable], !text.isEmpty else { return nil }
        do {
            pending = Mutex(try PaperFaultPlan(parsing: text))
        } catch {
            throw CLIError("\(Self.variable): \(error)")
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
