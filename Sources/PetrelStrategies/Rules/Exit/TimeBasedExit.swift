import PetrelCore
import PetrelRuntime

/// `TimeBasedExitMixin`: exit after the position has been open for `x_max_bars` candles.
public struct TimeBasedExit: ExitRule {
    let maximumBars: Int

    public static let descriptor = RuleDescriptor<any ExitRule>(
        name: "TimeBasedExitMixin", summary: "exit after a number of candles in the position",
        schema: ParameterSchema([
            .integer("x_max_bars", default: 20, range: 1...100_000, "candles to hold before exiting")
        ]),
        make: { p in TimeBasedExit(maximumBars: p.integer("x_max_bars")) })

    public init(maximumBars: Int = 20) {
        self.maximumBars = maximumBars
    }

    public var warmUpBars: Int { 1 }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        guard context.isLong, context.barsInPosition >= maximumBars else { return nil }
        return Signal(.exitLong, reasoning: "held \(context.barsInPosition) candles (limit \(maximumBars))")
    }
}
