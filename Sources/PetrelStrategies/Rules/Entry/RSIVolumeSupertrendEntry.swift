import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `RSIVolumeSupertrendEntryMixin`: in a SuperTrend uptrend, RSI crosses back above the oversold
/// level on volume at least `e_min_volume_ratio` times its average.
public struct RSIVolumeSupertrendEntry: EntryRule {
    var rsi: RSI
    var supertrend: SuperTrend
    var volume: SMA
    var cross = CrossTracker()
    let oversold: Double
    let minimumRatio: Double

    public static let descriptor = RuleDescriptor<any EntryRule>(
        name: "RSIVolumeSupertrendEntryMixin", summary: "SuperTrend up, RSI recovering from oversold, volume confirms",
        schema: ParameterSchema([
            .integer("e_rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("e_rsi_oversold", default: 30, range: 1...99, "RSI must cross up through this level"),
            .integer("e_st_period", default: 10, range: 2...200, "SuperTrend ATR period"),
            .number("e_st_multiplier", default: 3, range: 0.1...20, "SuperTrend ATR multiplier"),
            .integer("e_vol_ma_period", default: 20, range: 2...500, "volume moving-average period"),
            .number("e_min_volume_ratio", default: 1.0, range: 0...20, "minimum volume / average volume"),
        ]),
        make: { p in
            RSIVolumeSupertrendEntry(
                rsiPeriod: p.integer("e_rsi_period"), oversold: p.number("e_rsi_oversold"),
                stPeriod: p.integer("e_st_period"), stMultiplier: p.number("e_st_multiplier"),
                volumePeriod: p.integer("e_vol_ma_period"), minimumRatio: p.number("e_min_volume_ratio"))
        })

    public init(
        rsiPeriod: Int = 14, oversold: Double = 30, stPeriod: Int = 10, stMultiplier: Double = 3,
        volumePeriod: Int = 20,
        minimumRatio: Double = 1.0
    ) {
        rsi = RSI(period: rsiPeriod)
        supertrend = SuperTrend(period: stPeriod, multiplier: stMultiplier)
        volume = SMA(period: volumePeriod)
        self.oversold = oversold
        self.minimumRatio = minimumRatio
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, supertrend.warmUpPeriod, volume.warmUpPeriod) }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let close = candle.close.doubleValue
        let vol = candle.volume.doubleValue
        let trend = supertrend.update(candle)
        let average = volume.update(vol)
        guard let r = rsi.update(close) else { return nil }
        let crossed = cross.update(r, oversold)
        guard let trend, let average, crossed == 1, trend.isUptrend, average > 0, vol >= minimumRatio * average else {
            return nil
        }
        return Signal(
            .enterLong,
            reasoning:
                "SuperTrend up (\(fmt(trend.value))), RSI \(fmt(r)) crossed above \(fmt(oversold)), volume \(fmt(vol / average))× its average"
        )
    }
}
