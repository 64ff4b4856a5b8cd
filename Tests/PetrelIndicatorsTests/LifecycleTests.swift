import PetrelCore
import PetrelIndicators
import Testing

/// One indicator type under a uniform, type-erased check.
struct IndicatorCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Runs the check on candles; returns a list of failures (empty when everything held).
    let check: @Sendable ([Candle]) -> [String]
    var testDescription: String { name }

    /// reset() must behave like a fresh indicator; batch() must equal a manual loop and
    /// leave the receiver untouched.
    static func make<I: CandleIndicator>(_ name: String, _ indicator: I) -> IndicatorCase where I.Output: Equatable {
        IndicatorCase(name: name) { candles in
            var failures: [String] = []
            let fresh = indicator.batch(candles)
            var manual = indicator
            let looped = candles.map { manual.update($0) }
            if looped != fresh { failures.append("batch differs from calling update in a loop") }
            if indicator.value != nil { failures.append("batch changed the original") }
            if manual.value != fresh.last ?? nil { failures.append("value is not the latest output") }

            var used = indicator
            for candle in candles.prefix(777) { _ = used.update(candle) }
            used.reset()
            if used.value != nil || used.isReady { failures.append("reset left a value") }
            let afterReset = candles.map { used.update($0) }
            if afterReset != fresh { failures.append("outputs after reset differ from a fresh indicator") }
            if !fresh.contains(where: { $0 != nil }) { failures.append("no values at all") }
            return failures
        }
    }

    static let all: [IndicatorCase] = [
        make("SMA", SMA(period: 20)), make("EMA", EMA(period: 20)), make("WMA", WMA(period: 20)),
        make("RSI", RSI()), make("MACD", MACD()), make("BollingerBands", BollingerBands()), make("ATR", ATR()),
        make("Stochastic", Stochastic()), make("ADX", ADX()), make("CCI", CCI()), make("ROC", ROC()),
        make("WilliamsR", WilliamsR()), make("OBV", OBV()), make("VWAP rolling", VWAP(period: 20)),
        make("VWAP session", VWAP()), make("VolumeSMA", VolumeSMA()), make("DonchianChannels", DonchianChannels()),
        make("KeltnerChannels", KeltnerChannels()), make("Ichimoku", Ichimoku()), make("SuperTrend", SuperTrend()),
        make("StandardDeviation", StandardDeviation(period: 20)), make("LogReturnVolatility", LogReturnVolatility()),
    ]
}

@Suite("Every indicator resets, batches and accepts candles consistently")
struct LifecycleTests {
    @Test("reset() returns to the fresh state and batch() equals a loop of updates", arguments: IndicatorCase.all)
    func resetAndBatch(indicator: IndicatorCase) throws {
        #expect(indicator.check(try Dataset.btcusdt.candles) == [])
    }

    @Test("feeding candles equals feeding their Double fields")
    func candleEntryPointsAgree() throws {
        let candles = try Dataset.ethbtc.candles
        let s = Series(candles)
        var closeOnly = RSI()
        #expect(RSI().batch(candles) == s.closes.map { closeOnly.update($0) })
        var bars = ADX()
        #expect(
            ADX().batch(candles)
                == s.closes.indices.map { bars.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0]) })
        var volume = VolumeSMA()
        #expect(VolumeSMA().batch(candles) == s.volumes.map { volume.update(volume: $0) })
        var session = VWAP()
        #expect(
            VWAP().batch(candles)
                == s.closes.indices.map {
                    session.update(
                        timestamp: s.timestamps[$0], high: s.highs[$0], low: s.lows[$0], close: s.closes[$0],
                        volume: s.volumes[$0])
                })
        var rolling = VWAP(period: 12)
        let rollingWithTimes = s.closes.indices.map {
            rolling.update(
                timestamp: s.timestamps[$0], high: s.highs[$0], low: s.lows[$0], close: s.closes[$0],
                volume: s.volumes[$0])
        }
        #expect(VWAP(period: 12).batch(candles) == rollingWithTimes)
    }

    @Test("an indicator copied mid-stream continues independently of the original")
    func valueSemantics() throws {
        let closes = try Dataset.btcusdt.series.closes
        var original = BollingerBands()
        for close in closes.prefix(100) { _ = original.update(close) }
        var copy = original
        let fromCopy = closes[100..<200].map { copy.update($0) }
        #expect(original.value == BollingerBands().batch(closes.prefix(100)).last!)
        let fromOriginal = closes[100..<200].map { original.update($0) }
        #expect(fromCopy == fromOriginal)
    }
}
