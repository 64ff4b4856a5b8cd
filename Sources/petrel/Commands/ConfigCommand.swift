import ArgumentParser
import Foundation
import PetrelRuntime
import PetrelStrategies

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check bot configuration files.", subcommands: [Validate.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a bot config file (strategy or portfolio bot) and report every problem at once.",
            discussion: """
                Each problem is one line, PATH: message, with the JSON path, the bad value, what is allowed \
                and a "did you mean" for misspelt keys and names; the exit status is then 1. A valid file \
                prints a summary (secrets by variable name only) and exits 0. The checks are the ones \
                `petrel backtest --config` runs. See docs/bot-config.md.
                """)

        @Argument(help: "The bot configuration JSON file.")
        var file: String

        @Flag(help: "Print {\"valid\": …, \"issues\": [{\"path\", \"message\"}], \"summary\": {…}} as JSON.")
        var json = false

        /// What `--json` prints.
        struct Report: Encodable {
            var valid: Bool
            var file: String
            var issues: [ConfigIssue]
            var summary: ConfigSummary?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(valid, forKey: .valid)
                try container.encode(file, forKey: .file)
                try container.encode(issues, forKey: .issues)
                try container.encode(summary, forKey: .summary)
            }

            enum CodingKeys: String, CodingKey {
                case valid, file, issues, summary
            }
        }

        func run() throws {
            let report: Report
            do {
                let summary = try Self.check(file: file, environment: ProcessInfo.processInfo.environment)
                report = Report(valid: true, file: file, issues: [], summary: summary)
            } catch let error as ConfigError {
                report = Report(valid: false, file: file, issues: error.issues, summary: nil)
            } catch let error as CLIError {
                guard json else { throw error }
                report = Report(valid: false, file: file, issues: [ConfigIssue(path: "$", message: "\(error)")])
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else if let summary = report.summary {
                print("\(file): valid \(summary.botType) bot")
                for line in summary.lines() { print("  \(line)") }
            } else {
                let noun = report.issues.count == 1 ? "problem" : "problems"
                print("\(file): \(report.issues.count) \(noun)")
                for issue in report.issues { print(issue.description) }
            }
            if !report.valid { throw ExitCode.failure }
        }

        /// Reads, parses and validates a config file with the registry's strategy checks.
        /// - Throws: ``ConfigError`` with every problem, or ``CLIError`` when the file cannot be read.
        static func check(file: String, environment: [String: String]) throws -> ConfigSummary {
            let data = try StrategyOptions.readConfig(file)
            let definition = try BotDefinition.parse(
                data, source: file, validateStrategy: StrategyRegistry.validate)
            switch definition {
            case .strategy(let bot):
                let selection = try StrategyRegistry.select(bot.strategy, source: file)
                return ConfigSummary(bot, selection: selection, environment: environment)
            case .portfolio(let bot):
                return ConfigSummary(bot, environment: environment)
            }
        }
    }
}
