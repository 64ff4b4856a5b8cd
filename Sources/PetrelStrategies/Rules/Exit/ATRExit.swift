import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `ATRExitMixin`: stop `x_sl_multiplier` × ATR below the entry and target `x_tp_multiplier` × ATR
/// above it, with the ATR taken on the first candle of the position.
public struct ATRExit: ExitRule {
    var atr: ATR
    let stopMultiple: Double
    let targetMultiple: Double
    var atrAtEntry: Double?

    public static let descriptor = RuleDescriptor<any ExitRule>(
        name: "ATRExitMixin", summary: "stop and target at multiples of the ATR from the entry",
        schema: ParameterSchema([
            .integer("x_atr_period", default: 14, range: 2...200, "ATR period (Wilder)"),
            .number("x_sl_multiplier", default: 2, range: 0.1...50, "stop distance in ATRs"),
            .number("x_tp_multiplier", default: 3, range: 0.1...50, "target distance in ATRs"),
        ]),
        make: { p in
            ATRExit(
                period: p.integer("x_atr_period"), stopMultiple: p.number("x_sl_multiplier"),
                targetMultiple: p.number("x_tp_multiplier"))
        })

    public init(period: Int = 14, stopMultiple: Double = 2, targetMultiple: Double = 3) {
        atr = ATR(period: period)
        self.stopMultiple = stopMultiple
        self.targetMultiple = targetMultiple
    }

    public var warmUpBars: Int { atr.warmUpPeriod }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let value = atr.update(candle)
        guard context.isLong else {
            atrAtEntry = nil
            return nil
        }
        if atrAtEntry == nil { atrAtEntry = value }
        guard let distance = atrAtEntry else { return nil }
        let entry = context.entryPrice.doubleValue
        let close = candle.close.doubleValue
        let stop = entry - stopMultiple * distance
        let target = entry + targetMultiple * distance
        if close <= stop {
            return Signal(
                .exitLong,
                reasoning:
                    "close \(candle.close) ≤ ATR stop \(fmt(stop)) (entry − \(fmt(stopMultiple))×ATR \(fmt(distance)))")
        }
        if close >= target {
            return Signal(
                .exitLong,
                reasoning:
                    "close \(candle.close) ≥ ATR target \(fmt(target)) (entry + \(fmt(targetMultiple))×ATR \(fmt(distance)))"
            )
        }
        return nil
    }
}
