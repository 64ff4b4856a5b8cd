import PetrelCore
import PetrelIndicators
import Testing

@Suite("Moving averages match their published formulas on real candles")
struct MovingAverageTests {
    @Test("SMA equals the window mean at every bar, first value at index period − 1", arguments: Dataset.allCases)
    func sma(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 2, 20, 50] {
            let streamed = SMA(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.sma(s.closes, period),
                within: Tolerance(absolute: 1e-12 * dataset.priceScale), "SMA(\(period))")
            #expect(firstValueIndex(streamed) == period - 1)
        }
    }

    @Test("EMA is seeded with the SMA of the first period inputs, as TA-Lib", arguments: Dataset.allCases)
    func ema(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 9, 20, 50] {
            let streamed = EMA(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.ema(s.closes, period),
                within: Tolerance(absolute: 1e-12 * dataset.priceScale), "EMA(\(period))")
            #expect(firstValueIndex(streamed) == period - 1)
        }
    }

    @Test("WMA weighs the newest input by period and the oldest by 1", arguments: Dataset.allCases)
    func wma(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 2, 10, 30] {
            let streamed = WMA(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.wma(s.closes, period),
                within: Tolerance(absolute: 1e-12 * dataset.priceScale), "WMA(\(period))")
        }
    }

    @Test("MACD 12/26/9 aligns the fast EMA to the slow one and starts at index 33", arguments: Dataset.allCases)
    func macd(dataset: Dataset) throws {
        let s = try dataset.series
        for (fast, slow, signal) in [(12, 26, 9), (5, 35, 5), (3, 3, 1)] {
            let streamed = MACD(fast: fast, slow: slow, signal: signal).batch(s.closes)
            let reference = Naive.macd(s.closes, fast, slow, signal)
            let tolerance = Tolerance(absolute: 1e-11 * dataset.priceScale)
            let label = "MACD(\(fast),\(slow),\(signal))"
            expectSeries(streamed.map { $0?.macd }, matches: reference.macd, within: tolerance, label)
            expectSeries(streamed.map { $0?.signal }, matches: reference.signal, within: tolerance, label + " signal")
            expectSeries(
                streamed.map { $0?.histogram }, matches: reference.histogram, within: tolerance, label + " histogram")
        }
        let defaults = MACD().batch(s.closes)
        #expect(firstValueIndex(defaults.map { $0?.macd }) == 33)
    }

    @Test("MACD's fast EMA is not seeded on the first 12 closes (TA-Lib's alignment)")
    func macdSeedingDiffersFromNaiveFastEMA() throws {
        let s = try Dataset.btcusdt.series
        let reading = try #require(MACD().batch(s.closes)[33])
        // The line a user would get from two independently seeded EMAs differs at index 33.
        let independent = Naive.ema(s.closes, 12)[33]! - Naive.ema(s.closes, 26)[33]!
        let aligned = Naive.ema(s.closes, 12, seedEnd: 25)[33]! - Naive.ema(s.closes, 26)[33]!
        #expect(abs(reading.macd - aligned) < 1e-9)
        #expect(abs(reading.macd - independent) > 1e-6)
    }
}
