import Foundation
import PetrelAnalytics
import PetrelCore
import PetrelRuntime

/// The complete, serialisable outcome of a backtest: settings, statistics, trades, orders and a
/// sampled equity curve. Same inputs give byte-identical JSON (``jsonData()``).
public struct BacktestResult: Sendable, Codable {
    /// The strategy and its resolved parameters.
    public struct StrategyInfo: Sendable, Hashable, Codable {
        public var name: String
        public var parameters: [String: ParameterValue]

        /// Describes the strategy a result belongs to.
        /// - Parameters:
        ///   - name: the registry name (`ma_crossover`, `custom(RSIBBEntryMixin+RSIBBExitMixin)`).
        ///   - parameters: the resolved parameter values.
        public init(name: String, parameters: [String: ParameterValue]) {
            self.name = name
            self.parameters = parameters
        }
    }

    /// What the run was configured with.
    public struct Settings: Sendable, Hashable, Codable {
        public var initialBalance: Money
        public var makerFee: Double
        public var takerFee: Double
        public var slippage: Double
        public var sizing: String
        public var allowShort: Bool
        public var risk: RiskSettings
    }

    public var strategy: StrategyInfo
    public var settings: Settings
    public var markets: [BacktestRun.MarketSummary]
    public var statistics: PerformanceStatistics
    public var finalEquity: Money
    public var finalCash: Money
    public var totalFees: Money
    public var tradingState: TradingState
    public var openPositions: [Position]
    public var trades: [ClosedTrade]
    public var orders: [OrderRecord]
    /// At most `equityCurvePoints` evenly spaced points (statistics use every bar).
    public var equityCurve: [EquityPoint]
    public var journal: [JournalEntry]
    public var journalDropped: Int

    /// Computes statistics for a run.
    /// - Parameters:
    ///   - run: the engine's output.
    ///   - strategy: the strategy's name and parameters.
    ///   - configuration: the run's configuration.
    public init(run: BacktestRun, strategy: StrategyInfo, configuration: BacktestConfiguration) {
        let outcomes = run.trades.map(TradeOutcome.init)
        let changes = run.markets.compactMap { market -> Double? in
            market.firstClose.isPositive ? market.lastClose.doubleValue / market.firstClose.doubleValue - 1 : nil
        }
        let benchmark =
            changes.isEmpty
            ? nil : Benchmark(firstClose: 1, lastClose: 1 + changes.reduce(0, +) / Double(changes.count))
        let timeframe = run.markets.first?.timeframe ?? .d1
        self.statistics = PerformanceStatistics.compute(
            equityValues: run.equity, timestamps: run.timestamps, trades: outcomes,
            timeInMarket: .bars(inMarket: run.barsInMarket, total: run.equity.count),
            benchmark: benchmark, feesPaid: run.totalFees.doubleValue,
            conventions: AnalyticsConventions(timeframe: timeframe))
        self.strategy = strategy
        self.settings = Settings(
            initialBalance: configuration.initialBalance, makerFee: configuration.costs.makerFee,
            takerFee: configuration.costs.takerFee, slippage: configuration.costs.slippage,
            sizing: configuration.sizing.summary, allowShort: configuration.allowShort, risk: configuration.risk)
        self.markets = run.markets
        self.finalEquity = run.finalEquity
        self.finalCash = run.finalCash
        self.totalFees = run.totalFees
        self.tradingState = run.tradingState
        self.openPositions = run.finalPositions.filter { !$0.isFlat }
        self.trades = run.trades
        self.orders = run.orders
        self.equityCurve = sampledIndices(count: run.equity.count, limit: configuration.equityCurvePoints).map {
            EquityPoint(timestamp: run.timestamps[$0], equity: run.equity[$0])
        }
        self.journal = run.journal
        self.journalDropped = run.journalDropped
    }
}
