import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@testable import PetrelStrategies

/// `StrategyRegistry.validate`: the strategy section of a bot config checked against the strategies that exist.
@Suite("Strategy registry validation of bot configs")
struct ConfigValidationTests {
    typealias Settings = BotConfiguration.StrategySettings
    typealias Rule = BotConfiguration.RuleSelection

    static func custom(
        _ entry: String = "RSIBBVolumeEntryMixin", _ entryParams: [String: ParameterValue] = [:],
        _ exit: String = "RSIBBExitMixin", _ exitParams: [String: ParameterValue] = [:]
    ) -> Settings {
        Settings(
            type: "custom", entryLogic: Rule(name: entry, params: entryParams),
            exitLogic: Rule(name: exit, params: exitParams))
    }

    static func lines(_ settings: Settings) -> [String] {
        StrategyRegistry.validate(settings).map(\.description)
    }

    @Test("seed 002's strategy section is valid and resolves with the rules' defaults filled in")
    func seedStrategy() throws {
        let bot = try BotConfiguration.parse(Data(ConfigFixtures.strategyExample.utf8), source: "0001.json")
        #expect(StrategyRegistry.validate(bot.strategy).isEmpty)
        let selection = try StrategyRegistry.select(bot.strategy, source: "0001.json")
        #expect(selection.descriptor.name == "custom(RSIBBVolumeEntryMixin+RSIBBExitMixin)")
        #expect(selection.values["e_rsi_period"] == .integer(14))
        #expect(selection.resolved.integer("e_vol_ma_period") == 20)
        #expect(selection.defaultedParameters == ["e_vol_ma_period", "e_min_volume_ratio", "x_bb_period", "x_bb_dev"])
        #expect(selection.resolved.values.count == selection.descriptor.schema.parameters.count)
    }

    @Test("an unknown rule name is reported at its name with a did-you-mean and the rules that exist")
    func unknownRules() {
        #expect(
            Self.lines(Self.custom("RSIBBEntryMixn", [:], "ATRExitMixn")) == [
                "$.strategy.entry_logic.name: 'RSIBBEntryMixn' is not an entry rule (did you mean 'RSIBBEntryMixin'?); expected one of RSIBBVolumeEntryMixin, RSIBBEntryMixin, RSIIchimokuEntryMixin, RSIVolumeSupertrendEntryMixin",
                "$.strategy.exit_logic.name: 'ATRExitMixn' is not an exit rule (did you mean 'ATRExitMixin'?); expected one of RSIBBExitMixin, ATRExitMixin, TrailingStopExitMixin, TimeBasedExitMixin, FixedRatioExitMixin",
            ])
        #expect(
            Self.lines(Self.custom("RSIBBExitMixin", [:], "RSIBBEntryMixin")).map { $0.prefix(80) }
                == [
                    "$.strategy.entry_logic.name: 'RSIBBExitMixin' is not an entry rule (that is an exit rule); expected one",
                    "$.strategy.exit_logic.name: 'RSIBBEntryMixin' is not an exit rule (that is an entry rule); expected one",
                ].map { $0.prefix(80) })
    }

    @Test(
        "a bad rule parameter is reported at its own path with the value and what is allowed",
        arguments: [
            (
                ["e_rsi_period": ParameterValue.integer(1)],
                "$.strategy.entry_logic.params.e_rsi_period: 1 is out of range (expected an integer from 2 to 200)"
            ),
            (
                ["e_rsi_period": .integer(201)],
                "$.strategy.entry_logic.params.e_rsi_period: 201 is out of range (expected an integer from 2 to 200)"
            ),
            (
                ["e_rsi_period": .number(14.5)],
                "$.strategy.entry_logic.params.e_rsi_period: 14.5 is not an integer (expected an integer from 2 to 200)"
            ),
            (
                ["e_rsi_period": .text("14")],
                "$.strategy.entry_logic.params.e_rsi_period: '14' is not an integer (expected an integer from 2 to 200)"
            ),
            (
                ["e_rsi_period": .number(1e30)],
                "$.strategy.entry_logic.params.e_rsi_period: 1e+30 is out of range (expected an integer from 2 to 200)"
            ),
            (
                ["e_bb_dev": .boolean(true)],
                "$.strategy.entry_logic.params.e_bb_dev: true is not a number (expected a number from 0.1 to 10)"
            ),
            (
                ["e_rsi_perod": .integer(14)],
                "$.strategy.entry_logic.params.e_rsi_perod: unknown parameter (did you mean 'e_rsi_period'?); parameters of RSIBBVolumeEntryMixin: e_rsi_period, e_rsi_oversold, e_bb_period, e_bb_dev, e_vol_ma_period, e_min_volume_ratio"
            ),
            (
                ["x_rsi_period": .integer(14)],
                "$.strategy.entry_logic.params.x_rsi_period: unknown parameter (an exit_logic parameter; move it to exit_logic.params); parameters of RSIBBVolumeEntryMixin: e_rsi_period, e_rsi_oversold, e_bb_period, e_bb_dev, e_vol_ma_period, e_min_volume_ratio"
            ),
        ] as [([String: ParameterValue], String)])
    func ruleParameters(params: [String: ParameterValue], problem: String) {
        #expect(Self.lines(Self.custom("RSIBBVolumeEntryMixin", params)) == [problem])
    }

    @Test("problems in both rules are all reported, in entry then exit order")
    func bothRules() {
        #expect(
            Self.lines(
                Self.custom(
                    "RSIBBEntryMixin", ["e_rsi_period": .integer(0)], "RSIBBExitMixin",
                    ["x_rsi_overbought": .integer(100)]))
                == [
                    "$.strategy.entry_logic.params.e_rsi_period: 0 is out of range (expected an integer from 2 to 200)",
                    "$.strategy.exit_logic.params.x_rsi_overbought: 100 is out of range (expected a number from 1 to 99)",
                ])
    }

    @Test("a named strategy is checked by name, parameters and its own cross-parameter rule")
    func namedStrategies() {
        #expect(
            Self.lines(Settings(type: "rsi_bbb")) == [
                "$.strategy.type: 'rsi_bbb' is not a strategy (did you mean 'rsi_bb'?); expected one of volatile, simple_profitable, enhanced, ma_crossover, rsi_bb, custom"
            ])
        var byName = Settings(type: "ma_crosover")
        byName.typeKey = "name"
        #expect(
            Self.lines(byName).first?.hasPrefix(
                "$.strategy.name: 'ma_crosover' is not a strategy (did you mean 'ma_crossover'?)") == true)
        #expect(
            Self.lines(Settings(type: "RSIBBEntryMixin")).first?.hasPrefix(
                "$.strategy.type: 'RSIBBEntryMixin' is not a strategy (that is a rule: use \"type\": \"custom\" with entry_logic and exit_logic)"
            )
                == true)
        #expect(
            Self.lines(Settings(type: "ma_crossover", params: ["ma_type": .text("smaa"), "slow_period": .integer(1)]))
                == [
                    "$.strategy.params.ma_type: 'smaa' is not allowed (did you mean 'sma'?); expected one of sma, ema",
                    "$.strategy.params.slow_period: 1 is out of range (expected an integer from 2 to 5000)",
                ])
        #expect(
            Self.lines(
                Settings(type: "ma_crossover", params: ["fast_period": .integer(50), "slow_period": .integer(20)])) == [
                    "$.strategy.params.fast_period: 50 is not allowed (expected an integer below slow_period (20))"
                ])
        #expect(
            Self.lines(Settings(type: "ma_crossover", params: ["ma_type": .integer(1)])) == [
                "$.strategy.params.ma_type: 1 is not a string (expected one of sma, ema)"
            ])
        #expect(StrategyRegistry.validate(Settings(type: "rsi_bb", params: ["rsi_period": .integer(10)])).isEmpty)
    }

    @Test("a boolean parameter takes only true or false")
    func booleanParameter() {
        let spec = ParameterSpec.boolean("use_volume", default: true, "volume filter")
        #expect(spec.problem(with: .boolean(false)) == nil)
        #expect(spec.problem(with: .integer(1)) == "1 is not true or false")
        #expect(spec.problem(with: .text("yes")) == "'yes' is not true or false")
    }

    @Test(
        "every parameter of every named strategy is checked against its range through the config path",
        arguments: StrategyRegistry.strategies.map(\.name))
    func everyNamedParameter(name: String) throws {
        let descriptor = try StrategyRegistry.strategy(named: name)
        for spec in descriptor.schema.parameters {
            guard let maximum = spec.maximum else { continue }
            let value: ParameterValue = spec.kind == .integer ? .integer(Int(maximum) + 1) : .number(maximum + 0.5)
            let issues = StrategyRegistry.validate(Settings(type: name, params: [spec.name: value]))
            #expect(issues.map(\.path) == ["$.strategy.params.\(spec.name)"])
            #expect(issues.first?.message.hasSuffix("is out of range (expected \(spec.allowedDescription))") == true)
        }
    }

    @Test("the parser joins the registry's problems to its own, so one run reports everything")
    func parserAndRegistryTogether() {
        let text = JSONEdit(ConfigFixtures.strategyExample).setting("broker.commission", "0.5")
            .setting("strategy.entry_logic.params.e_rsi_period", "1").text
        do {
            _ = try BotConfiguration.parse(
                Data(text.utf8), source: "bot.json", validateStrategy: StrategyRegistry.validate)
            Issue.record("accepted")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "$.broker.commission: 0.5 is out of range (expected a number from 0 to 0.1)",
                    "$.strategy.entry_logic.params.e_rsi_period: 1 is out of range (expected an integer from 2 to 200)",
                ])
        }
        #expect(throws: ConfigError.self) {
            try BotDefinition.parse(Data(text.utf8), source: "bot.json", validateStrategy: StrategyRegistry.validate)
        }
    }
}
