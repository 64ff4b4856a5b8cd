import PetrelRuntime

/// A config's `strategy` section resolved against the registry: what a backtest or a bot runs.
public struct StrategySelection: Sendable {
    /// The strategy (a `custom(entry+exit)` composite for seed 002's rule pairs).
    public var descriptor: StrategyDescriptor
    /// The values the file sets (entry and exit parameters together for a custom strategy).
    public var values: [String: ParameterValue]
    /// Every parameter of the schema, with defaults filled in.
    public var resolved: ParameterValues

    /// Parameters the file leaves at their defaults, in schema order.
    public var defaultedParameters: [String] {
        descriptor.schema.parameters.map(\.name).filter { values[$0] == nil }
    }
}

extension StrategyRegistry {
    /// Checks a config's `strategy` section against the registry: rule and strategy names (with a
    /// "did you mean"), every parameter's name, type and range, and the strategy's own cross-parameter
    /// rules. Paths point into the file: `$.strategy.entry_logic.name`,
    /// `$.strategy.entry_logic.params.e_rsi_period`, `$.strategy.params.fast_period`.
    /// - Parameter settings: the parsed `strategy` section.
    /// - Returns: every problem; empty when the strategy can be built.
    public static func validate(_ settings: BotConfiguration.StrategySettings) -> [ConfigIssue] {
        check(settings).1
    }

    /// Resolves a config's `strategy` section into a buildable strategy.
    /// - Parameters:
    ///   - settings: the parsed `strategy` section.
    ///   - source: the file name, for the error.
    /// - Returns: the descriptor, the file's values and every resolved value.
    /// - Throws: ``ConfigError`` with the same issues ``validate(_:)`` reports.
    public static func select(_ settings: BotConfiguration.StrategySettings, source: String) throws(ConfigError)
        -> StrategySelection
    {
        let (selection, issues) = check(settings)
        guard let selection, issues.isEmpty else { throw ConfigError(source: source, issues: issues) }
        return selection
    }

    static func check(_ settings: BotConfiguration.StrategySettings) -> (StrategySelection?, [ConfigIssue]) {
        var issues: [ConfigIssue] = []
        let descriptor: StrategyDescriptor?
        var values: [String: ParameterValue] = [:]
        let buildPath: String
        if let entryLogic = settings.entryLogic, let exitLogic = settings.exitLogic {
            buildPath = "$.strategy"
            let entry = entryRules.first { $0.name == entryLogic.name }
            let exit = exitRules.first { $0.name == exitLogic.name }
            let entryNames = entryRules.map(\.name)
            let exitNames = exitRules.map(\.name)
            if entry == nil {
                let other = exitNames.contains(entryLogic.name) ? " (that is an exit rule)" : ""
                issues.append(
                    unknownName(entryLogic.name, "an entry rule", other, entryNames, "$.strategy.entry_logic"))
            }
            if exit == nil {
                let other = entryNames.contains(exitLogic.name) ? " (that is an entry rule)" : ""
                issues.append(unknownName(exitLogic.name, "an exit rule", other, exitNames, "$.strategy.exit_logic"))
            }
            if let entry {
                issues += check(
                    entryLogic.params, entry.schema, owner: entry.name, path: "$.strategy.entry_logic.params",
                    elsewhere: exit.map { ($0.schema, "an exit_logic parameter; move it to exit_logic.params") })
            }
            if let exit {
                issues += check(
                    exitLogic.params, exit.schema, owner: exit.name, path: "$.strategy.exit_logic.params",
                    elsewhere: entry.map { ($0.schema, "an entry_logic parameter; move it to entry_logic.params") })
            }
            descriptor = try? composite(entry: entryLogic.name, exit: exitLogic.name)
            values = entryLogic.params.merging(exitLogic.params) { first, _ in first }
        } else if settings.type == "custom" {
            let missing = settings.entryLogic == nil ? "entry_logic" : "exit_logic"
            return (
                nil,
                [
                    ConfigIssue(
                        path: "$.strategy.\(missing)",
                        message: "is missing (a custom strategy needs entry_logic and exit_logic)")
                ]
            )
        } else {
            buildPath = "$.strategy.params"
            descriptor = strategies.first { $0.name == settings.type }
            if let descriptor {
                issues += check(
                    settings.params, descriptor.schema, owner: descriptor.name, path: "$.strategy.params",
                    elsewhere: nil)
            } else {
                let rule =
                    (entryRules.map(\.name) + exitRules.map(\.name)).contains(settings.type)
                    ? " (that is a rule: use \"type\": \"custom\" with entry_logic and exit_logic)" : ""
                issues.append(
                    unknownName(
                        settings.type, "a strategy", rule, strategies.map(\.name) + ["custom"], "$.strategy",
                        key: settings.typeKey))
            }
            values = settings.params
        }
        guard issues.isEmpty, let descriptor else { return (nil, issues) }
        do {
            let resolved = try descriptor.schema.resolve(values)
            _ = try descriptor.make(resolved)
            return (StrategySelection(descriptor: descriptor, values: values, resolved: resolved), [])
        } catch ParameterError.invalidValue(let name, let value, let allowed) {
            // Each value passed its own range: what is left is a rule between parameters (fast < slow).
            var path = "\(buildPath).\(name)"
            if let entry = settings.entryLogic, let exit = settings.exitLogic {
                path =
                    "$.strategy.\(exit.params[name] != nil && entry.params[name] == nil ? "exit" : "entry")_logic.params.\(name)"
            }
            return (nil, [ConfigIssue(path: path, message: "\(value) is not allowed (expected \(allowed))")])
        } catch {
            return (nil, [ConfigIssue(path: buildPath, message: "\(error)")])
        }
    }

    static func unknownName(
        _ name: String, _ what: String, _ note: String, _ known: [String], _ path: String, key: String = "name"
    ) -> ConfigIssue {
        let hint = note.isEmpty ? closestName(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? "" : note
        return ConfigIssue(
            path: "\(path).\(key)",
            message: "'\(name)' is not \(what)\(hint); expected one of \(known.joined(separator: ", "))")
    }

    /// Issues for each value that is unknown to `schema` or not allowed by its spec.
    static func check(
        _ values: [String: ParameterValue], _ schema: ParameterSchema, owner: String, path: String,
        elsewhere: (ParameterSchema, String)?
    ) -> [ConfigIssue] {
        let names = schema.parameters.map(\.name)
        var issues: [ConfigIssue] = []
        for name in values.keys.sorted() {
            guard let value = values[name] else { continue }
            guard let spec = schema.parameters.first(where: { $0.name == name }) else {
                let hint: String
                if let (other, note) = elsewhere, other.parameters.contains(where: { $0.name == name }) {
                    hint = " (\(note))"
                } else {
                    hint = closestName(to: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
                }
                issues.append(
                    ConfigIssue(
                        path: "\(path).\(name)",
                        message: "unknown parameter\(hint); parameters of \(owner): \(names.joined(separator: ", "))"))
                continue
            }
            if let problem = spec.problem(with: value) {
                issues.append(ConfigIssue(path: "\(path).\(name)", message: problem))
            }
        }
        return issues
    }
}

extension ParameterSpec {
    /// Why a value from a config file is not allowed, in the config's words (`1 is out of range
    /// (expected an integer from 2 to 200)`), or nil when it is. Stricter than ``validate(_:)``:
    /// a file writes numbers as numbers, so `"14"` is not an integer here.
    func problem(with value: ParameterValue) -> String? {
        let shown: String
        switch value {
        case .text(let t): shown = "'\(t)'"
        case .number(let v) where v == v.rounded() && abs(v) < 1e15: shown = String(Int(v))
        default: shown = value.description
        }
        let expected = "expected \(allowedDescription)"
        switch (kind, value) {
        case (.integer, .integer), (.number, .integer), (.number, .number): break
        case (.integer, .number(let v)) where v.isFinite && v == v.rounded(): break
        case (.integer, _): return "\(shown) is not an integer (\(expected))"
        case (.number, _): return "\(shown) is not a number (\(expected))"
        case (.boolean, .boolean): return nil
        case (.boolean, _): return "\(shown) is not true or false"
        case (.choice, .text(let text)):
            let choices = self.choices ?? []
            if choices.contains(text) { return nil }
            let hint = closestName(to: text, in: choices).map { " (did you mean '\($0)'?)" } ?? ""
            return "\(shown) is not allowed\(hint); expected one of \(choices.joined(separator: ", "))"
        case (.choice, _): return "\(shown) is not a string (\(expected))"
        }
        if (try? validate(value)) == nil { return "\(shown) is out of range (\(expected))" }
        return nil
    }
}
