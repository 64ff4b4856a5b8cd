import Foundation
import PetrelAnalytics
import PetrelCore
import Testing

@Suite("Degenerate inputs give nil, never NaN or a crash")
struct EdgeCaseTests {
    let daily = AnalyticsConventions.daily

    /// Every report must encode (the default encoder throws on NaN and infinities) to valid JSON.
    func expectValidJSON(_ stats: PerformanceStatistics) throws {
        let data = try sortedJSON(stats)
        #expect(try sortedJSON(stats) == data)
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }

    @Test("an empty equity curve gives an empty report")
    func emptyCurve() throws {
        let s = PerformanceStatistics.compute(equity: [], conventions: daily)
        #expect(s.pointCount == 0 && s.periods == 0)
        #expect(s.totalReturn == nil && s.cagr == nil && s.sharpeRatio == nil && s.maxDrawdown == nil)
        #expect(s.valueAtRisk95 == nil && s.startTime == nil && s.exposureTime == nil)
        #expect(s.feesPaid == 0)
        #expect(s == PerformanceStatistics.compute(equityValues: [], conventions: daily))
        try expectValidJSON(s)
        #expect(Analytics.simpleReturns(equity: [Double]()).isEmpty)
        #expect(Analytics.totalReturn(equity: []) == nil)
        #expect(Analytics.cagr(returns: [], periodsPerYear: 365) == nil)
        #expect(Analytics.sharpeRatio(returns: [], conventions: daily) == nil)
        #expect(Analytics.sortinoRatio(returns: [], conventions: daily) == nil)
        #expect(Analytics.annualVolatility(returns: [], conventions: daily) == nil)
        #expect(Analytics.downsideDeviation(returns: [], conventions: daily) == nil)
        #expect(Analytics.calmarRatio(returns: [], conventions: daily) == nil)
        #expect(Analytics.standardDeviation([]) == nil)
        #expect(Analytics.mean([]) == 0)
    }

    @Test("a single point has a zero total return and no annualised statistic")
    func onePoint() throws {
        let s = PerformanceStatistics.compute(
            equity: [EquityPoint(timestamp: 1_000, equity: 500)], conventions: daily)
        #expect(s.pointCount == 1 && s.periods == 0)
        #expect(s.totalReturn == 0)
        #expect(s.cagr == nil && s.annualVolatility == nil && s.sharpeRatio == nil && s.sortinoRatio == nil)
        #expect(s.maxDrawdown == 0 && s.maxDrawdownEpisode == nil && s.calmarRatio == nil)
        #expect(s.valueAtRisk95 == nil)
        #expect(s.startTime == 1_000 && s.endTime == 1_000)
        try expectValidJSON(s)
        // One return: not enough for a sample deviation.
        #expect(Analytics.sharpeRatio(returns: [0.01], conventions: daily) == nil)
        #expect(Analytics.annualVolatility(returns: [0.01], conventions: daily) == nil)
    }

    @Test("a flat curve has zero volatility and no Sharpe, Sortino or Calmar")
    func flatCurve() throws {
        let s = PerformanceStatistics.compute(equityValues: Array(repeating: 1_000, count: 30), conventions: daily)
        #expect(s.annualVolatility == 0)
        #expect(s.sharpeRatio == nil && s.sortinoRatio == nil && s.calmarRatio == nil)
        #expect(s.cagr == 0 && s.totalReturn == 0 && s.maxDrawdown == 0)
        #expect(s.valueAtRisk95 == 0)
        try expectValidJSON(s)
    }

    @Test("steady compounding counts as zero volatility despite rounding noise")
    func steadyGrowth() {
        var equity = [100.0]
        for _ in 0..<100 { equity.append(equity[equity.count - 1] * 1.001) }
        let returns = Analytics.simpleReturns(equity: equity)
        #expect(Analytics.sharpeRatio(returns: returns, conventions: daily) == nil)
        #expect(Analytics.sortinoRatio(returns: returns, conventions: daily) == nil)
        #expect(isClose(Analytics.cagr(returns: returns, periodsPerYear: 365), pow(1.001, 365) - 1, tolerance: 1e-9))
    }

    @Test("an equity that goes to zero is a total loss and stays ruined")
    func ruin() throws {
        let equity: [Double] = [100, 50, 0, 0, 10]
        #expect(Analytics.simpleReturns(equity: equity) == [-0.5, -1, 0, 0])
        let s = PerformanceStatistics.compute(equityValues: equity, conventions: daily)
        #expect(s.maxDrawdown == 1)
        // 10 / 100 over 4 days annualised: 0.1^(365/4) − 1 rounds to −1.
        #expect(isClose(s.cagr, -1, tolerance: 1e-9))
        #expect(s.maxDrawdownEpisode?.troughIndex == 2)
        #expect(s.maxDrawdownEpisode?.recoveryIndex == nil)
        #expect(s.worstPeriodReturn == -1)
        try expectValidJSON(s)
        let wiped = PerformanceStatistics.compute(equityValues: [100, 40, 0], conventions: daily)
        #expect(wiped.totalReturn == -1)
        #expect(wiped.cagr == -1)
        #expect(wiped.calmarRatio == -1)
        try expectValidJSON(wiped)
    }

    @Test("negative equity floors the period return at -1 and deepens the drawdown past 100 %")
    func negativeEquity() throws {
        let s = PerformanceStatistics.compute(equityValues: [100, -20], conventions: daily)
        #expect(s.worstPeriodReturn == -1)
        #expect(isClose(s.totalReturn, -1.2))
        #expect(s.cagr == -1)
        #expect(isClose(s.maxDrawdown, 1.2))
        try expectValidJSON(s)
        #expect(Analytics.maxDrawdown(returns: [-1.5, 0.5]) == 1)
        #expect(Analytics.compoundedReturn(returns: [-1.5, -1.5]) == -1)
    }

    @Test("a curve starting at zero has no total return but still measures later drawdowns")
    func zeroStart() throws {
        let s = PerformanceStatistics.compute(equityValues: [0, 10, 5], conventions: daily)
        #expect(s.totalReturn == nil && s.cagr == nil)
        #expect(isClose(s.maxDrawdown, 0.5))
        try expectValidJSON(s)
    }

    @Test("a span too short to annualise leaves CAGR and Calmar nil instead of infinite")
    func overflowingCAGR() throws {
        let minute = AnalyticsConventions(timeframe: .m1)
        let s = PerformanceStatistics.compute(equityValues: [100, 200, 150, 400], conventions: minute)
        #expect(s.cagr == nil)
        #expect(s.calmarRatio == nil)
        #expect(s.sharpeRatio != nil)
        try expectValidJSON(s)
    }

    @Test("NaN in the input never reaches the JSON")
    func notANumber() throws {
        let s = PerformanceStatistics.compute(
            equityValues: [100, .nan, 110, 90],
            trades: [TradeOutcome(entryTime: 0, exitTime: 1, pnl: .nan, returnFraction: 0)], conventions: daily)
        try expectValidJSON(s)
        let risk = RiskStatistics.compute(returns: [.nan, 0.1], positions: [("BTC", .nan), ("ETH", .infinity)])
        #expect(try JSONSerialization.jsonObject(with: sortedJSON(risk)) is [String: Any])
    }

    @Test("no losing trades and all losing trades both encode without infinities")
    func tradeExtremes() throws {
        let wins = PerformanceStatistics.compute(
            equityValues: [100, 110, 120],
            trades: [TradeOutcome(entryTime: 0, exitTime: 1, pnl: 10, returnFraction: 0.1)], conventions: daily)
        #expect(wins.trades.profitFactor == nil)
        #expect(wins.sortinoRatio == nil)
        try expectValidJSON(wins)
        let losses = PerformanceStatistics.compute(
            equityValues: [100, 90, 80],
            trades: [TradeOutcome(entryTime: 0, exitTime: 1, pnl: -10, returnFraction: -0.1)], conventions: daily)
        #expect(losses.trades.profitFactor == 0)
        #expect(losses.trades.winRate == 0)
        try expectValidJSON(losses)
    }
}
