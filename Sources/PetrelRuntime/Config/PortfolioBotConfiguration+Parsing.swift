import Foundation
import PetrelCore

extension PortfolioBotConfiguration {
    /// Top-level keys of a portfolio bot.
    static let topLevelKeys = [
        "bot_type", "description", "version", "broker", "risk_tolerance", "min_confidence", "trade_size_amount",
        "trade_size_percentage", "check_interval_seconds", "cache_ttl_seconds", "volatility_window", "trading_pairs",
        "trade_history_retention", "notifications", "logging",
    ]

    /// Seed 000 spellings that mean something else here.
    static let seedSpellings = [
        "min_confidence_score": "seed 000's admin name; write min_confidence",
        "check_interval": "write check_interval_seconds",
        "cache_ttl": "write cache_ttl_seconds",
        "is_active": "whether a bot runs is its lifecycle state, not part of its file",
    ]

    /// Parses and validates a portfolio bot configuration, reporting every problem at once.
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - source: the file name, for messages.
    /// - Throws: ``ConfigError`` listing each problem with its JSON path.
    public static func parse(_ data: Data, source: String) throws(ConfigError) -> PortfolioBotConfiguration {
        switch try BotDefinition.parse(data, source: source) {
        case .portfolio(let configuration): return configuration
        case .strategy:
            throw ConfigError(
                source: source,
                issues: [ConfigIssue(path: "$.bot_type", message: "is not 'portfolio' (this is a strategy bot)")])
        }
    }

    static func parsePortfolioBot(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> PortfolioBotConfiguration? {
        var explanations = seedSpellings
        for key in BotConfiguration.topLevelKeys where !topLevelKeys.contains(key) {
            explanations[key] = "a strategy bot key, but this file has \"bot_type\": \"portfolio\""
        }
        r.checkKeys(top, "$", allowed: topLevelKeys, explanations: explanations)
        let description = r.string(top, "description", "$")
        let version = r.string(top, "version", "$")
        let broker = BotConfiguration.parseBroker(&r, top, allowed: BotConfiguration.BrokerType.allCases)
        let tolerance = r.number(top, "risk_tolerance", "$", range: 0...1) ?? defaultRiskTolerance
        let confidence = r.number(top, "min_confidence", "$", range: 0...1) ?? defaultMinConfidence
        let tradeSize = parseTradeSize(&r, top)
        let interval = r.integer(top, "check_interval_seconds", "$", range: 1...300) ?? defaultCheckIntervalSeconds
        let ttl = r.integer(top, "cache_ttl_seconds", "$", range: 1...60) ?? defaultCacheTTLSeconds
        let window = r.integer(top, "volatility_window", "$", range: 2...1_000) ?? defaultVolatilityWindow
        let pairs = parsePairs(&r, top)
        let retention =
            r.integer(top, "trade_history_retention", "$", range: 0...1_000_000) ?? defaultTradeHistoryRetention
        let notifications = BotConfiguration.parseNotifications(&r, top)
        let logging = BotConfiguration.parseLogging(&r, top)
        guard let broker, let tradeSize, let pairs else { return nil }
        return PortfolioBotConfiguration(
            description: description, version: version, broker: broker, riskTolerance: tolerance,
            minConfidence: confidence, tradeSize: tradeSize, checkIntervalSeconds: interval, cacheTTLSeconds: ttl,
            volatilityWindow: window, tradingPairs: pairs, tradeHistoryRetention: retention,
            notifications: notifications, logging: logging, secrets: r.secrets)
    }

    /// Exactly one of `trade_size_amount` and `trade_size_percentage`.
    static func parseTradeSize(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> TradeSize? {
        let hasAmount = top["trade_size_amount"].map { $0 != .null } == true
        let hasFraction = top["trade_size_percentage"].map { $0 != .null } == true
        let amount = r.decimal(top, "trade_size_amount", "$", range: 0.00000001...1e10)
        let fraction = r.number(top, "trade_size_percentage", "$", range: 0.01...1)
        switch (hasAmount, hasFraction) {
        case (true, true):
            r.fail(
                "$.trade_size_amount",
                "conflicts with $.trade_size_percentage: set exactly one (a fixed amount or a fraction of the holding)")
            return nil
        case (false, false):
            r.fail(
                "$",
                "trade_size_amount (a fixed amount per trade) or trade_size_percentage (0.01 to 1 of the holding) is required"
            )
            return nil
        default:
            return amount.map { .amount($0) } ?? fraction.map { .fraction($0) }
        }
    }

    static func parsePairs(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> [TradingPair]? {
        let p = "$.trading_pairs"
        let shape = "an array of {\"pair_symbol\": \"BTC-USD\", \"priority\": 100, \"is_enabled\": true}"
        guard let value = top["trading_pairs"], value != .null else {
            r.fail(p, "is missing (\(shape) is required)")
            return nil
        }
        guard case .array(let items) = value else {
            r.fail(p, "\(value) is not \(shape)")
            return nil
        }
        let issueCount = r.issues.count
        var pairs: [TradingPair] = []
        var seen: [Symbol: Int] = [:]
        for (index, item) in items.enumerated() {
            let ip = "\(p)[\(index)]"
            guard case .object(let o) = item else {
                r.fail(ip, "\(item) is not an object (expected {\"pair_symbol\": \"BTC-USD\", …})")
                continue
            }
            r.checkKeys(o, ip, allowed: ["pair_symbol", "priority", "is_enabled"])
            let symbol = BotConfiguration.symbol(&r, o, "pair_symbol", ip)
            let priority = r.integer(o, "priority", ip, range: 0...1_000) ?? 100
            let enabled = r.bool(o, "is_enabled", ip) ?? true
            guard let symbol else { continue }
            if symbol.kind == .perpetual {
                r.fail("\(ip).pair_symbol", "'\(symbol)' is a perpetual swap; a portfolio bot trades spot pairs")
            } else if let first = seen[symbol] {
                r.fail("\(ip).pair_symbol", "'\(symbol)' repeats \(p)[\(first)].pair_symbol (list each pair once)")
            } else {
                seen[symbol] = index
                pairs.append(TradingPair(symbol: symbol, priority: priority, isEnabled: enabled))
            }
        }
        if items.isEmpty {
            r.fail(p, "is empty (a portfolio bot needs at least one pair)")
        } else if r.issues.count == issueCount, !pairs.contains(where: \.isEnabled) {
            r.fail(p, "no pair is enabled (a portfolio bot needs at least one with \"is_enabled\": true)")
        }
        return r.issues.count == issueCount ? pairs : nil
    }
}
