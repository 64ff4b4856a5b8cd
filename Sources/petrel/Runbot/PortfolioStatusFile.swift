import Foundation
import PetrelCore
import PetrelRuntime

/// What `petrel runbot` writes to `DATA_DIR/bots/portfolio/status.json` every second and
/// `petrel bot status portfolio` reads: seed 000's `bot_status` fields (`is_active`,
/// `risk_tolerance`, `min_confidence`, `check_interval`, `cache_ttl`) plus what the runner knows.
struct PortfolioStatusFile: Codable, Equatable {
    var botType = "portfolio"
    var botID: String
    var isActive: Bool
    var dryRun: Bool
    var riskTolerance: Double
    var minConfidence: Double
    var checkInterval: Int
    var cacheTTL: Int
    var tradingPairs: [String]
    var cycles: Int
    var lastCycleAt: Int64?
    var lastDecision: String?
    var lastReasoning: String?
    /// Mid price per pair (`BTC/USD`), exact decimal text.
    var prices: [String: String]
    /// Free balance per asset, exact decimal text.
    var holdings: [String: String]
    var executedTrades: Int
    var failedTrades: Int
    var pendingTrades: Int
    var tradingBlockedReason: String?
    var lastError: String?
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case botType = "bot_type"
        case botID = "bot_id"
        case isActive = "is_active"
        case dryRun = "dry_run"
        case riskTolerance = "risk_tolerance"
        case minConfidence = "min_confidence"
        case checkInterval = "check_interval"
        case cacheTTL = "cache_ttl"
        case tradingPairs = "trading_pairs"
        case cycles
        case lastCycleAt = "last_cycle_at"
        case lastDecision = "last_decision"
        case lastReasoning = "last_reasoning"
        case prices, holdings
        case executedTrades = "executed_trades"
        case failedTrades = "failed_trades"
        case pendingTrades = "pending_trades"
        case tradingBlockedReason = "trading_blocked_reason"
        case lastError = "last_error"
        case updatedAt = "updated_at"
    }

    init(_ status: PortfolioBotStatus, at now: Int64) {
        let settings = status.settings
        botID = status.botID
        isActive = status.isRunning
        dryRun = status.isDryRun
        riskTolerance = settings.riskTolerance
        minConfidence = settings.minConfidence
        checkInterval = status.checkIntervalSeconds
        cacheTTL = settings.cacheTTLSeconds
        tradingPairs = settings.enabledPairs.map(\.symbol.description)
        cycles = status.cycles
        lastCycleAt = status.lastCycleAt
        lastDecision = status.lastDecision?.rawValue
        lastReasoning = status.lastReasoning
        prices = Dictionary(
            status.prices.map { ($0.key.description, $0.value.mid.description) }, uniquingKeysWith: { a, _ in a })
        holdings = status.holdings.mapValues(\.description)
        executedTrades = status.executedTrades
        failedTrades = status.failedTrades
        pendingTrades = status.pendingTrades
        tradingBlockedReason = status.tradingBlockedReason
        lastError = status.lastError
        updatedAt = now
    }

    /// A portfolio bot's status from the bytes of a status file, or `nil` for any other file.
    static func decode(_ data: Data) -> PortfolioStatusFile? {
        try? JSONDecoder().decode(PortfolioStatusFile.self, from: data)
    }

    /// Seed 000's `get_status` as text lines.
    var lines: [String] {
        let last = lastCycleAt.map { ", last at \(CivilDate.iso8601(milliseconds: $0))" } ?? ""
        let priceText = prices.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let holdingText = holdings.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let pairs = tradingPairs.joined(separator: ", ")
        var lines: [String] = []
        lines.append(
            "portfolio bot: \(isActive ? "active" : "inactive")\(dryRun ? " (dry run)" : ""), \(cycles) cycle(s)\(last)"
        )
        lines.append(
            "settings: risk tolerance \(riskTolerance), min confidence \(minConfidence), check every \(checkInterval) s, cache TTL \(cacheTTL) s; pairs \(pairs)"
        )
        lines.append("prices (simulated): \(priceText.isEmpty ? "none yet" : priceText)")
        lines.append("holdings: \(holdingText.isEmpty ? "unknown" : holdingText)")
        lines.append("trades: \(executedTrades) executed, \(failedTrades) failed, \(pendingTrades) pending")
        if let decision = lastDecision {
            let reasoning = lastReasoning ?? ""
            lines.append("last decision: \(reasoning.hasPrefix(decision) ? reasoning : "\(decision): \(reasoning)")")
        }
        if let reason = tradingBlockedReason { lines.append("trading blocked: \(reason)") }
        if let error = lastError { lines.append("last error: \(error)") }
        return lines
    }
}
