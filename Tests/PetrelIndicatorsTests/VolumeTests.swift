import PetrelCore
import PetrelIndicators
import Testing

@Suite("Volume indicators match their published formulas on real candles")
struct VolumeTests {
    @Test("OBV starts at the first volume and adds or subtracts each bar's volume", arguments: Dataset.allCases)
    func obv(dataset: Dataset) throws {
        let s = try dataset.series
        var indicator = OBV()
        let streamed = (0..<s.count).map { indicator.update(close: s.closes[$0], volume: s.volumes[$0]) }
        expectSeries(streamed, matches: Naive.obv(s), within: Tolerance(absolute: 1e-6), "OBV")
        #expect(streamed.first == s.volumes.first)
    }

    @Test("volume SMA averages the last period volumes", arguments: Dataset.allCases)
    func volumeSMA(dataset: Dataset) throws {
        let s = try dataset.series
        let streamed = VolumeSMA(period: 20).batch(try dataset.candles)
        expectSeries(streamed, matches: Naive.sma(s.volumes, 20), within: Tolerance(absolute: 1e-9), "VOLSMA(20)")
    }

    @Test("rolling VWAP weighs the typical price by volume over the last period bars", arguments: Dataset.allCases)
    func rollingVWAP(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 20, 390] {
            var indicator = VWAP(period: period)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0], volume: s.volumes[$0])
            }
            expectSeries(
                streamed, matches: Naive.rollingVWAP(s, period),
                within: Tolerance(absolute: 1e-12 * dataset.priceScale),
                "VWAP(\(period))")
            #expect(firstValueIndex(streamed) == period - 1)
        }
    }

    @Test("session VWAP restarts at 00:00 UTC and at custom session lengths", arguments: Dataset.allCases)
    func sessionVWAP(dataset: Dataset) throws {
        let s = try dataset.series
        let candles = try dataset.candles
        for length: Int64 in [VWAP.dayMs, 4 * 3_600_000, 60 * 60_000 + 1] {
            let streamed = VWAP(sessionLengthMs: length).batch(candles)
            expectSeries(
                streamed, matches: Naive.sessionVWAP(s, length: length),
                within: Tolerance(absolute: 1e-12 * dataset.priceScale), "session VWAP(\(length) ms)")
        }
    }

    @Test("the first bar of a new UTC day gets its own typical price as session VWAP")
    func sessionVWAPResetsAtMidnight() throws {
        let candles = try Dataset.btcusdt.candles
        let midnight = try #require(candles.firstIndex { $0.timestamp == 1_704_153_600_000 })  // 2024-01-02 00:00 UTC
        let streamed = VWAP().batch(candles)
        let value = try #require(streamed[midnight])
        #expect(abs(value - candles[midnight].typicalPrice) < 1e-9)
        #expect(abs((streamed[midnight - 1] ?? 0) - candles[midnight - 1].typicalPrice) > 1e-6)
    }

    @Test("windows of zero-volume bars give the latest typical price instead of 0/0")
    func zeroVolume() throws {
        let candles = try MarketData.xrpeth.get()
        let s = Series(candles)
        #expect(s.volumes.filter { $0 == 0 }.count == 1_091)
        let silentWindows = (4..<s.count).filter { t in s.volumes[(t - 4)...t].allSatisfy { $0 == 0 } }
        #expect(silentWindows.count == 31)
        let fiveBar = VWAP(period: 5).batch(candles)
        for t in silentWindows {
            #expect(fiveBar[t] == Naive.typicalPrice(s, t))
        }
        for period in [5, 30] {
            let streamed = VWAP(period: period).batch(candles)
            #expect(streamed.allSatisfy { $0 == nil || $0!.isFinite })
            expectSeries(
                streamed, matches: Naive.rollingVWAP(s, period), within: Tolerance(absolute: 1e-15),
                "VWAP(\(period)) on XRP/ETH")
        }
        expectSeries(
            VWAP().batch(candles), matches: Naive.sessionVWAP(s, length: VWAP.dayMs),
            within: Tolerance(absolute: 1e-15),
            "session VWAP on XRP/ETH")
    }
}
