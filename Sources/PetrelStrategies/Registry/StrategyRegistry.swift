import PetrelRuntime

/// Every built-in strategy and rule, selectable by name with a parameter schema.
public enum StrategyRegistry {
    /// Seed 002's entry mixins.
    public static let entryRules: [RuleDescriptor<any EntryRule>] = [
        RSIBBVolumeEntry.descriptor, RSIBBEntry.descriptor, RSIIchimokuEntry.descriptor,
        RSIVolumeSupertrendEntry.descriptor,
    ]

    /// Seed 002's exit mixins.
    public static let exitRules: [RuleDescriptor<any ExitRule>] = [
        RSIBBExit.descriptor, ATRExit.descriptor, TrailingStopExit.descriptor, TimeBasedExit.descriptor,
        FixedRatioExit.descriptor,
    ]

    /// Named strategies: seed 003's, the moving-average crossover and the RSI + Bollinger mean reversion.
    public static let strategies: [StrategyDescriptor] = [
        VolatileStrategy.descriptor, SimpleProfitableStrategy.descriptor, EnhancedStrategy.descriptor,
        MovingAverageCrossover.descriptor, rsiBollinger,
    ]

    /// `rsi_bb` (see ``RSIBollingerStrategy``).
    public static var rsiBollinger: StrategyDescriptor { RSIBollingerStrategy.descriptor }

    /// The named strategy.
    /// - Throws: ``StrategyLookupError/unknownStrategy(_:suggestion:known:)``.
    public static func strategy(named name: String) throws(StrategyLookupError) -> StrategyDescriptor {
        if let found = strategies.first(where: { $0.name == name }) { return found }
        let names = strategies.map(\.name)
        throw .unknownStrategy(name, suggestion: closestName(to: name, in: names), known: names)
    }

    /// A `custom` strategy from an entry and an exit rule (seed 002's `entry_logic` / `exit_logic`).
    /// - Parameters:
    ///   - entryName: an entry mixin name, e.g. `RSIBBVolumeEntryMixin`.
    ///   - exitName: an exit mixin name, e.g. `RSIBBExitMixin`.
    /// - Returns: a descriptor whose schema is the entry's parameters followed by the exit's.
    /// - Throws: ``StrategyLookupError`` for an unknown rule name.
    public static func composite(entry entryName: String, exit exitName: String) throws(StrategyLookupError)
        -> StrategyDescriptor
    {
        guard let entry = entryRules.first(where: { $0.name == entryName }) else {
            let names = entryRules.map(\.name)
            throw .unknownEntryRule(entryName, suggestion: closestName(to: entryName, in: names), known: names)
        }
        guard let exit = exitRules.first(where: { $0.name == exitName }) else {
            let names = exitRules.map(\.name)
            throw .unknownExitRule(exitName, suggestion: closestName(to: exitName, in: names), known: names)
        }
        return StrategyDescriptor(
            name: "custom(\(entry.name)+\(exit.name))", summary: "\(entry.summary); exit: \(exit.summary)",
            schema: ParameterSchema(entry.schema.parameters + exit.schema.parameters),
            make: { p in CompositeStrategy(entry: entry.make(p), exit: exit.make(p)) })
    }
}

/// A strategy or rule name that does not exist.
public enum StrategyLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownStrategy(String, suggestion: String?, known: [String])
    case unknownEntryRule(String, suggestion: String?, known: [String])
    case unknownExitRule(String, suggestion: String?, known: [String])

    public var description: String {
        func text(_ what: String, _ name: String, _ suggestion: String?, _ known: [String]) -> String {
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown \(what) '\(name)'\(hint); available: \(known.joined(separator: ", "))"
        }
        switch self {
        case .unknownStrategy(let n, let s, let k): return text("strategy", n, s, k)
        case .unknownEntryRule(let n, let s, let k): return text("entry rule", n, s, k)
        case .unknownExitRule(let n, let s, let k): return text("exit rule", n, s, k)
        }
    }
}
