import PetrelCore
import PetrelIndicators
import Testing

@Suite("Volatility indicators match their published formulas on real candles")
struct VolatilityTests {
    @Test("Bollinger Bands are SMA ± k population standard deviations", arguments: Dataset.allCases)
    func bollinger(dataset: Dataset) throws {
        let s = try dataset.series
        for (period, deviations) in [(20, 2.0), (5, 1.5), (50, 3.0)] {
            let streamed = BollingerBands(period: period, deviations: deviations).batch(s.closes)
            let reference = Naive.bollinger(s.closes, period, deviations)
            let tolerance = Tolerance(absolute: 1e-12 * dataset.priceScale)
            let label = "BBANDS(\(period),\(deviations))"
            expectSeries(streamed.map { $0?.upper }, matches: reference.upper, within: tolerance, label + " upper")
            expectSeries(streamed.map { $0?.middle }, matches: reference.middle, within: tolerance, label + " middle")
            expectSeries(streamed.map { $0?.lower }, matches: reference.lower, within: tolerance, label + " lower")
        }
    }

    @Test("the rolling standard deviation equals the two-pass population formula to 1e-9", arguments: Dataset.allCases)
    func standardDeviation(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 5, 20, 100] {
            let streamed = StandardDeviation(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.standardDeviation(s.closes, period),
                within: Tolerance(relative: 1e-9, absolute: 0), "STDDEV(\(period))")
        }
    }

    @Test(
        "over a whole month of BTC minutes the deviation stays within 1e-9 of the two-pass value, flat windows included",
        arguments: [2, 5, 20, 100])
    func standardDeviationDoesNotDrift(period: Int) throws {
        let closes = Series(try MarketData.btcusdtMonth.get()).closes
        #expect(closes.count == 44_640)
        let reference = Naive.standardDeviation(closes, period)
        // Windows whose deviation is about a millionth of the price, right after volatile ones,
        // are where subtractive running updates lose their digits.
        if period <= 5 { #expect(reference.contains { ($0 ?? 1) > 0 && ($0 ?? 1) < 0.05 }) }
        expectSeries(
            StandardDeviation(period: period).batch(closes), matches: reference,
            within: Tolerance(relative: 1e-9, absolute: 0), "STDDEV(\(period)) over 44,640 bars")
    }

    @Test("Bollinger width over the whole BTC month matches the two-pass formula")
    func bollingerDoesNotDrift() throws {
        let closes = Series(try MarketData.btcusdtMonth.get()).closes
        let bands = BollingerBands(period: 20, deviations: 2).batch(closes)
        let reference = Naive.bollinger(closes, 20, 2)
        expectSeries(
            bands.map { $0.map { $0.upper - $0.lower } },
            matches: zip(reference.upper, reference.lower).map { u, l in u.map { $0 - l! } },
            within: Tolerance(relative: 1e-9, absolute: 0), "Bollinger width over 44,640 bars")
    }

    @Test("ATR averages the true ranges of bars 1…period, then smooths like Wilder", arguments: Dataset.allCases)
    func atr(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 14, 50] {
            var indicator = ATR(period: period)
            let streamed = (0..<s.count).map {
                indicator.update(high: s.highs[$0], low: s.lows[$0], close: s.closes[$0])
            }
            expectSeries(
                streamed, matches: Naive.atr(s, period), within: Tolerance(absolute: 1e-13 * dataset.priceScale),
                "ATR(\(period))")
            #expect(firstValueIndex(streamed) == period)
        }
    }

    @Test("log-return volatility is the sample deviation of ln(c_t / c_{t−1})", arguments: Dataset.allCases)
    func logReturnVolatility(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [2, 20, 60] {
            let streamed = LogReturnVolatility(period: period).batch(s.closes)
            expectSeries(
                streamed, matches: Naive.logVolatility(s.closes, period),
                within: Tolerance(relative: 1e-9, absolute: 0),
                "LOGVOL(\(period))")
            #expect(firstValueIndex(streamed) == period)
        }
    }

    @Test("annualising multiplies the per-bar volatility by √periodsPerYear")
    func annualisedVolatility() throws {
        let closes = try Dataset.btcusdt.series.closes
        let perYear = Timeframe.m1.periodsPerYear
        #expect(perYear == 525_600)
        let annual = LogReturnVolatility(period: 30, periodsPerYear: perYear).batch(closes)
        expectSeries(
            annual, matches: Naive.logVolatility(closes, 30, periodsPerYear: perYear),
            within: Tolerance(absolute: 1e-12), "annualised LOGVOL(30)")
        let last = try #require(annual.last ?? nil)
        // BTC's annualised volatility is tens of percent, not per-minute hundredths.
        #expect(last > 0.05 && last < 5)
    }

    @Test("Keltner channels are EMA(close) ± multiplier × ATR", arguments: Dataset.allCases)
    func keltner(dataset: Dataset) throws {
        let s = try dataset.series
        for (period, multiplier, atrPeriod) in [(20, 2.0, 10), (10, 1.5, 30)] {
            let streamed = KeltnerChannels(period: period, multiplier: multiplier, atrPeriod: atrPeriod)
                .batch(try dataset.candles)
            let reference = Naive.keltner(s, period, multiplier, atrPeriod)
            let tolerance = Tolerance(absolute: 1e-12 * dataset.priceScale)
            let label = "KELTNER(\(period),\(multiplier),\(atrPeriod))"
            expectSeries(streamed.map { $0?.upper }, matches: reference.upper, within: tolerance, label + " upper")
            expectSeries(streamed.map { $0?.middle }, matches: reference.middle, within: tolerance, label + " middle")
            expectSeries(streamed.map { $0?.lower }, matches: reference.lower, within: tolerance, label + " lower")
            #expect(firstValueIndex(streamed.map { $0?.middle }) == max(period - 1, atrPeriod))
        }
    }

    @Test("Donchian channels hold the highest high and lowest low of the window", arguments: Dataset.allCases)
    func donchian(dataset: Dataset) throws {
        let s = try dataset.series
        for period in [1, 20, 55] {
            var indicator = DonchianChannels(period: period)
            let streamed = (0..<s.count).map { indicator.update(high: s.highs[$0], low: s.lows[$0]) }
            let reference = Naive.donchian(s, period)
            let exact = Tolerance(relative: 0, absolute: 0)
            expectSeries(
                streamed.map { $0?.upper }, matches: reference.upper, within: exact, "DONCHIAN(\(period)) upper")
            expectSeries(
                streamed.map { $0?.middle }, matches: reference.middle, within: exact, "DONCHIAN(\(period)) middle")
            expectSeries(
                streamed.map { $0?.lower }, matches: reference.lower, within: exact, "DONCHIAN(\(period)) lower")
        }
    }
}
