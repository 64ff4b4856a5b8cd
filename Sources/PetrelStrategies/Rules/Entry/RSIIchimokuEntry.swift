import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `RSIIchimokuEntryMixin`: the Tenkan-sen crosses above the Kijun-sen while the close is above
/// the cloud and RSI is not overbought.
public struct RSIIchimokuEntry: EntryRule {
    var rsi: RSI
    var ichimoku: Ichimoku
    var cross = CrossTracker()
    let maximumRSI: Double

    public static let descriptor = RuleDescriptor<any EntryRule>(
        name: "RSIIchimokuEntryMixin", summary: "Tenkan crosses above Kijun above the cloud with RSI not overbought",
        schema: ParameterSchema([
            .integer("e_rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("e_rsi_overbought", default: 70, range: 1...99, "no entry when RSI is at or above this"),
            .integer("e_tenkan", default: 9, range: 2...200, "Tenkan-sen (conversion line) period"),
            .integer("e_kijun", default: 26, range: 2...300, "Kijun-sen (base line) period and cloud displacement"),
            .integer("e_senkou", default: 52, range: 2...500, "Senkou span B period"),
        ]),
        make: { p in
            RSIIchimokuEntry(
                rsiPeriod: p.integer("e_rsi_period"), maximumRSI: p.number("e_rsi_overbought"),
                tenkan: p.integer("e_tenkan"), kijun: p.integer("e_kijun"), senkou: p.integer("e_senkou"))
        })

    public init(rsiPeriod: Int = 14, maximumRSI: Double = 70, tenkan: Int = 9, kijun: Int = 26, senkou: Int = 52) {
        rsi = RSI(period: rsiPeriod)
        ichimoku = Ichimoku(tenkan: tenkan, kijun: kijun, senkouB: senkou, displacement: kijun)
        self.maximumRSI = maximumRSI
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, ichimoku.warmUpPeriod) }

    public mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
        let close = candle.close.doubleValue
        let r = rsi.update(close)
        guard let value = ichimoku.update(candle) else { return nil }
        let crossed = cross.update(value.tenkan, value.kijun)
        guard let r, crossed == 1 else { return nil }
        let cloudTop = Swift.max(value.senkouA, value.senkouB)
        guard close > cloudTop, r < maximumRSI else { return nil }
        return Signal(
            .enterLong,
            reasoning:
                "Tenkan \(fmt(value.tenkan)) crossed above Kijun \(fmt(value.kijun)), close \(candle.close) above the cloud (\(fmt(cloudTop))), RSI \(fmt(r)) < \(fmt(maximumRSI))"
        )
    }
}
