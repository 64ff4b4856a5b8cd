import PetrelCore
import PetrelIndicators
import Testing

@Suite("Degenerate inputs give TA-Lib's values instead of NaN")
struct EdgeCaseTests {
    @Test("a flat series has RSI 0 (TA-Lib) and a rising series RSI 100")
    func rsiExtremes() {
        #expect(RSI(period: 5).batch([Double](repeating: 7, count: 10)).last == 0)
        #expect(RSI(period: 5).batch((1...10).map(Double.init)).last == 100)
        #expect(RSI(period: 5).batch((1...10).reversed().map(Double.init)).last == 0)
    }

    @Test("bars with no range give stochastic, %R and CCI of 0, and a standard deviation of 0")
    func zeroRange() {
        var stochastic = Stochastic()
        var williams = WilliamsR()
        var cci = CCI()
        var deviation = StandardDeviation(period: 5)
        for _ in 0..<30 {
            _ = stochastic.update(high: 5, low: 5, close: 5)
            _ = williams.update(high: 5, low: 5, close: 5)
            _ = cci.update(high: 5, low: 5, close: 5)
            _ = deviation.update(5)
        }
        #expect(stochastic.value == Stochastic.Value(k: 0, d: 0))
        #expect(williams.value == 0)
        #expect(cci.value == 0)
        #expect(deviation.value == 0)
    }

    @Test("ROC against a zero reference is 0, as TA-Lib")
    func rocZeroReference() {
        #expect(ROC(period: 2).batch([0, 1, 5]) == [nil, nil, 0])
        #expect(ROC(period: 1).batch([4, 5]) == [nil, 25])
    }

    @Test("percent B places the close between the bands and bandwidth is relative to the middle")
    func bollingerDerivedValues() throws {
        let bands = BollingerBands.Value(upper: 110, middle: 100, lower: 90)
        #expect(bands.percentB(close: 90) == 0)
        #expect(bands.percentB(close: 110) == 1)
        #expect(bands.percentB(close: 100) == 0.5)
        #expect(bands.bandwidth == 0.2)
        #expect(BollingerBands.Value(upper: 5, middle: 5, lower: 5).percentB(close: 5) == 0.5)
        let closes = try Dataset.btcusdt.series.closes
        for (close, reading) in zip(closes, BollingerBands().batch(closes)).suffix(500) {
            let b = try #require(reading).percentB(close: close)
            #expect(b > -1 && b < 2)
        }
    }

    @Test("a NaN input taints the standard deviation only while it is in the window")
    func nanLeavesTheWindow() {
        var deviation = StandardDeviation(period: 3)
        let inputs: [Double] = [1, 2, 3, .nan, 4, 5, 6, 7, 8]
        let outputs = inputs.map { deviation.update($0) }
        #expect(outputs[3]!.isNaN && outputs[5]!.isNaN)
        #expect(abs(outputs[6]! - (2.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(outputs[8]! - (2.0 / 3).squareRoot()) < 1e-12)
    }

    @Test("session VWAP buckets timestamps before 1970 by floor division")
    func negativeTimestamps() {
        var vwap = VWAP(sessionLengthMs: 1_000)
        _ = vwap.update(timestamp: -1_500, high: 10, low: 10, close: 10, volume: 1)
        let sameSession = vwap.update(timestamp: -1_001, high: 20, low: 20, close: 20, volume: 1)
        let nextSession = vwap.update(timestamp: -1_000, high: 30, low: 30, close: 30, volume: 1)
        #expect(sameSession == 15)
        #expect(nextSession == 30)
    }
}
