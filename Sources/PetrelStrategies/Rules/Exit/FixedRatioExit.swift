import PetrelCore
import PetrelRuntime

/// `FixedRatioExitMixin`: take profit at `x_take_profit_pct` above the entry, stop at
/// `x_stop_loss_pct` below it (a fixed reward/risk ratio), on closing prices.
public struct FixedRatioExit: ExitRule {
    let takeProfitPct: Double
    let stopLossPct: Double

    public static let descriptor = RuleDescriptor<any ExitRule>(
        name: "FixedRatioExitMixin", summary: "fixed take-profit and stop-loss percentages from the entry",
        schema: ParameterSchema([
            .number("x_take_profit_pct", default: 4, range: 0.01...1_000, "profit target in percent"),
            .number("x_stop_loss_pct", default: 2, range: 0.01...100, "loss limit in percent"),
        ]),
        make: { p in
            FixedRatioExit(takeProfitPct: p.number("x_take_profit_pct"), stopLossPct: p.number("x_stop_loss_pct"))
        })

    public init(takeProfitPct: Double = 4, stopLossPct: Double = 2) {
        self.takeProfitPct = takeProfitPct
        self.stopLossPct = stopLossPct
    }

    public var warmUpBars: Int { 1 }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        guard context.isLong else { return nil }
        let entry = context.entryPrice.doubleValue
        let change = (candle.close.doubleValue / entry - 1) * 100
        if change >= takeProfitPct {
            return Signal(.exitLong, reasoning: "gain \(fmt(change))% ≥ take profit \(fmt(takeProfitPct))%")
        }
        if change <= -stopLossPct {
            return Signal(.exitLong, reasoning: "loss \(fmt(-change))% ≥ stop loss \(fmt(stopLossPct))%")
        }
        return nil
    }
}
