import PetrelCore

/// Seed 000's `BotConfig` as far as the decision core needs it, validated on creation.
///
/// `check_interval_seconds` is not here: how often ``PortfolioBotDecision/decide(holdings:quotes:now:)``
/// runs is the bot task's business. Every stored value has passed the range checks of the initialiser,
/// so a value of this type is always usable.
public struct PortfolioBotSettings: Sendable, Hashable {
    /// The seed's third rule: a trade needs an expected return strictly above 0.1 %.
    public static let minimumExpectedReturn = 0.001
    /// Trade-history rows kept when nothing else is configured (the seed keeps 100).
    public static let defaultHistoryKeep = 100
    /// The longest accepted volatility window (a bound on memory per symbol).
    public static let maximumVolatilityWindow = 1_000

    /// Highest acceptable risk score, 0 (conservative) to 1 (aggressive); `risk_tolerance`.
    public let riskTolerance: Double
    /// Lowest acceptable confidence, 0–1; `min_confidence_score`.
    public let minConfidence: Double
    /// Amount given up per trade.
    public let tradeSize: TradeSize
    /// How long a quote stays usable after it arrived, 1–60 s; `cache_ttl_seconds`.
    public let cacheTTLSeconds: Int
    /// Number of returns the volatility and momentum are measured over, 2–1000 (default 10).
    public let volatilityWindow: Int
    /// Commission per leg as a fraction of the traded value (0.001 = 0.1 %), 0 to below 0.1; the
    /// spread is charged separately from the quote.
    public let feeRate: Double
    /// Trade-history rows to keep after each executed trade; 0 keeps all.
    public let historyKeep: Int
    /// Every configured pair, enabled or not, in the order given.
    public let pairs: [TradingPairSetting]

    /// Validates and creates the settings.
    /// - Parameters:
    ///   - riskTolerance: 0–1; 0.5 by default (the seed's default).
    ///   - minConfidence: 0–1; 0.7 by default (the seed's default).
    ///   - tradeSize: fixed amount or fraction of holding; 10 % by default.
    ///   - cacheTTLSeconds: 1–60; 3 by default (the seed recommends 3–5).
    ///   - volatilityWindow: 2–1000 returns; 10 by default.
    ///   - feeRate: commission per leg, `0 ≤ fee < 0.1`; 0 by default.
    ///   - historyKeep: rows kept, at least 0 (0 = all); 100 by default.
    ///   - pairs: spot pairs with priority and enabled flag; no two may trade the same two assets.
    /// - Throws: ``PortfolioBotError`` naming the first bad field by its seed key.
    public init(
        riskTolerance: Double = 0.5, minConfidence: Double = 0.7, tradeSize: TradeSize = .default,
        cacheTTLSeconds: Int = 3, volatilityWindow: Int = RiskAnalyzer.defaultWindow, feeRate: Double = 0,
        historyKeep: Int = PortfolioBotSettings.defaultHistoryKeep, pairs: [TradingPairSetting]
    ) throws(PortfolioBotError) {
        try Self.check(riskTolerance, "risk_tolerance", in: 0...1, allowed: "a number from 0 to 1")
        try Self.check(minConfidence, "min_confidence_score", in: 0...1, allowed: "a number from 0 to 1")
        try tradeSize.validate()
        guard (1...60).contains(cacheTTLSeconds) else {
            throw .outOfRange(field: "cache_ttl_seconds", value: "\(cacheTTLSeconds)", allowed: "1 to 60 seconds")
        }
        guard (2...Self.maximumVolatilityWindow).contains(volatilityWindow) else {
            throw .outOfRange(
                field: "volatility_window", value: "\(volatilityWindow)",
                allowed: "2 to \(Self.maximumVolatilityWindow) returns")
        }
        try Self.check(feeRate, "fee_rate", in: 0..<0.1, allowed: "a fraction from 0 up to (not including) 0.1")
        guard historyKeep >= 0 else {
            throw .outOfRange(field: "history_keep", value: "\(historyKeep)", allowed: "0 (keep all) or more")
        }
        var seen: Set<Set<String>> = []
        for (index, pair) in pairs.enumerated() {
            let field = "pairs[\(index)]"
            guard pair.symbol.kind == .spot else {
                throw .unsupportedPair(
                    field: field, symbol: "\(pair.symbol)", reason: "only spot pairs convert holdings")
            }
            guard seen.insert([pair.symbol.base, pair.symbol.quote]).inserted else {
                throw .duplicatePair(field: field, symbol: "\(pair.symbol)")
            }
        }
        self.riskTolerance = riskTolerance
        self.minConfidence = minConfidence
        self.tradeSize = tradeSize
        self.cacheTTLSeconds = cacheTTLSeconds
        self.volatilityWindow = volatilityWindow
        self.feeRate = feeRate
        self.historyKeep = historyKeep
        self.pairs = pairs
    }

    /// The enabled pairs in configuration order.
    public var enabledPairs: [TradingPairSetting] { pairs.filter(\.isEnabled) }

    /// The seed's decision rule with these thresholds.
    public var rule: TradeRule { TradeRule(minConfidence: minConfidence, riskTolerance: riskTolerance) }

    private static func check(
        _ value: Double, _ field: String, in range: some RangeExpression<Double>, allowed: String
    ) throws(PortfolioBotError) {
        guard value.isFinite && range.contains(value) else {
            throw .outOfRange(field: field, value: "\(value)", allowed: allowed)
        }
    }
}
