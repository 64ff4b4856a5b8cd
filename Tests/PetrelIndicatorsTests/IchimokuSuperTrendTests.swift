import PetrelCore
import PetrelIndicators
import Testing

@Suite("Ichimoku and SuperTrend match their published definitions on real candles")
struct IchimokuSuperTrendTests {
    @Test(
        "Ichimoku 9/26/52 lines match the midpoint formulas; first full reading at index 77",
        arguments: Dataset.allCases)
    func ichimoku(dataset: Dataset) throws {
        let s = try dataset.series
        for (tenkan, kijun, senkouB, displacement) in [(9, 26, 52, 26), (7, 22, 44, 22), (3, 5, 8, 0)] {
            var indicator = Ichimoku(tenkan: tenkan, kijun: kijun, senkouB: senkouB, displacement: displacement)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            let reference = Naive.ichimoku(s, tenkan, kijun, senkouB, displacement)
            let tolerance = Tolerance(relative: 0, absolute: 1e-15 * dataset.priceScale)
            let label = "ICHIMOKU(\(tenkan),\(kijun),\(senkouB),\(displacement))"
            expectSeries(streamed.map { $0?.tenkan }, matches: reference[0], within: tolerance, label + " tenkan")
            expectSeries(streamed.map { $0?.kijun }, matches: reference[1], within: tolerance, label + " kijun")
            expectSeries(streamed.map { $0?.senkouA }, matches: reference[2], within: tolerance, label + " senkou A")
            expectSeries(streamed.map { $0?.senkouB }, matches: reference[3], within: tolerance, label + " senkou B")
            expectSeries(streamed.map { $0?.chikou }, matches: reference[4], within: tolerance, label + " chikou")
        }
        #expect(firstValueIndex(Ichimoku().batch(try dataset.candles).map { $0?.tenkan }) == 77)
    }

    @Test("the cloud returned at bar t is the one computed 26 bars earlier")
    func senkouAlignment() throws {
        let candles = try Dataset.btcusdt.candles
        let readings = Ichimoku().batch(candles)
        // With no displacement the spans are the current bar's; shifting them by 26 bars must
        // reproduce the displaced indicator exactly.
        let current = Ichimoku(displacement: 0).batch(candles)
        for t in 200..<260 {
            let reading = try #require(readings[t])
            let then = try #require(current[t - 26])
            #expect(reading.senkouA == then.senkouA)
            #expect(reading.senkouB == then.senkouB)
            #expect(reading.senkouA == (then.tenkan + then.kijun) / 2)
            #expect(reading.chikou == candles[t].close.doubleValue)
        }
    }

    @Test("SuperTrend trails ATR bands and flips with the close, as TradingView's", arguments: Dataset.allCases)
    func superTrend(dataset: Dataset) throws {
        let s = try dataset.series
        for (period, multiplier) in [(10, 3.0), (7, 1.0), (1, 0.5)] {
            var indicator = SuperTrend(period: period, multiplier: multiplier)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            let reference = Naive.superTrend(s, period, multiplier)
            let label = "SUPERTREND(\(period),\(multiplier))"
            expectSeries(
                streamed.map { $0?.value }, matches: reference.value,
                within: Tolerance(absolute: 1e-12 * dataset.priceScale), label + " value")
            expectSeries(
                streamed.map { $0.map { $0.isUptrend ? 1 : -1 } }, matches: reference.direction,
                within: Tolerance(relative: 0, absolute: 0), label + " direction")
            let flips = zip(reference.direction, reference.direction.dropFirst()).filter { $0 != nil && $0 != $1 }
            #expect(flips.count > 5, "real data should flip the trend several times")
        }
    }

    @Test("in an uptrend the SuperTrend line is below the close, in a downtrend above it")
    func superTrendSide() throws {
        let candles = try Dataset.btcusdt.candles
        for (candle, reading) in zip(candles, SuperTrend().batch(candles)) {
            guard let reading else { continue }
            if reading.isUptrend {
                #expect(reading.value <= candle.close.doubleValue)
            } else {
                #expect(reading.value >= candle.close.doubleValue)
            }
        }
    }
}
