/// Seed 000's `update_config`: the settings a running portfolio bot accepts, each optional (an
/// absent field keeps its value). Applied all or nothing by ``PortfolioBotRunner/updateSettings(_:)``.
public struct PortfolioBotSettingsUpdate: Sendable, Hashable {
    /// `risk_tolerance`, 0–1.
    public var riskTolerance: Double?
    /// `min_confidence` (`min_confidence_score`), 0–1.
    public var minConfidence: Double?
    /// `trade_size_amount` or `trade_size_percentage` (0.01–1).
    public var tradeSize: TradeSize?
    /// `check_interval_seconds` (`check_interval`), 1–300.
    public var checkIntervalSeconds: Int?
    /// `cache_ttl_seconds` (`cache_ttl`), 1–60.
    public var cacheTTLSeconds: Int?

    /// Creates an update; every field defaults to "unchanged".
    /// - Parameters:
    ///   - riskTolerance: 0–1.
    ///   - minConfidence: 0–1.
    ///   - tradeSize: a positive fixed amount or a fraction 0.01–1.
    ///   - checkIntervalSeconds: 1–300.
    ///   - cacheTTLSeconds: 1–60.
    public init(
        riskTolerance: Double? = nil, minConfidence: Double? = nil, tradeSize: TradeSize? = nil,
        checkIntervalSeconds: Int? = nil, cacheTTLSeconds: Int? = nil
    ) {
        self.riskTolerance = riskTolerance
        self.minConfidence = minConfidence
        self.tradeSize = tradeSize
        self.checkIntervalSeconds = checkIntervalSeconds
        self.cacheTTLSeconds = cacheTTLSeconds
    }
}
