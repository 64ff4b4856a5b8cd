import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `RSIBBVolumeEntryMixin`: RSI oversold, close at or below the lower Bollinger band, and volume
/// at least `e_min_volume_ratio` times its moving average (capitulation with participation).
public struct RSIBBVolumeEntry: EntryRule {
    var rsi: RSI
    var bands: BollingerBands
    var volume: SMA
    let oversold: Double
    let minimumRatio: Double

    public static let descriptor = RuleDescriptor<any EntryRule>(
        name: "RSIBBVolumeEntryMixin",
        summary: "RSI oversold, close at or below the lower band, volume above its average",
        schema: ParameterSchema([
            .integer("e_rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("e_rsi_oversold", default: 30, range: 1...99, "RSI level below which the market is oversold"),
            .integer("e_bb_period", default: 20, range: 2...500, "Bollinger band period"),
            .number("e_bb_dev", default: 2, range: 0.1...10, "Bollinger band width in standard deviations"),
            .integer("e_vol_ma_period", default: 20, range: 2...500, "volume moving-average period"),
            .number("e_min_volume_ratio", default: 1.1, range: 0...20, "minimum volume / average volume"),
        ]),
        make: { p in
            RSIBBVolumeEntry(
                rsiPeriod: p.integer("e_rsi_period"), oversold: p.number("e_rsi_oversold"),
                bbPeriod: p.integer("e_bb_period"), deviations: p.number("e_bb_dev"),
                volumePeriod: p.integer("e_vol_ma_period"), minimumRatio: p.number("e_min_volume_ratio"))
        })

    public init(
        rsiPeriod: Int = 14, oversold: Double = 30, bbPeriod: Int = 20, deviations: Double = 2, volumePeriod: Int = 20,
        minimumRatio: Double = 1.1
    ) {
        rsi = RSI(period: rsiPeriod)
        bands = BollingerBands(period: bbPeriod, deviations: deviations)
        volume = SMA(period: volumePeriod)
        self.oversold = oversold
        self.minimumRatio = minimumRatio
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, bands.warmUpPeriod, volume.warmUpPeriod) }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let close = candle.close.doubleValue
        let vol = candle.volume.doubleValue
        let r = rsi.update(close)
        let b = bands.update(close)
        guard let average = volume.update(vol), let r, let b else { return nil }
        guard r < oversold, close <= b.lower, average > 0, vol >= minimumRatio * average else { return nil }
        return Signal(
            .enterLong,
            reasoning:
                "RSI \(fmt(r)) < \(fmt(oversold)), close \(candle.close) ≤ lower band \(fmt(b.lower)), volume \(fmt(vol / average))× its average"
        )
    }
}
