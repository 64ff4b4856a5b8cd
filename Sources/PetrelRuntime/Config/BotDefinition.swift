import Foundation
import PetrelCore

/// The kinds of bot a config file can describe (`bot_type`).
public enum BotType: String, Sendable, Hashable, CaseIterable, Codable {
    /// Seed 002's candle-driven strategy bot (the default).
    case strategy
    /// Seed 000's multi-pair portfolio bot.
    case portfolio
}

/// Any bot config file: what `petrel config validate`, `petrel bot run` and the API accept.
public enum BotDefinition: Sendable, Hashable {
    /// Seed 002's strategy bot.
    case strategy(BotConfiguration)
    /// Seed 000's portfolio bot.
    case portfolio(PortfolioBotConfiguration)

    /// Parses a config file of any bot type, dispatching on `bot_type` (default `strategy`), and
    /// reports every problem at once.
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - source: the file name, for messages.
    ///   - validateStrategy: checks a strategy bot's `strategy` section against the strategies that
    ///     exist (pass `StrategyRegistry.validate` from PetrelStrategies).
    /// - Throws: ``ConfigError`` listing each problem with its JSON path.
    public static func parse(
        _ data: Data, source: String,
        validateStrategy: (BotConfiguration.StrategySettings) -> [ConfigIssue] = { _ in [] }
    ) throws(ConfigError) -> BotDefinition {
        var (r, top) = try ConfigReader.root(data, source: source)
        let names = BotType.allCases.map(\.rawValue)
        let type: BotType?
        if top["bot_type"].map({ $0 != .null }) == true {
            type = r.string(top, "bot_type", "$", allowed: names).flatMap(BotType.init(rawValue:))
        } else {
            type = .strategy
        }
        let definition: BotDefinition?
        switch type {
        case .strategy?:
            definition = BotConfiguration.parseStrategyBot(&r, top, validateStrategy: validateStrategy).map {
                .strategy($0)
            }
        case .portfolio?:
            definition = PortfolioBotConfiguration.parsePortfolioBot(&r, top).map { .portfolio($0) }
        case nil:
            definition = nil
        }
        guard let definition, r.issues.isEmpty else { throw ConfigError(source: source, issues: r.issues) }
        return definition
    }

    /// `strategy` or `portfolio`.
    public var botType: BotType {
        switch self {
        case .strategy: return .strategy
        case .portfolio: return .portfolio
        }
    }

    /// Every `${ENV_VAR}` the file refers to, with its path.
    public var secrets: [ConfigSecret] {
        switch self {
        case .strategy(let c): return c.secrets
        case .portfolio(let c): return c.secrets
        }
    }

    /// The broker section, common to both bot types.
    public var broker: BotConfiguration.Broker {
        switch self {
        case .strategy(let c): return c.broker
        case .portfolio(let c): return c.broker
        }
    }

    /// Resolves every secret reference from `environment`, reporting each unset or empty variable by
    /// name and path (never a value).
    /// - Parameter environment: variable names to values (inject `ProcessInfo.processInfo.environment` at the edge).
    ///   - source: the file name, for the error.
    /// - Returns: the values by JSON path.
    /// - Throws: ``ConfigError`` with one issue per unset or empty variable.
    public func resolveSecrets(in environment: [String: String], source: String) throws(ConfigError) -> [String: String]
    {
        var values: [String: String] = [:]
        var issues: [ConfigIssue] = []
        for secret in secrets {
            do {
                values[secret.path] = try secret.reference.resolve(in: environment)
            } catch {
                issues.append(ConfigIssue(path: secret.path, message: error.description))
            }
        }
        guard issues.isEmpty else { throw ConfigError(source: source, issues: issues) }
        return values
    }
}
