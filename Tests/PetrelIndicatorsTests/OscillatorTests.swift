import PetrelCore
import PetrelIndicators
import Testing

@Suite("Oscillators match their published formulas on real candles")
struct OscillatorTests {
    @Test(
        "RSI uses Wilder smoothing seeded with simple averages; first value at index period",
        arguments: Dataset.allCases)
    func rsi(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [2, 14, 30] {
            let streamed = RSI(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.rsi(s.closes, period), within: Tolerance(absolute: 1e-9), "RSI(\(period))")
            #expect(firstValueIndex(streamed) == period)
            #expect(streamed.allSatisfy { $0 == nil || (0...100).contains($0!) })
        }
    }

    @Test("slow stochastic 14/3/3 smooths %K and %D with SMAs; first value at index 17", arguments: Dataset.allCases)
    func stochastic(dataset: Dataset) throws {
        let s = try dataset.series
        let candles = try dataset.candles
        for (fastK, slowK, slowD) in [(14, 3, 3), (5, 1, 1), (21, 5, 4)] {
            let streamed = Stochastic(fastKPeriod: fastK, slowKPeriod: slowK, slowDPeriod: slowD).batch(candles)
            let reference = Naive.stochastic(s, fastK, slowK, slowD)
            let label = "STOCH(\(fastK),\(slowK),\(slowD))"
            expectSeries(streamed.map { $0?.k }, matches: reference.k, within: Tolerance(absolute: 1e-9), label + " %K")
            expectSeries(streamed.map { $0?.d }, matches: reference.d, within: Tolerance(absolute: 1e-9), label + " %D")
        }
        #expect(firstValueIndex(Stochastic().batch(candles).map { $0?.k }) == 17)
    }

    @Test("Williams %R compares the close with the highest high and lowest low", arguments: Dataset.allCases)
    func williamsR(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 14, 60] {
            var indicator = WilliamsR(period: period)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            expectSeries(
                streamed, matches: Naive.williamsR(s, period), within: Tolerance(absolute: 1e-9), "WILLR(\(period))")
            #expect(streamed.allSatisfy { $0 == nil || (-100...0).contains($0!) })
        }
    }

    @Test(
        "CCI divides the typical price's distance from its mean by 0.015 × mean deviation", arguments: Dataset.allCases)
    func cci(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [2, 14, 20] {
            var indicator = CCI(period: period)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            expectSeries(streamed, matches: Naive.cci(s, period), within: Tolerance(absolute: 1e-8), "CCI(\(period))")
            #expect(firstValueIndex(streamed) == period - 1)
        }
    }

    @Test("ROC is the percent change over period inputs; first value at index period", arguments: Dataset.allCases)
    func roc(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 10, 100] {
            let streamed = ROC(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.roc(s.closes, period), within: Tolerance(absolute: 1e-12), "ROC(\(period))")
            #expect(firstValueIndex(streamed) == period)
        }
    }

    @Test("ADX, +DI and −DI follow TA-Lib's smoothing; first value at index 2·period − 1", arguments: Dataset.allCases)
    func adx(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 5, 14, 30] {
            var indicator = ADX(period: period)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            let reference = Naive.adx(s, period)
            let tolerance = Tolerance(absolute: 1e-9)
            expectSeries(streamed.map { $0?.adx }, matches: reference.adx, within: tolerance, "ADX(\(period))")
            expectSeries(streamed.map { $0?.plusDI }, matches: reference.plusDI, within: tolerance, "+DI(\(period))")
            expectSeries(streamed.map { $0?.minusDI }, matches: reference.minusDI, within: tolerance, "−DI(\(period))")
            #expect(firstValueIndex(streamed.map { $0?.adx }) == 2 * period - 1)
        }
    }
}
