import PetrelCore
import PetrelRuntime
import PetrelStrategies
import Testing

/// Every registered strategy and rule can be built, refuses bad parameters and is found by name.
@Suite("Strategy registry and parameter schemas")
struct RegistryTests {
    static let strategyNames = StrategyRegistry.strategies.map(\.name)
    static let entryNames = StrategyRegistry.entryRules.map(\.name)
    static let exitNames = StrategyRegistry.exitRules.map(\.name)

    /// For every numeric parameter of a schema: a value just above its maximum and one below its minimum.
    static func outOfRange(_ schema: ParameterSchema) -> [(String, ParameterValue)] {
        schema.parameters.flatMap { spec -> [(String, ParameterValue)] in
            guard let minimum = spec.minimum, let maximum = spec.maximum else { return [] }
            switch spec.kind {
            case .integer: return [(spec.name, .integer(Int(maximum) + 1)), (spec.name, .integer(Int(minimum) - 1))]
            case .number: return [(spec.name, .number(maximum + 0.5)), (spec.name, .number(minimum - 0.5))]
            default: return []
            }
        }
    }

    @Test("the registry lists seed 003's strategies, the crossover and rsi_bb, and seed 002's mixins")
    func listsEverything() {
        #expect(Self.strategyNames == ["volatile", "simple_profitable", "enhanced", "ma_crossover", "rsi_bb"])
        #expect(
            Self.entryNames == [
                "RSIBBVolumeEntryMixin", "RSIBBEntryMixin", "RSIIchimokuEntryMixin", "RSIVolumeSupertrendEntryMixin",
            ])
        #expect(
            Self.exitNames == [
                "RSIBBExitMixin", "ATRExitMixin", "TrailingStopExitMixin", "TimeBasedExitMixin", "FixedRatioExitMixin",
            ])
    }

    @Test(
        "every named strategy builds from its defaults and warms up in a positive number of bars",
        arguments: strategyNames)
    func strategyDefaults(name: String) throws {
        let descriptor = try StrategyRegistry.strategy(named: name)
        #expect(!descriptor.summary.isEmpty)
        #expect(descriptor.schema.parameters.allSatisfy { !$0.summary.isEmpty })
        let resolved = try descriptor.schema.resolve([:])
        #expect(resolved.values.count == descriptor.schema.parameters.count)
        for spec in descriptor.schema.parameters {
            #expect(resolved.values[spec.name] == (try spec.validate(spec.defaultValue)), "default of \(spec.name)")
        }
        let strategy = try descriptor.instantiate()
        #expect(strategy.warmUpBars > 0)
    }

    @Test("every named strategy rejects each numeric parameter just outside its range", arguments: strategyNames)
    func strategyRanges(name: String) throws {
        let descriptor = try StrategyRegistry.strategy(named: name)
        let cases = Self.outOfRange(descriptor.schema)
        #expect(!cases.isEmpty)
        for (parameter, value) in cases {
            #expect(throws: ParameterError.self, "\(parameter) = \(value)") {
                try descriptor.instantiate([parameter: value])
            }
            do {
                _ = try descriptor.instantiate([parameter: value])
            } catch let error as ParameterError {
                guard case .invalidValue(let reported, let text, let allowed) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(reported == parameter)
                #expect(text == value.description)
                #expect(allowed.contains(" from "))
            }
        }
    }

    @Test(
        "strategies with a fast and a slow average refuse a fast period that is not below the slow one",
        arguments: [
            ("ma_crossover", "fast_period", "slow_period"), ("simple_profitable", "fast_ema", "slow_ema"),
            ("enhanced", "fast_ema", "slow_ema"), ("volatile", "macd_fast", "macd_slow"),
        ])
    func fastBelowSlow(name: String, fast: String, slow: String) throws {
        let descriptor = try StrategyRegistry.strategy(named: name)
        for (fastValue, slowValue) in [(30, 30), (40, 30)] {
            do {
                _ = try descriptor.instantiate([fast: .integer(fastValue), slow: .integer(slowValue)])
                Issue.record("\(name) accepted \(fast)=\(fastValue) with \(slow)=\(slowValue)")
            } catch let error as ParameterError {
                #expect(
                    error
                        == .invalidValue(
                            name: fast, value: String(fastValue), allowed: "an integer below \(slow) (\(slowValue))"))
            }
        }
        _ = try descriptor.instantiate([fast: .integer(10), slow: .integer(30)])
    }

    @Test("every entry rule builds from its defaults and rejects out-of-range values", arguments: entryNames)
    func entryRules(name: String) throws {
        let rule = try #require(StrategyRegistry.entryRules.first { $0.name == name })
        #expect(rule.make(try rule.schema.resolve([:])).warmUpBars > 0)
        #expect(rule.schema.parameters.allSatisfy { $0.name.hasPrefix("e_") })
        for (parameter, value) in Self.outOfRange(rule.schema) {
            #expect(throws: ParameterError.self, "\(parameter) = \(value)") {
                try rule.schema.resolve([parameter: value])
            }
        }
    }

    @Test("every exit rule builds from its defaults and rejects out-of-range values", arguments: exitNames)
    func exitRules(name: String) throws {
        let rule = try #require(StrategyRegistry.exitRules.first { $0.name == name })
        #expect(rule.make(try rule.schema.resolve([:])).warmUpBars > 0)
        #expect(rule.schema.parameters.allSatisfy { $0.name.hasPrefix("x_") })
        for (parameter, value) in Self.outOfRange(rule.schema) {
            #expect(throws: ParameterError.self, "\(parameter) = \(value)") {
                try rule.schema.resolve([parameter: value])
            }
        }
    }

    @Test("a composite joins the entry's and the exit's parameters and builds from their defaults")
    func composite() throws {
        let descriptor = try StrategyRegistry.composite(entry: "RSIBBVolumeEntryMixin", exit: "RSIBBExitMixin")
        #expect(descriptor.name == "custom(RSIBBVolumeEntryMixin+RSIBBExitMixin)")
        #expect(
            descriptor.schema.parameters.map(\.name) == [
                "e_rsi_period", "e_rsi_oversold", "e_bb_period", "e_bb_dev", "e_vol_ma_period", "e_min_volume_ratio",
                "x_rsi_period", "x_rsi_overbought", "x_bb_period", "x_bb_dev",
            ])
        // Seed 002's example parameters.
        let strategy = try descriptor.instantiate([
            "e_rsi_period": .integer(14), "e_rsi_oversold": .integer(30), "e_bb_period": .integer(20),
            "e_bb_dev": .number(2.0), "x_rsi_period": .integer(14), "x_rsi_overbought": .integer(70),
        ])
        #expect(strategy.warmUpBars == 20)
    }

    @Test("an unknown strategy name is refused with the closest name and the list of names")
    func unknownStrategy() {
        #expect(
            throws: StrategyLookupError.unknownStrategy(
                "ma_crosover", suggestion: "ma_crossover", known: Self.strategyNames)
        ) {
            try StrategyRegistry.strategy(named: "ma_crosover")
        }
        do {
            _ = try StrategyRegistry.strategy(named: "ma_crosover")
        } catch {
            #expect(
                error.description
                    == "unknown strategy 'ma_crosover' (did you mean 'ma_crossover'?); available: volatile, simple_profitable, enhanced, ma_crossover, rsi_bb"
            )
        }
        #expect(throws: StrategyLookupError.unknownStrategy("martingale", suggestion: nil, known: Self.strategyNames)) {
            try StrategyRegistry.strategy(named: "martingale")
        }
    }

    @Test("an unknown entry or exit rule is refused with a suggestion")
    func unknownRules() {
        #expect(
            throws: StrategyLookupError.unknownEntryRule(
                "RSIBBEntryMixn", suggestion: "RSIBBEntryMixin", known: Self.entryNames)
        ) {
            try StrategyRegistry.composite(entry: "RSIBBEntryMixn", exit: "RSIBBExitMixin")
        }
        #expect(
            throws: StrategyLookupError.unknownExitRule(
                "ATRExitMixn", suggestion: "ATRExitMixin", known: Self.exitNames)
        ) {
            try StrategyRegistry.composite(entry: "RSIBBEntryMixin", exit: "ATRExitMixn")
        }
    }
}
