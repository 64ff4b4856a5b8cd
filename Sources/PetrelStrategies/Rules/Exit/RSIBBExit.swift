import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `RSIBBExitMixin`: close the long when RSI is overbought or the close reaches the upper Bollinger band.
public struct RSIBBExit: ExitRule {
    var rsi: RSI
    var bands: BollingerBands
    let overbought: Double

    public static let descriptor = RuleDescriptor<any ExitRule>(
        name: "RSIBBExitMixin", summary: "RSI overbought or close at or above the upper Bollinger band",
        schema: ParameterSchema([
            .integer("x_rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("x_rsi_overbought", default: 70, range: 1...99, "RSI level above which the market is overbought"),
            .integer("x_bb_period", default: 20, range: 2...500, "Bollinger band period"),
            .number("x_bb_dev", default: 2, range: 0.1...10, "Bollinger band width in standard deviations"),
        ]),
        make: { p in
            RSIBBExit(
                rsiPeriod: p.integer("x_rsi_period"), overbought: p.number("x_rsi_overbought"),
                bbPeriod: p.integer("x_bb_period"), deviations: p.number("x_bb_dev"))
        })

    public init(rsiPeriod: Int = 14, overbought: Double = 70, bbPeriod: Int = 20, deviations: Double = 2) {
        rsi = RSI(period: rsiPeriod)
        bands = BollingerBands(period: bbPeriod, deviations: deviations)
        self.overbought = overbought
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, bands.warmUpPeriod) }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let close = candle.close.doubleValue
        let r = rsi.update(close)
        let b = bands.update(close)
        guard context.isLong, let r, let b else { return nil }
        if r > overbought {
            return Signal(.exitLong, reasoning: "RSI \(fmt(r)) > \(fmt(overbought))")
        }
        if close >= b.upper {
            return Signal(.exitLong, reasoning: "close \(candle.close) ≥ upper band \(fmt(b.upper))")
        }
        return nil
    }
}
