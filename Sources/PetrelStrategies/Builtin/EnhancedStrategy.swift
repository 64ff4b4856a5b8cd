import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// Seed 003's `enhanced`: market-regime detection with dynamic position sizing.
///
/// Regime: ADX ≥ `adx_trend` means trending (direction from EMA(`fast_ema`) vs EMA(`slow_ema`)),
/// otherwise ranging. Trending up: buy when MACD crosses above its signal with the close above the
/// fast EMA; exit when the close falls below the slow EMA. Ranging: buy at the lower Bollinger band
/// with RSI below `range_rsi_buy`; exit at the middle band or RSI above `range_rsi_sell`. Trending
/// down: no entries, exit longs. Size: `target_volatility` / current ATR% (clamped to
/// [`min_size`, 1]) of the configured size, so calm markets get full size and wild ones less.
public struct EnhancedStrategy: Strategy {
    var adx: ADX
    var fast: EMA
    var slow: EMA
    var macd: MACD
    var cross = CrossTracker()
    var rsi: RSI
    var bands: BollingerBands
    var atr: ATR
    let trendThreshold: Double
    let rangeBuy: Double
    let rangeSell: Double
    let targetVolatility: Double
    let minimumSize: Double
    var entryRegime = ""

    public static let descriptor = StrategyDescriptor(
        name: "enhanced", summary: "market-regime detection with dynamic position sizing (seed 003)",
        schema: ParameterSchema([
            .integer("adx_period", default: 14, range: 2...200, "ADX period"),
            .number("adx_trend", default: 25, range: 5...80, "ADX at or above this means a trending market"),
            .integer("fast_ema", default: 20, range: 2...500, "fast EMA"),
            .integer("slow_ema", default: 50, range: 3...2_000, "slow EMA"),
            .integer("rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("range_rsi_buy", default: 35, range: 1...99, "ranging market: buy below this RSI"),
            .number("range_rsi_sell", default: 60, range: 1...99, "ranging market: sell above this RSI"),
            .integer("bb_period", default: 20, range: 2...500, "Bollinger period"),
            .number("bb_dev", default: 2, range: 0.1...10, "Bollinger width"),
            .integer("atr_period", default: 14, range: 2...200, "ATR period for volatility"),
            .number(
                "target_volatility", default: 0.5, range: 0.01...50, "ATR as % of price at which the full size is used"),
            .number("min_size", default: 0.25, range: 0.01...1, "smallest fraction of the configured size"),
        ]),
        make: { p in
            guard p.integer("fast_ema") < p.integer("slow_ema") else {
                throw ParameterError.invalidValue(
                    name: "fast_ema", value: String(p.integer("fast_ema")),
                    allowed: "an integer below slow_ema (\(p.integer("slow_ema")))")
            }
            return EnhancedStrategy(
                adxPeriod: p.integer("adx_period"), trendThreshold: p.number("adx_trend"),
                fastPeriod: p.integer("fast_ema"),
                slowPeriod: p.integer("slow_ema"), rsiPeriod: p.integer("rsi_period"),
                rangeBuy: p.number("range_rsi_buy"),
                rangeSell: p.number("range_rsi_sell"), bbPeriod: p.integer("bb_period"), bbDev: p.number("bb_dev"),
                atrPeriod: p.integer("atr_period"), targetVolatility: p.number("target_volatility"),
                minimumSize: p.number("min_size"))
        })

    public init(
        adxPeriod: Int = 14, trendThreshold: Double = 25, fastPeriod: Int = 20, slowPeriod: Int = 50,
        rsiPeriod: Int = 14,
        rangeBuy: Double = 35, rangeSell: Double = 60, bbPeriod: Int = 20, bbDev: Double = 2, atrPeriod: Int = 14,
        targetVolatility: Double = 0.5, minimumSize: Double = 0.25
    ) {
        adx = ADX(period: adxPeriod)
        fast = EMA(period: fastPeriod)
        slow = EMA(period: slowPeriod)
        macd = MACD(fast: 12, slow: 26, signal: 9)
        rsi = RSI(period: rsiPeriod)
        bands = BollingerBands(period: bbPeriod, deviations: bbDev)
        atr = ATR(period: atrPeriod)
        self.trendThreshold = trendThreshold
        self.rangeBuy = rangeBuy
        self.rangeSell = rangeSell
        self.targetVolatility = targetVolatility
        self.minimumSize = minimumSize
    }

    public var warmUpBars: Int {
        [
            adx.warmUpPeriod, fast.warmUpPeriod, slow.warmUpPeriod, macd.warmUpPeriod, rsi.warmUpPeriod,
            bands.warmUpPeriod,
            atr.warmUpPeriod,
        ].max()! + 1
    }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let close = candle.close.doubleValue
        let a = adx.update(candle)
        let f = fast.update(close)
        let s = slow.update(close)
        let m = macd.update(close)
        let crossed = m.map { cross.update($0.macd, $0.signal) } ?? 0
        let r = rsi.update(close)
        let b = bands.update(close)
        let volatility = atr.update(candle)
        guard let a, let f, let s, let r, let b, let volatility, close > 0 else { return nil }
        let trending = a.adx >= trendThreshold
        let regime = trending ? (f > s ? "trending up" : "trending down") : "ranging"
        if context.isLong {
            if entryRegime == "trending up" || trending {
                if close < s {
                    return Signal(
                        .exitLong,
                        reasoning: "SELL: \(regime) (ADX \(fmt(a.adx))), close \(candle.close) below slow EMA \(fmt(s))"
                    )
                }
                if regime == "trending down" {
                    return Signal(.exitLong, reasoning: "SELL: regime turned trending down (ADX \(fmt(a.adx)))")
                }
            } else if close >= b.middle || r > rangeSell {
                return Signal(
                    .exitLong,
                    reasoning:
                        "SELL: ranging, close \(candle.close) reached middle band \(fmt(b.middle)) or RSI \(fmt(r)) > \(fmt(rangeSell))"
                )
            }
            return nil
        }
        guard context.isFlat else { return nil }
        let atrPct = volatility / close * 100
        let size = Swift.max(minimumSize, Swift.min(1, targetVolatility / Swift.max(atrPct, 1e-9)))
        switch regime {
        case "trending up" where crossed == 1 && close > f:
            entryRegime = regime
            return Signal(
                .enterLong,
                reasoning:
                    "BUY: trending up (ADX \(fmt(a.adx)), EMA \(fmt(f)) > \(fmt(s))), MACD crossed above signal; size \(fmt(size * 100, 0))% (ATR \(fmt(atrPct))%)",
                sizeFraction: size)
        case "ranging" where close <= b.lower && r < rangeBuy:
            entryRegime = regime
            return Signal(
                .enterLong,
                reasoning:
                    "BUY: ranging (ADX \(fmt(a.adx))), close \(candle.close) ≤ lower band \(fmt(b.lower)), RSI \(fmt(r)); size \(fmt(size * 100, 0))% (ATR \(fmt(atrPct))%)",
                sizeFraction: size)
        default:
            return nil
        }
    }
}
