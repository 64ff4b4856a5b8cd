import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `RSIBBEntryMixin`: buy when RSI is oversold and the close is at or below the lower Bollinger band.
public struct RSIBBEntry: EntryRule {
    var rsi: RSI
    var bands: BollingerBands
    let oversold: Double

    public static let descriptor = RuleDescriptor<any EntryRule>(
        name: "RSIBBEntryMixin", summary: "RSI oversold and close at or below the lower Bollinger band",
        schema: ParameterSchema([
            .integer("e_rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("e_rsi_oversold", default: 30, range: 1...99, "RSI level below which the market is oversold"),
            .integer("e_bb_period", default: 20, range: 2...500, "Bollinger band period"),
            .number("e_bb_dev", default: 2, range: 0.1...10, "Bollinger band width in standard deviations"),
        ]),
        make: { p in
            RSIBBEntry(
                rsiPeriod: p.integer("e_rsi_period"), oversold: p.number("e_rsi_oversold"),
                bbPeriod: p.integer("e_bb_period"), deviations: p.number("e_bb_dev"))
        })

    public init(rsiPeriod: Int = 14, oversold: Double = 30, bbPeriod: Int = 20, deviations: Double = 2) {
        rsi = RSI(period: rsiPeriod)
        bands = BollingerBands(period: bbPeriod, deviations: deviations)
        self.oversold = oversold
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, bands.warmUpPeriod) }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let close = candle.close.doubleValue
        // Update both before checking: a `guard let … = a.update(), let … = b.update()` chain would
        // skip the bands while the RSI warms up and delay the first possible entry.
        let r = rsi.update(close)
        let b = bands.update(close)
        guard let r, let b else { return nil }
        guard r < oversold, close <= b.lower else { return nil }
        return Signal(
            .enterLong,
            reasoning: "RSI \(fmt(r)) < \(fmt(oversold)) and close \(candle.close) ≤ lower band \(fmt(b.lower))")
    }
}
