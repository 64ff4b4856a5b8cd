import Foundation
import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies
import Synchronization

/// The process's stores: the in-memory implementations, shared by every bot as one database would
/// be (order stores are one per bot, as ``PetrelDatabase/orderStore(bot:)`` hands them out).
struct FleetStores {
    let journal = InMemoryBotJournal()
    let equity = InMemoryEquityStore()
    let paperAccounts = InMemoryPaperAccountStore()
    let bots: InMemoryBotRepository

    init() {
        bots = InMemoryBotRepository(journal: journal, equity: equity)
    }
}

/// One bot of the fleet: its market, its strategy and its probe.
struct FleetBot: Sendable {
    let id: String
    let series: CandleSeries
    let strategy: StrategyDescriptor
    let probe: LatencySamples
    /// The bot's replay, once its runner is built (to see how far the feed runs ahead of the bot).
    let replay = ReplaySlot()
}

/// Where a bot's current replay is kept.
final class ReplaySlot: Sendable {
    private let replay = Mutex<ReplayMarketDataClient?>(nil)

    func set(_ client: ReplayMarketDataClient) { replay.withLock { $0 = client } }

    /// Candles replayed so far, or `nil` before the runner was built.
    var replayed: Int? { replay.withLock { $0?.replayed } }
}

/// Builds runners the way `petrel bot run` does (BotAssembly): a paper exchange per bot fed by the
/// candles' quote path, a full-speed replay and a market-data service per bot, a market clock, and
/// the kernel with the strategy's default parameters.
struct FleetAssembly: Sendable {
    let stores: FleetStores
    let lookback: Int
    let activity: FleetActivity
    /// Each bot's share of equity per entry, stop-loss and take-profit: every bot places protective
    /// orders after its entries, so orders go out on fills as well as on decisions.
    let risk = RiskSettings(stopLossPct: 2, takeProfitPct: 4)

    func makeRunner(_ bot: FleetBot) async throws -> BotRunner {
        let candles = bot.series.candles
        guard let symbol = bot.series.symbol, let timeframe = bot.series.timeframe else {
            throw FleetError("\(bot.series.source) has no symbol or timeframe")
        }
        let start = ReplayMarketDataClient.resumeIndex(
            in: candles, after: try await stores.journal.lastCandleTime(bot: bot.id), lookback: lookback)
        let clock = MarketClock(
            start > 0 ? candles[start - 1].timestamp + timeframe.milliseconds : candles[0].timestamp)
        let rules = try InstrumentRules(symbol: symbol, tickSize: .ulp, stepSize: .ulp)
        let commission = try FixedPoint(approximating: 0.001)
        let initialCash = try FixedPoint(parsing: "10000")
        let paper = try await PaperExchange.open(
            configuration: PaperExchangeConfiguration(
                venue: "paper", rules: [rules], makerFeeRate: commission, takerFeeRate: commission,
                slippage: try FixedPoint(approximating: 0.0005)),
            balances: [symbol.quote: initialCash], store: stores.paperAccounts, account: bot.id, clock: clock)
        let replay = try ReplayMarketDataClient(venue: "replay", series: bot.series, start: start, speed: 0)
        bot.replay.set(replay)
        let service = MarketDataService(clients: [replay], clock: clock)
        // As `petrel bot run` configures a paper bot's kernel.
        let kernelConfiguration = KernelConfiguration(
            botID: bot.id, risk: risk, sizing: .percentOfEquity(0.1), costReserve: 0.0015, initialCash: initialCash,
            entryRetryIntervals: KernelConfiguration.defaultEntryRetryIntervals,
            protection: paper.supportsStopOrders ? .venueOrders : .clientSide)
        let descriptor = bot.strategy
        let environment = BotEnvironment(
            botID: bot.id, mode: .paper, brokerType: "paper",
            makeKernel: {
                try TradingKernel(
                    configuration: kernelConfiguration,
                    instruments: [
                        KernelInstrument(rules: rules, strategy: try descriptor.instantiate(), timeframe: timeframe)
                    ])
            },
            execution: paper, quoteVenue: paper, candleQuoteSpread: try FixedPoint(approximating: 0.0001),
            orderStore: InMemoryOrderStore(), journal: stores.journal, bots: stores.bots, equity: stores.equity,
            marketData: service, feed: CandleFeedKey(venue: replay.venue, symbol: symbol, timeframe: timeframe),
            lookback: lookback, clock: clock, marketClock: clock, sleeper: TaskSleeper(),
            orderConfiguration: OrderManagerConfiguration(
                visibilityWindow: 0, resubmitWithin: max(60_000, 2 * timeframe.milliseconds)),
            timerInterval: 0, observe: { [activity, id = bot.id] in activity.observe(id, $0) }, reconcileRetry: 1_000,
            reconcileAttempts: 5, latencyProbe: bot.probe)
        return try BotRunner(environment: environment)
    }
}
