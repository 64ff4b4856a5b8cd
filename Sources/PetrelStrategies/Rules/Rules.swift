import PetrelCore
import PetrelRuntime

/// An entry building block (seed 002's entry mixins): it updates its indicators on every candle
/// and says when to open a position.
public protocol EntryRule: Sendable {
    /// Candles needed before it can signal.
    var warmUpBars: Int { get }
    /// Updates indicators with `candle` and returns an entry signal, or `nil`.
    /// - Complexity: O(1).
    mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal?
}

/// An exit building block (seed 002's exit mixins): it updates its indicators on every candle and
/// says when to close the open position.
public protocol ExitRule: Sendable {
    var warmUpBars: Int { get }
    /// Updates indicators with `candle` and returns an exit signal for the open position, or `nil`.
    /// - Complexity: O(1).
    mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal?
}

/// A named, parameterised rule that configs select (`"name": "RSIBBEntryMixin", "params": {…}`).
public struct RuleDescriptor<Rule>: Sendable {
    public var name: String
    public var summary: String
    public var schema: ParameterSchema
    public var make: @Sendable (ParameterValues) -> Rule

    public init(
        name: String, summary: String, schema: ParameterSchema, make: @escaping @Sendable (ParameterValues) -> Rule
    ) {
        self.name = name
        self.summary = summary
        self.schema = schema
        self.make = make
    }
}

/// Seed 002's `custom` strategy: one entry rule and one exit rule, long only.
public struct CompositeStrategy: Strategy {
    public var entry: any EntryRule
    public var exit: any ExitRule

    public init(entry: any EntryRule, exit: any ExitRule) {
        self.entry = entry
        self.exit = exit
    }

    public var warmUpBars: Int { Swift.max(entry.warmUpBars, exit.warmUpBars) }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let entrySignal = entry.evaluate(candle, context: context)
        let exitSignal = exit.evaluate(candle, context: context)
        if context.isLong { return exitSignal }
        if context.isFlat { return entrySignal }
        return nil
    }
}
