import ArgumentParser
import Foundation
import PetrelRuntime
import PetrelStrategies

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies", abstract: "List strategies and entry/exit rules.", subcommands: [List.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every strategy and rule with its parameters.")

        @Flag(help: "Print JSON instead of text.")
        var json = false

        struct Entry: Encodable {
            var kind: String
            var name: String
            var summary: String
            var parameters: [ParameterSpec]
        }

        func run() throws {
            var entries = StrategyRegistry.strategies.map {
                Entry(kind: "strategy", name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
            }
            entries += StrategyRegistry.entryRules.map {
                Entry(kind: "entry_rule", name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
            }
            entries += StrategyRegistry.exitRules.map {
                Entry(kind: "exit_rule", name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
                return
            }
            for (title, kind) in [
                ("Strategies (--strategy NAME)", "strategy"), ("Entry rules (config entry_logic)", "entry_rule"),
                ("Exit rules (config exit_logic)", "exit_rule"),
            ] {
                print(title)
                for entry in entries where entry.kind == kind {
                    print("  \(entry.name) — \(entry.summary)")
                    for p in entry.parameters {
                        print("      \(p.name) = \(p.defaultValue)  (\(p.allowedDescription)) \(p.summary)")
                    }
                }
                print("")
            }
        }
    }
}
