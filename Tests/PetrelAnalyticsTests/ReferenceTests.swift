import Foundation
import PetrelAnalytics
import PetrelCore
import Testing

/// The fixture written by `.reference/make_reference.py`: 251 daily equity points and the
/// statistics NumPy computes for them with empyrical's definitions.
struct ReferenceFixture {
    struct Episode: Decodable {
        var depth: Double
        var peakIndex: Int
        var troughIndex: Int
        var recoveryIndex: Int?
        var endIndex: Int
        var durationBars: Int
        var peakTime: Int64
        var troughTime: Int64
        var endTime: Int64
    }

    struct Expected: Decodable {
        var count: Int
        var firstReturns: [Double]
        var totalReturn: Double
        var compoundedReturn: Double
        var cagr: Double
        var cagrCalendar365: Double
        var annualVolatility: Double
        var annualVolatilityPopulation: Double
        var sharpe: Double
        var sharpeRiskFree3pc: Double
        var downsideRisk: Double
        var sortino: Double
        var sortinoRiskFree3pc: Double
        var maxDrawdown: Double
        var calmar: Double
        var valueAtRisk95: Double
        var valueAtRisk99: Double
        var conditionalValueAtRisk95: Double
        var conditionalValueAtRisk99: Double
        var bestReturn: Double
        var worstReturn: Double
        var drawdownEpisodeCount: Int
        var deepest: Episode
        var longest: Episode
    }

    let points: [EquityPoint]
    let expected: Expected

    var values: [Double] { points.map(\.equity) }

    /// Reads the committed fixture beside this file.
    init() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".reference")
        let csv = try String(contentsOf: folder.appendingPathComponent("equity_250.csv"), encoding: .utf8)
        points = try csv.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",")
            guard fields.count == 2, let time = Int64(fields[0]), let equity = Double(fields[1]) else {
                throw FixtureError.badRow(String(line))
            }
            return EquityPoint(timestamp: time, equity: equity)
        }
        let json = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        expected = try JSONDecoder().decode(Expected.self, from: json)
    }

    enum FixtureError: Error { case badRow(String) }
}

@Suite("Cross-check against the NumPy re-implementation of empyrical")
struct ReferenceTests {
    let fixture: ReferenceFixture
    let returns: [Double]
    let daily = AnalyticsConventions(timeframe: .d1)
    let riskFree = AnalyticsConventions(timeframe: .d1, annualRiskFreeRate: 0.03)

    init() throws {
        fixture = try ReferenceFixture()
        returns = Analytics.simpleReturns(equity: fixture.values)
    }

    @Test("returns computed from the CSV equity match NumPy bit for bit")
    func returnsMatch() {
        #expect(fixture.points.count == 251)
        #expect(returns.count == fixture.expected.count)
        #expect(Array(returns.prefix(5)) == fixture.expected.firstReturns)
    }

    @Test("total return, compounded return and CAGR match annual_return")
    func growth() {
        let e = fixture.expected
        #expect(isClose(Analytics.totalReturn(equity: fixture.values), e.totalReturn, tolerance: 1e-13))
        #expect(isClose(Analytics.compoundedReturn(returns: returns), e.compoundedReturn, tolerance: 1e-12))
        #expect(isClose(Analytics.cagr(returns: returns, periodsPerYear: 365), e.cagr, tolerance: 1e-12))
        // 250 daily bars = 250 calendar days: the periods-based CAGR is the calendar one.
        #expect(isClose(e.cagr, e.cagrCalendar365, tolerance: 1e-12))
    }

    @Test("volatility, Sharpe and Sortino match empyrical's definitions, with and without a risk-free rate")
    func ratios() {
        let e = fixture.expected
        #expect(isClose(Analytics.annualVolatility(returns: returns, conventions: daily), e.annualVolatility))
        let population = AnalyticsConventions(periodsPerYear: 365, deviationEstimator: .population)
        #expect(
            isClose(Analytics.annualVolatility(returns: returns, conventions: population), e.annualVolatilityPopulation)
        )
        #expect(isClose(Analytics.sharpeRatio(returns: returns, conventions: daily), e.sharpe, tolerance: 1e-11))
        #expect(
            isClose(
                Analytics.sharpeRatio(returns: returns, conventions: riskFree), e.sharpeRiskFree3pc, tolerance: 1e-11))
        #expect(isClose(Analytics.downsideDeviation(returns: returns, conventions: daily), e.downsideRisk))
        #expect(isClose(Analytics.sortinoRatio(returns: returns, conventions: daily), e.sortino, tolerance: 1e-11))
        #expect(
            isClose(
                Analytics.sortinoRatio(returns: returns, conventions: riskFree), e.sortinoRiskFree3pc, tolerance: 1e-11)
        )
    }

    @Test("maximum drawdown and Calmar match empyrical")
    func drawdown() {
        let e = fixture.expected
        #expect(isClose(Analytics.maxDrawdown(equity: fixture.values), e.maxDrawdown, tolerance: 1e-12))
        #expect(isClose(Analytics.maxDrawdown(returns: returns), e.maxDrawdown, tolerance: 1e-12))
        #expect(isClose(Analytics.calmarRatio(returns: returns, conventions: daily), e.calmar, tolerance: 1e-11))
    }

    @Test("drawdown episodes match an independent vectorised computation")
    func episodes() throws {
        let e = fixture.expected
        #expect(Analytics.drawdownEpisodes(equity: fixture.values).count == e.drawdownEpisodeCount)
        let deepest = try #require(Analytics.maxDrawdownEpisode(equity: fixture.values)).timed(by: fixture.points)
        let longest = try #require(Analytics.longestDrawdownEpisode(equity: fixture.values)).timed(by: fixture.points)
        for (actual, wanted) in [(deepest, e.deepest), (longest, e.longest)] {
            #expect(isClose(actual.depth, wanted.depth, tolerance: 1e-14))
            #expect(actual.peakIndex == wanted.peakIndex)
            #expect(actual.troughIndex == wanted.troughIndex)
            #expect(actual.recoveryIndex == wanted.recoveryIndex)
            #expect(actual.endIndex == wanted.endIndex)
            #expect(actual.durationBars == wanted.durationBars)
            #expect(actual.peakTime == wanted.peakTime)
            #expect(actual.troughTime == wanted.troughTime)
            #expect(actual.endTime == wanted.endTime)
            #expect(actual.durationMilliseconds == wanted.endTime - wanted.peakTime)
        }
        // The fixture was chosen so that the two differ and the longest is still open.
        #expect(deepest.peakIndex != longest.peakIndex)
        #expect(longest.recoveryIndex == nil)
    }

    @Test("historical VaR and CVaR match numpy.percentile and empyrical's partition mean")
    func tailRisk() {
        let e = fixture.expected
        #expect(isClose(Analytics.valueAtRisk(returns: returns, confidence: 0.95), e.valueAtRisk95, tolerance: 1e-14))
        #expect(isClose(Analytics.valueAtRisk(returns: returns, confidence: 0.99), e.valueAtRisk99, tolerance: 1e-14))
        #expect(
            isClose(
                Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.95), e.conditionalValueAtRisk95,
                tolerance: 1e-14))
        #expect(
            isClose(
                Analytics.conditionalValueAtRisk(returns: returns, confidence: 0.99), e.conditionalValueAtRisk99,
                tolerance: 1e-14))
    }

    @Test("the full report agrees with the standalone functions and the reference")
    func report() throws {
        let e = fixture.expected
        let s = PerformanceStatistics.compute(equity: fixture.points, conventions: daily)
        #expect(s.periods == 250)
        #expect(isClose(s.totalReturn, e.totalReturn, tolerance: 1e-13))
        #expect(isClose(s.cagr, e.cagr, tolerance: 1e-12))
        #expect(isClose(s.annualVolatility, e.annualVolatility))
        #expect(isClose(s.sharpeRatio, e.sharpe, tolerance: 1e-11))
        #expect(isClose(s.sortinoRatio, e.sortino, tolerance: 1e-11))
        #expect(isClose(s.maxDrawdown, e.maxDrawdown, tolerance: 1e-12))
        #expect(isClose(s.calmarRatio, e.calmar, tolerance: 1e-11))
        #expect(isClose(s.valueAtRisk95, e.valueAtRisk95, tolerance: 1e-14))
        #expect(isClose(s.conditionalValueAtRisk99, e.conditionalValueAtRisk99, tolerance: 1e-14))
        #expect(s.bestPeriodReturn == e.bestReturn)
        #expect(s.worstPeriodReturn == e.worstReturn)
        #expect(s.maxDrawdownEpisode?.peakTime == e.deepest.peakTime)
        #expect(s.longestDrawdownEpisode?.durationBars == e.longest.durationBars)

        let risk = RiskStatistics.compute(returns: returns, positions: [])
        #expect(risk.observations == 250)
        #expect(risk.valueAtRisk99 == s.valueAtRisk99)
        #expect(risk.conditionalValueAtRisk95 == s.conditionalValueAtRisk95)
    }
}
