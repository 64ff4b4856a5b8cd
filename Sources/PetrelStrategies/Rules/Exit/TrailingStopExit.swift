import PetrelCore
import PetrelRuntime

/// `TrailingStopExitMixin`: once the close has gained `x_activation_pct` over the entry, exit when
/// it falls `x_trail_pct` below the highest close since entry.
public struct TrailingStopExit: ExitRule {
    let trailPct: Double
    let activationPct: Double
    var highest: Double?

    public static let descriptor = RuleDescriptor<any ExitRule>(
        name: "TrailingStopExitMixin", summary: "exit when the close falls a percentage below its high since entry",
        schema: ParameterSchema([
            .number("x_trail_pct", default: 2, range: 0.01...90, "distance below the highest close, in percent"),
            .number(
                "x_activation_pct", default: 0, range: 0...1_000,
                "gain over the entry before trailing starts, in percent"),
        ]),
        make: { p in TrailingStopExit(trailPct: p.number("x_trail_pct"), activationPct: p.number("x_activation_pct")) })

    public init(trailPct: Double = 2, activationPct: Double = 0) {
        self.trailPct = trailPct
        self.activationPct = activationPct
    }

    public var warmUpBars: Int { 1 }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        guard context.isLong else {
            highest = nil
            return nil
        }
        let close = candle.close.doubleValue
        let high = Swift.max(highest ?? close, close)
        highest = high
        let entry = context.entryPrice.doubleValue
        guard high >= entry * (1 + activationPct / 100) else { return nil }
        let stop = high * (1 - trailPct / 100)
        guard close <= stop else { return nil }
        return Signal(
            .exitLong,
            reasoning: "close \(candle.close) ≤ trailing stop \(fmt(stop)) (\(fmt(trailPct))% below high \(fmt(high)))")
    }
}
