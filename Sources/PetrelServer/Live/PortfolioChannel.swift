import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// Seed 000's WebSocket actions on the portfolio bot (`petrel runbot`, id `portfolio`), which may run in
/// another process: its settings and trade history are read from and written to the shared database;
/// `petrel runbot` applies changed settings within seconds.
struct PortfolioChannel: Sendable {
    static let botID = BotAssembly.portfolioBotID
    let database: PetrelDatabase
    let clock: any TradingClock

    /// Seed 000's `bot_status` data: `is_active`, `risk_tolerance`, `min_confidence`, `check_interval`,
    /// `cache_ttl`, `recent_trades`, plus the trade size.
    func status() async throws -> [String: Any] {
        let record =
            try await database.portfolioSettings.load(bot: Self.botID)
            ?? .defaults(botID: Self.botID, updatedAt: clock.now())
        let bot = try await database.bots.bot(Self.botID)
        var data: [String: Any] = [
            "bot": Self.botID,
            "is_active": bot?.lifecycle.isActive ?? false,
            "risk_tolerance": record.riskTolerance,
            "min_confidence": record.minConfidence,
            "check_interval": record.checkIntervalSeconds,
            "cache_ttl": record.cacheTTLSeconds,
            "recent_trades": try await recentTrades(limit: 10),
        ]
        switch record.tradeSize {
        case .fixedAmount(let amount): data["trade_size_amount"] = amount.description
        case .fractionOfHolding(let fraction): data["trade_size_percentage"] = fraction.description
        }
        return data
    }

    /// The newest trade-history rows, seed 000's fields.
    func recentTrades(limit: Int) async throws -> [Any] {
        let rows = try await database.tradeHistory(bot: Self.botID).recent(limit: limit)
        let data = try JSONEncoder().encode(rows)
        return (try JSONSerialization.jsonObject(with: data) as? [Any]) ?? []
    }

    /// Applies seed 000's `update_config` fields, all or nothing.
    /// - Returns: the new `bot_status` data.
    /// - Throws: ``WebSocketProblem`` naming the field and the allowed values.
    func update(_ fields: [String: JSONScalar]) async throws -> [String: Any] {
        let known: Set<String> = [
            "is_active", "risk_tolerance", "min_confidence", "min_confidence_score", "check_interval",
            "check_interval_seconds", "cache_ttl", "cache_ttl_seconds", "trade_size_amount", "trade_size_percentage",
        ]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw WebSocketProblem(
                "update_config: unknown field '\(unknown)'; expected \(known.sorted().joined(separator: ", "))")
        }
        if fields["is_active"] != nil {
            throw WebSocketProblem(
                "update_config: is_active cannot be set from here; start the portfolio bot with 'petrel runbot' and stop it with Ctrl-C"
            )
        }
        func number(_ keys: [String]) throws -> Double? {
            guard let key = keys.first(where: { fields[$0] != nil }), let value = fields[key] else { return nil }
            guard case .number(let number) = value else {
                throw WebSocketProblem("update_config: \(key) must be a number")
            }
            return number
        }
        func integer(_ keys: [String]) throws -> Int? {
            guard let value = try number(keys) else { return nil }
            guard value == value.rounded(), let exact = Int(exactly: value) else {
                throw WebSocketProblem("update_config: \(keys[0]) must be a whole number of seconds")
            }
            return exact
        }
        var next =
            try await database.portfolioSettings.load(bot: Self.botID)
            ?? .defaults(botID: Self.botID, updatedAt: clock.now())
        func exact(_ key: String) throws -> FixedPoint? {
            guard let value = try number([key]) else { return nil }
            do {
                return try FixedPoint(approximating: value)
            } catch {
                throw WebSocketProblem("update_config: \(key) \(value) is out of range: \(error)")
            }
        }
        if let amount = try exact("trade_size_amount") { next.tradeSize = .fixedAmount(amount) }
        if let fraction = try exact("trade_size_percentage") { next.tradeSize = .fractionOfHolding(fraction) }
        if let value = try number(["risk_tolerance"]) { next.riskTolerance = value }
        if let value = try number(["min_confidence", "min_confidence_score"]) { next.minConfidence = value }
        if let value = try integer(["check_interval", "check_interval_seconds"]) { next.checkIntervalSeconds = value }
        if let value = try integer(["cache_ttl", "cache_ttl_seconds"]) { next.cacheTTLSeconds = value }
        next.updatedAt = clock.now()
        do {
            try next.tradeSize.validate()
            _ = try PortfolioBotSettings(
                riskTolerance: next.riskTolerance, minConfidence: next.minConfidence, tradeSize: next.tradeSize,
                cacheTTLSeconds: next.cacheTTLSeconds, volatilityWindow: next.volatilityWindow,
                historyKeep: next.historyKeep, pairs: [])
            try PortfolioBotRunner.validate(checkIntervalSeconds: next.checkIntervalSeconds)
        } catch {
            throw WebSocketProblem("update_config: \(error)")
        }
        try await database.portfolioSettings.save(next)
        return try await status()
    }
}

/// A request a WebSocket client got wrong; answered with `{"type":"error","message":…}`.
struct WebSocketProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A JSON value as `update_config` reads it: booleans and numbers kept apart.
enum JSONScalar: Decodable, Sendable, Equatable {
    case bool(Bool)
    case number(Double)
    case string(String)
    case null
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else {
            self = .other
        }
    }
}
