import PetrelCore

/// Seed 000's `get_status` for one running portfolio bot.
///
/// Trade counts are those of this runner since it was created (the history store keeps the rows,
/// and retention removes old ones, so counting there would not be stable).
public struct PortfolioBotStatus: Sendable, Hashable {
    /// The bot's id.
    public var botID: String
    /// Whether ``PortfolioBotRunner/run()`` is looping.
    public var isRunning: Bool
    /// Seed 000's `--dry-run`: decisions are recorded, nothing is sent.
    public var isDryRun: Bool
    /// The decision settings in force.
    public var settings: PortfolioBotSettings
    /// Seconds between cycles (`check_interval_seconds`).
    public var checkIntervalSeconds: Int
    /// Cycles run so far.
    public var cycles: Int
    /// When the last cycle started, Unix ms; `nil` before the first.
    public var lastCycleAt: Int64?
    /// The last decision: BUY, SELL, CONVERT or HOLD.
    public var lastDecision: TradeDecision?
    /// Its reasoning.
    public var lastReasoning: String?
    /// The latest usable quote seen per pair.
    public var prices: [Symbol: Quote]
    /// Free balance per asset as last read from the venue.
    public var holdings: [String: Money]
    /// Trades settled EXECUTED.
    public var executedTrades: Int
    /// Trades settled FAILED.
    public var failedTrades: Int
    /// Trades recorded and left PENDING: dry-run records and trades whose order outcome is unknown.
    public var pendingTrades: Int
    /// The last order sequence number used (client ids are `ClientOrderID(botID:sequence:)`).
    public var orderSequence: UInt64
    /// Why no order would go out now, or `nil`.
    public var tradingBlockedReason: String?
    /// The last problem reported, or `nil`.
    public var lastError: String?
}
