import PetrelCore

/// What one ``PortfolioBotRunner/runCycle()`` did: the quotes it got, the pairs it skipped, the
/// decision, the trade and every problem, for logs, the dashboard and tests.
public struct PortfolioCycleReport: Sendable, Hashable {
    /// A pair whose quote could not be used this cycle.
    public struct SkippedPair: Sendable, Hashable {
        /// The pair.
        public var symbol: Symbol
        /// Why (the market data error, or an invalid book).
        public var reason: String

        /// Creates an entry.
        public init(symbol: Symbol, reason: String) {
            self.symbol = symbol
            self.reason = reason
        }
    }

    /// The bot clock when the cycle started, Unix ms (the decision's `now`).
    public var startedAt: Int64
    /// The usable quotes fetched, in the order of the enabled pairs.
    public var quotes: [Quote]
    /// Pairs without a usable quote this cycle; the cycle went on without them.
    public var skippedPairs: [SkippedPair]
    /// Free balance per asset read from the venue; `nil` when the balances could not be read (no decision then).
    public var holdings: [String: Money]?
    /// The decision; `nil` when the cycle could not decide (balances unavailable, cycle skipped).
    public var decision: PortfolioBotDecision.Decision?
    /// The trade decided this cycle: executed, failed, pending (dry run, or outcome still unknown).
    public var trade: PortfolioTradeResult?
    /// An earlier trade whose order outcome became known this cycle, as it was settled.
    public var resolvedTrade: PortfolioTradeResult?
    /// Why a trade that was decided was not attempted (trading blocked, a trade still in flight).
    public var notTradedReason: String?
    /// Everything that went wrong, as sentences (also sent as ``PortfolioBotEvent/error(_:)``).
    public var problems: [String]

    /// An empty report of a cycle that started at `startedAt`.
    /// - Parameter startedAt: Unix ms.
    public init(startedAt: Int64) {
        self.startedAt = startedAt
        quotes = []
        skippedPairs = []
        holdings = nil
        decision = nil
        trade = nil
        resolvedTrade = nil
        notTradedReason = nil
        problems = []
    }
}
