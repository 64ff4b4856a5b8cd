/// Seed 000's `BotConfig` row of one portfolio bot: the settings a user changed (flags, config file,
/// `update_config`) and that a restart starts from.
///
/// Values are stored as given; ``PortfolioBotSettings`` validates them when a bot is built, so a row
/// written by hand with a bad value is reported by its seed key rather than trusted.
public struct PortfolioSettingsRecord: Sendable, Hashable, Codable {
    /// The bot's id.
    public var botID: String
    /// `risk_tolerance`, 0–1.
    public var riskTolerance: Double
    /// `min_confidence_score`, 0–1.
    public var minConfidence: Double
    /// `trade_size_amount` or `trade_size_percentage`.
    public var tradeSize: TradeSize
    /// `check_interval_seconds`, 1–300.
    public var checkIntervalSeconds: Int
    /// `cache_ttl_seconds`, 1–60.
    public var cacheTTLSeconds: Int
    /// Returns the volatility is measured over, 2–1000.
    public var volatilityWindow: Int
    /// Trade-history rows kept; 0 keeps all.
    public var historyKeep: Int
    /// When the row was last written (Unix ms).
    public var updatedAt: Int64

    /// Creates a record.
    /// - Parameters:
    ///   - botID: the bot's id.
    ///   - riskTolerance: highest acceptable risk score.
    ///   - minConfidence: lowest acceptable confidence.
    ///   - tradeSize: amount per trade.
    ///   - checkIntervalSeconds: seconds between cycles.
    ///   - cacheTTLSeconds: how long a quote stays usable.
    ///   - volatilityWindow: returns in the volatility estimate.
    ///   - historyKeep: trade-history rows kept (0 = all).
    ///   - updatedAt: Unix ms.
    public init(
        botID: String, riskTolerance: Double, minConfidence: Double, tradeSize: TradeSize, checkIntervalSeconds: Int,
        cacheTTLSeconds: Int, volatilityWindow: Int, historyKeep: Int, updatedAt: Int64
    ) {
        self.botID = botID
        self.riskTolerance = riskTolerance
        self.minConfidence = minConfidence
        self.tradeSize = tradeSize
        self.checkIntervalSeconds = checkIntervalSeconds
        self.cacheTTLSeconds = cacheTTLSeconds
        self.volatilityWindow = volatilityWindow
        self.historyKeep = historyKeep
        self.updatedAt = updatedAt
    }
}

/// Where each portfolio bot's ``PortfolioSettingsRecord`` is kept (one per bot).
public protocol PortfolioSettingsStore: Sendable {
    /// The stored settings of `bot`, or `nil` when none were saved.
    /// - Parameter bot: the bot's id.
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    func load(bot: String) async throws(StorageError) -> PortfolioSettingsRecord?

    /// Stores the settings of `record.botID`, replacing what was stored.
    /// - Parameter record: the settings.
    /// - Throws: ``StorageError/storage(_:)`` (a NaN is refused before anything is written).
    func save(_ record: PortfolioSettingsRecord) async throws(StorageError)
}

extension PortfolioSettingsRecord {
    /// Seed 000's defaults (``PortfolioBotConfiguration``'s), for a bot that has no stored settings yet.
    public static func defaults(botID: String, updatedAt: Int64) -> PortfolioSettingsRecord {
        PortfolioSettingsRecord(
            botID: botID, riskTolerance: PortfolioBotConfiguration.defaultRiskTolerance,
            minConfidence: PortfolioBotConfiguration.defaultMinConfidence, tradeSize: .default,
            checkIntervalSeconds: PortfolioBotConfiguration.defaultCheckIntervalSeconds,
            cacheTTLSeconds: PortfolioBotConfiguration.defaultCacheTTLSeconds,
            volatilityWindow: PortfolioBotConfiguration.defaultVolatilityWindow,
            historyKeep: PortfolioBotConfiguration.defaultTradeHistoryRetention, updatedAt: updatedAt)
    }
}
