import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// Seed 003's `simple_profitable`: a balanced, conservative trend-pullback strategy for beginners.
///
/// Buys only in an uptrend (fast EMA above slow EMA and the close above the slow EMA) after a
/// pullback (RSI below `pullback_rsi`) once the close turns back above the fast EMA. Sells when RSI
/// is overbought or the close breaks below the slow EMA.
public struct SimpleProfitableStrategy: Strategy {
    var fast: EMA
    var slow: EMA
    var rsi: RSI
    var sawPullback = false
    let pullbackRSI: Double
    let overbought: Double

    public static let descriptor = StrategyDescriptor(
        name: "simple_profitable", summary: "conservative trend pullback entries (seed 003)",
        schema: ParameterSchema([
            .integer("fast_ema", default: 20, range: 2...500, "fast EMA period"),
            .integer("slow_ema", default: 50, range: 3...2_000, "slow EMA period (trend filter)"),
            .integer("rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("pullback_rsi", default: 40, range: 1...99, "RSI below this marks a pullback"),
            .number("rsi_overbought", default: 70, range: 1...99, "RSI above this exits"),
        ]),
        make: { p in
            guard p.integer("fast_ema") < p.integer("slow_ema") else {
                throw ParameterError.invalidValue(
                    name: "fast_ema", value: String(p.integer("fast_ema")),
                    allowed: "an integer below slow_ema (\(p.integer("slow_ema")))")
            }
            return SimpleProfitableStrategy(
                fastPeriod: p.integer("fast_ema"), slowPeriod: p.integer("slow_ema"),
                rsiPeriod: p.integer("rsi_period"),
                pullbackRSI: p.number("pullback_rsi"), overbought: p.number("rsi_overbought"))
        })

    public init(
        fastPeriod: Int = 20, slowPeriod: Int = 50, rsiPeriod: Int = 14, pullbackRSI: Double = 40,
        overbought: Double = 70
    ) {
        fast = EMA(period: fastPeriod)
        slow = EMA(period: slowPeriod)
        rsi = RSI(period: rsiPeriod)
        self.pullbackRSI = pullbackRSI
        self.overbought = overbought
    }

    public var warmUpBars: Int { Swift.max(fast.warmUpPeriod, slow.warmUpPeriod, rsi.warmUpPeriod) }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let close = candle.close.doubleValue
        let f = fast.update(close)
        let s = slow.update(close)
        guard let r = rsi.update(close), let f, let s else { return nil }
        if context.isLong {
            sawPullback = false
            if r > overbought {
                return Signal(.exitLong, reasoning: "SELL: RSI \(fmt(r)) > \(fmt(overbought)), taking profit")
            }
            if close < s {
                return Signal(.exitLong, reasoning: "SELL: close \(candle.close) broke below slow EMA \(fmt(s))")
            }
            return nil
        }
        let uptrend = f > s && close > s
        guard uptrend else {
            sawPullback = false
            return nil
        }
        if r < pullbackRSI { sawPullback = true }
        guard sawPullback, close > f, r >= pullbackRSI else { return nil }
        sawPullback = false
        return Signal(
            .enterLong,
            reasoning:
                "BUY: uptrend (EMA \(fmt(f)) > EMA \(fmt(s))), pullback ended: close \(candle.close) back above fast EMA, RSI \(fmt(r))"
        )
    }
}
