import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `rsi_bb`: RSI + Bollinger mean reversion — `RSIBBEntryMixin` and `RSIBBExitMixin` with shared
/// parameters, computing each indicator once per candle (the benchmark strategy).
///
/// Buys when RSI < `rsi_oversold` and the close is at or below the lower band; sells when RSI >
/// `rsi_overbought` or the close is at or above the upper band. Same signals and reasoning as the
/// `custom` composite of the two mixins with equal periods.
public struct RSIBollingerStrategy: Strategy {
    var rsi: RSI
    var bands: BollingerBands
    let oversold: Double
    let overbought: Double

    public static let descriptor = StrategyDescriptor(
        name: "rsi_bb",
        summary:
            "RSI(14) + Bollinger(20, 2) mean reversion: buy oversold at the lower band, sell overbought or at the upper band",
        schema: ParameterSchema([
            .integer("rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("rsi_oversold", default: 30, range: 1...99, "buy below this RSI"),
            .number("rsi_overbought", default: 70, range: 1...99, "sell above this RSI"),
            .integer("bb_period", default: 20, range: 2...500, "Bollinger period"),
            .number("bb_dev", default: 2, range: 0.1...10, "Bollinger width in standard deviations"),
        ]),
        make: { p in
            RSIBollingerStrategy(
                rsiPeriod: p.integer("rsi_period"), oversold: p.number("rsi_oversold"),
                overbought: p.number("rsi_overbought"), bbPeriod: p.integer("bb_period"), deviations: p.number("bb_dev")
            )
        })

    public init(
        rsiPeriod: Int = 14, oversold: Double = 30, overbought: Double = 70, bbPeriod: Int = 20, deviations: Double = 2
    ) {
        rsi = RSI(period: rsiPeriod)
        bands = BollingerBands(period: bbPeriod, deviations: deviations)
        self.oversold = oversold
        self.overbought = overbought
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, bands.warmUpPeriod) }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let close = candle.close.doubleValue
        let r = rsi.update(close)
        guard let b = bands.update(close), let r else { return nil }
        if context.isFlat {
            guard r < oversold, close <= b.lower else { return nil }
            return Signal(
                .enterLong,
                reasoning: "RSI \(fmt(r)) < \(fmt(oversold)) and close \(candle.close) ≤ lower band \(fmt(b.lower))")
        }
        guard context.isLong else { return nil }
        if r > overbought { return Signal(.exitLong, reasoning: "RSI \(fmt(r)) > \(fmt(overbought))") }
        if close >= b.upper {
            return Signal(.exitLong, reasoning: "close \(candle.close) ≥ upper band \(fmt(b.upper))")
        }
        return nil
    }
}
