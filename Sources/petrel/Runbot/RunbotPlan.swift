import PetrelCore
import PetrelRuntime

/// What a `petrel runbot` call will store and run with, worked out before anything is written.
///
/// Settings are layered: seed 000's defaults, then what is stored from earlier runs, then the `--config`
/// file, then the flags; the result is saved for the next run. Pairs: the stored ones, the file's
/// `trading_pairs` (their priority and switch replace the stored ones) and `--add-pair` (added with
/// priority 100, or switched on keeping their priority).
struct RunbotPlan: Sendable {
    /// What happened to one `--add-pair`.
    enum PairChange: Sendable, Equatable, CustomStringConvertible {
        case added(TradingPairSetting)
        case enabled(TradingPairSetting)
        case unchanged(TradingPairSetting)

        var description: String {
            switch self {
            case .added(let pair): return "added \(pair.symbol) (priority \(pair.priority), enabled)"
            case .enabled(let pair): return "enabled \(pair.symbol) (was disabled; priority \(pair.priority))"
            case .unchanged(let pair): return "\(pair.symbol) is already enabled (priority \(pair.priority))"
            }
        }
    }

    /// Priority of a pair added with `--add-pair` (the seed's example gives BTC-USD 100).
    static let addedPairPriority = 100

    /// The settings row to save.
    var record: PortfolioSettingsRecord
    /// Pairs to upsert, in order (the file's, then `--add-pair`'s).
    var upserts: [TradingPairSetting]
    /// Every pair after the upserts, in store order.
    var pairs: [TradingPairSetting]
    /// One entry per `--add-pair`.
    var pairChanges: [PairChange]
    /// The validated settings the bot runs with.
    var settings: PortfolioBotSettings

    /// Works out the plan.
    /// - Parameters:
    ///   - request: the checked flags.
    ///   - configuration: the parsed `--config` file, if any.
    ///   - stored: the settings saved by an earlier run.
    ///   - storedPairs: the bot's stored pairs.
    ///   - botID: the bot's id.
    ///   - feeRate: the commission per leg the bot expects.
    ///   - now: Unix ms, the row's `updated_at`.
    /// - Throws: ``CLIError`` naming the setting the decision core refuses.
    static func make(
        request: RunbotRequest, configuration: PortfolioBotConfiguration?, stored: PortfolioSettingsRecord?,
        storedPairs: [TradingPairSetting], botID: String, feeRate: Double, now: Int64
    ) throws -> RunbotPlan {
        var record = stored ?? .defaults(botID: botID, updatedAt: now)
        record.botID = botID
        record.updatedAt = now
        var upserts: [TradingPairSetting] = []
        if let configuration {
            let fromFile = try PortfolioBotSettings(configuration: configuration, feeRate: feeRate)
            record.riskTolerance = fromFile.riskTolerance
            record.minConfidence = fromFile.minConfidence
            record.tradeSize = fromFile.tradeSize
            record.checkIntervalSeconds = configuration.checkIntervalSeconds
            record.cacheTTLSeconds = fromFile.cacheTTLSeconds
            record.volatilityWindow = fromFile.volatilityWindow
            record.historyKeep = fromFile.historyKeep
            upserts += fromFile.pairs
        }
        if let risk = request.riskLevel { record.riskTolerance = risk }
        if let confidence = request.minConfidence { record.minConfidence = confidence }
        if let interval = request.intervalSeconds { record.checkIntervalSeconds = interval }

        var pairs = Dictionary(storedPairs.map { ($0.symbol, $0) }, uniquingKeysWith: { _, last in last })
        for pair in upserts { pairs[pair.symbol] = pair }
        var changes: [PairChange] = []
        for symbol in request.addPairs {
            if var known = pairs[symbol] {
                if known.isEnabled {
                    changes.append(.unchanged(known))
                    continue
                }
                known.isEnabled = true
                changes.append(.enabled(known))
                pairs[symbol] = known
                upserts.append(known)
            } else {
                let added = TradingPairSetting(symbol: symbol, priority: addedPairPriority)
                changes.append(.added(added))
                pairs[symbol] = added
                upserts.append(added)
            }
        }
        let ordered = pairs.values.sorted(by: TradingPairSetting.storeOrder)
        let settings: PortfolioBotSettings
        do {
            settings = try PortfolioBotSettings(
                riskTolerance: record.riskTolerance, minConfidence: record.minConfidence, tradeSize: record.tradeSize,
                cacheTTLSeconds: record.cacheTTLSeconds, volatilityWindow: record.volatilityWindow, feeRate: feeRate,
                historyKeep: record.historyKeep, pairs: ordered)
            try PortfolioBotRunner.validate(checkIntervalSeconds: record.checkIntervalSeconds)
        } catch {
            throw CLIError("the settings of bot \(botID) are not usable: \(error)")
        }
        return RunbotPlan(record: record, upserts: upserts, pairs: ordered, pairChanges: changes, settings: settings)
    }
}
