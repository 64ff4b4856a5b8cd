import PetrelCore
import PetrelIndicators
import Testing

@Suite("Warm-up lengths follow TA-Lib's lookbacks")
struct WarmUpTests {
    @Test(
        "the first value appears at the documented index and warmUpPeriod is that index + 1",
        arguments: [
            ("sma:20", 19), ("ema:20", 19), ("wma:20", 19), ("rsi:14", 14), ("macd:12,26,9", 33),
            ("bbands:20,2", 19), ("atr:14", 14), ("stoch:14,3,3", 17), ("adx:14", 27), ("cci:20", 19),
            ("roc:10", 10), ("willr:14", 13), ("obv", 0), ("vwap:20", 19), ("vwap:session", 0), ("volsma:20", 19),
            ("donchian:20", 19), ("keltner:20,2,10", 19), ("keltner:5,2,10", 10), ("ichimoku:9,26,52", 77),
            ("supertrend:10,3", 10), ("stddev:20", 19), ("logvol:20", 20),
        ])
    func firstValueIndex(text: String, index: Int) throws {
        let spec = try IndicatorSpec(parsing: text)
        let candles = try Dataset.btcusdt.candles
        #expect(spec.warmUpPeriod == index + 1)
        for column in spec.compute(candles) {
            #expect(column.count == candles.count)
            #expect(column.firstIndex { $0 != nil } == index)
            // Once warm, an indicator never goes back to nil.
            #expect(column[index...].allSatisfy { $0 != nil })
        }
    }

    @Test("isReady turns true exactly with the warmUpPeriod-th input")
    func isReady() throws {
        let closes = try Dataset.btcusdt.series.closes
        var rsi = RSI(period: 14)
        for (index, close) in closes.prefix(30).enumerated() {
            #expect(rsi.isReady == (index >= rsi.warmUpPeriod))
            _ = rsi.update(close)
            #expect(rsi.isReady == (index + 1 >= rsi.warmUpPeriod))
        }
        var macd = MACD()
        for close in closes.prefix(33) { _ = macd.update(close) }
        #expect(!macd.isReady && macd.value == nil)
        let reading = macd.update(closes[33])
        #expect(macd.isReady && macd.value == reading && reading != nil)
    }
}
