import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// Seed 003's `volatile`: technical analysis only, RSI + MACD + Bollinger Bands, for any coin.
///
/// Each indicator casts a vote: buy votes are RSI below `rsi_oversold`, a MACD line crossing above
/// its signal (or a rising negative histogram), and a close at or below the lower band; sell votes
/// mirror them. A signal needs `min_confirmations` votes; the reasoning lists them.
public struct VolatileStrategy: Strategy {
    var rsi: RSI
    var macd: MACD
    var bands: BollingerBands
    var cross = CrossTracker()
    var previousHistogram: Double?
    let oversold: Double
    let overbought: Double
    let confirmations: Int

    public static let descriptor = StrategyDescriptor(
        name: "volatile", summary: "RSI + MACD + Bollinger Bands votes for volatile coins (seed 003)",
        schema: ParameterSchema([
            .integer("rsi_period", default: 14, range: 2...200, "RSI period"),
            .number("rsi_oversold", default: 35, range: 1...99, "RSI buy level"),
            .number("rsi_overbought", default: 65, range: 1...99, "RSI sell level"),
            .integer("macd_fast", default: 12, range: 2...200, "MACD fast EMA"),
            .integer("macd_slow", default: 26, range: 3...400, "MACD slow EMA"),
            .integer("macd_signal", default: 9, range: 2...200, "MACD signal EMA"),
            .integer("bb_period", default: 20, range: 2...500, "Bollinger period"),
            .number("bb_dev", default: 2, range: 0.1...10, "Bollinger width in standard deviations"),
            .integer("min_confirmations", default: 2, range: 1...3, "indicators that must agree"),
        ]),
        make: { p in
            guard p.integer("macd_fast") < p.integer("macd_slow") else {
                throw ParameterError.invalidValue(
                    name: "macd_fast", value: String(p.integer("macd_fast")),
                    allowed: "an integer below macd_slow (\(p.integer("macd_slow")))")
            }
            return VolatileStrategy(
                rsiPeriod: p.integer("rsi_period"), oversold: p.number("rsi_oversold"),
                overbought: p.number("rsi_overbought"), macdFast: p.integer("macd_fast"),
                macdSlow: p.integer("macd_slow"), macdSignal: p.integer("macd_signal"),
                bbPeriod: p.integer("bb_period"),
                bbDev: p.number("bb_dev"), confirmations: p.integer("min_confirmations"))
        })

    public init(
        rsiPeriod: Int = 14, oversold: Double = 35, overbought: Double = 65, macdFast: Int = 12, macdSlow: Int = 26,
        macdSignal: Int = 9, bbPeriod: Int = 20, bbDev: Double = 2, confirmations: Int = 2
    ) {
        rsi = RSI(period: rsiPeriod)
        macd = MACD(fast: macdFast, slow: macdSlow, signal: macdSignal)
        bands = BollingerBands(period: bbPeriod, deviations: bbDev)
        self.oversold = oversold
        self.overbought = overbought
        self.confirmations = confirmations
    }

    public var warmUpBars: Int { Swift.max(rsi.warmUpPeriod, macd.warmUpPeriod, bands.warmUpPeriod) + 1 }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let close = candle.close.doubleValue
        let r = rsi.update(close)
        let b = bands.update(close)
        guard let m = macd.update(close) else { return nil }
        let crossed = cross.update(m.macd, m.signal)
        let rising = previousHistogram.map { m.histogram > $0 } ?? false
        let falling = previousHistogram.map { m.histogram < $0 } ?? false
        previousHistogram = m.histogram
        guard let r, let b else { return nil }
        if context.isFlat {
            var votes: [String] = []
            if r < oversold { votes.append("RSI \(fmt(r)) < \(fmt(oversold))") }
            if crossed == 1 || (m.histogram < 0 && rising) {
                votes.append("MACD turning up (histogram \(fmt(m.histogram, 4)))")
            }
            if close <= b.lower { votes.append("close \(candle.close) ≤ lower band \(fmt(b.lower))") }
            guard votes.count >= confirmations else { return nil }
            return Signal(.enterLong, reasoning: "BUY: " + votes.joined(separator: "; "))
        }
        guard context.isLong else { return nil }
        var votes: [String] = []
        if r > overbought { votes.append("RSI \(fmt(r)) > \(fmt(overbought))") }
        if crossed == -1 || (m.histogram > 0 && falling) {
            votes.append("MACD turning down (histogram \(fmt(m.histogram, 4)))")
        }
        if close >= b.upper { votes.append("close \(candle.close) ≥ upper band \(fmt(b.upper))") }
        guard votes.count >= confirmations else { return nil }
        return Signal(.exitLong, reasoning: "SELL: " + votes.joined(separator: "; "))
    }
}
