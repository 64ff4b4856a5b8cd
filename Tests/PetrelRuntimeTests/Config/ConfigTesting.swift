import Foundation
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Parsing shortcuts for the config tests.
enum ConfigTesting {
    static let strategy = JSONEdit(ConfigFixtures.strategyExample)
    static let portfolio = JSONEdit(ConfigFixtures.portfolioExample)

    static func definition(_ text: String) throws(ConfigError) -> BotDefinition {
        try BotDefinition.parse(Data(text.utf8), source: "bot.json")
    }

    static func strategyBot(_ edit: JSONEdit) throws -> BotConfiguration {
        guard case .strategy(let bot) = try definition(edit.text) else {
            throw ConfigError(source: "bot.json", issues: [ConfigIssue(path: "$", message: "not a strategy bot")])
        }
        return bot
    }

    static func portfolioBot(_ edit: JSONEdit) throws -> PortfolioBotConfiguration {
        guard case .portfolio(let bot) = try definition(edit.text) else {
            throw ConfigError(source: "bot.json", issues: [ConfigIssue(path: "$", message: "not a portfolio bot")])
        }
        return bot
    }

    /// Every problem of a file that must fail, as `path: message` lines.
    static func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try definition(text)
            Issue.record("the configuration was accepted", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(!error.issues.isEmpty, sourceLocation: sourceLocation)
            return error.issues.map(\.description)
        }
    }

    static func problems(_ edit: JSONEdit, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        problems(edit.text, sourceLocation: sourceLocation)
    }
}
