import PetrelCore
import PetrelRuntime

/// Everything a backtest produced, at full resolution, before statistics.
public struct BacktestRun: Sendable {
    /// What was traded.
    public struct MarketSummary: Sendable, Hashable, Codable {
        public var symbol: Symbol
        public var timeframe: Timeframe
        public var candles: Int
        public var firstTimestamp: Int64
        public var lastTimestamp: Int64
        public var firstClose: Price
        public var lastClose: Price
    }

    public var markets: [MarketSummary]
    public var trades: [ClosedTrade]
    public var orders: [OrderRecord]
    public var journal: [JournalEntry]
    /// Journal entries beyond the configured limit (counted, not kept).
    public var journalDropped: Int
    /// Equity at every step's close, and the step's timestamp.
    public var equity: [Double]
    public var timestamps: [Int64]
    /// Steps that ended with an open position.
    public var barsInMarket: Int
    public var initialBalance: Money
    public var finalCash: Money
    public var finalEquity: Money
    public var totalFees: Money
    public var finalPositions: [Position]
    public var tradingState: TradingState
}

extension Simulation {
    func finish(markets: [BacktestMarket], configuration: BacktestConfiguration) -> BacktestRun {
        BacktestRun(
            markets: markets.map { market in
                BacktestRun.MarketSummary(
                    symbol: market.symbol, timeframe: market.timeframe, candles: market.count,
                    firstTimestamp: market.first!.timestamp, lastTimestamp: market.last!.timestamp,
                    firstClose: market.first!.close, lastClose: market.last!.close)
            },
            trades: trades, orders: records, journal: journal, journalDropped: journalDropped, equity: equity,
            timestamps: timestamps, barsInMarket: barsInMarket, initialBalance: configuration.initialBalance,
            finalCash: kernel.cash, finalEquity: kernel.lastEquity, totalFees: kernel.totalFees,
            finalPositions: kernel.positions, tradingState: kernel.tradingState)
    }
}
