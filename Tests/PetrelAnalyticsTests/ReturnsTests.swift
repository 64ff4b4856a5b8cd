import PetrelAnalytics
import PetrelCore
import Testing

@Suite("Returns and return ratios on a hand-worked curve")
struct ReturnsTests {
    let returns = Analytics.simpleReturns(equity: HandCurve.values)
    let conventions = HandCurve.conventions

    @Test("simple returns divide each equity by the previous one")
    func simpleReturns() {
        // 120/100 − 1, 90/120 − 1, 108/90 − 1, 135/108 − 1, 121.5/135 − 1
        let expected = [0.2, -0.25, 0.2, 0.25, -0.1]
        #expect(returns.count == 5)
        for (actual, wanted) in zip(returns, expected) {
            #expect(isClose(actual, wanted))
        }
        #expect(Analytics.simpleReturns(equity: HandCurve.points) == returns)
    }

    @Test("the buffer variant reuses its storage and matches the allocating one")
    func bufferReuse() {
        var buffer: [Double] = []
        buffer.reserveCapacity(64)
        let capacity = buffer.capacity
        Analytics.simpleReturns(equity: HandCurve.values, into: &buffer)
        #expect(buffer == returns)
        Analytics.simpleReturns(equity: [1, 2], into: &buffer)
        #expect(buffer == [1])
        #expect(buffer.capacity == capacity)
    }

    @Test("total and compounded return agree with the first and last equity")
    func totalReturn() {
        // 121.5 / 100 − 1 = 0.215; Π(1 + r) = 1.2 · 0.75 · 1.2 · 1.25 · 0.9 = 1.215
        #expect(isClose(Analytics.totalReturn(equity: HandCurve.values), 0.215))
        #expect(isClose(Analytics.compoundedReturn(returns: returns), 0.215))
    }

    @Test("CAGR annualises the growth over periods divided by periods per year")
    func cagr() {
        // 5 monthly periods = 5/12 year: 1.215^(12/5) − 1 = 0.595816925798815
        let expected = 0.5958169257988146
        #expect(isClose(Analytics.cagr(returns: returns, periodsPerYear: 12), expected))
        #expect(
            isClose(Analytics.cagr(startEquity: 100, endEquity: 121.5, periods: 5, periodsPerYear: 12), expected))
    }

    @Test("volatility is the sample standard deviation scaled by the root of periods per year")
    func volatility() {
        // mean = 0.3 / 5 = 0.06; deviations 0.14, −0.31, 0.14, 0.19, −0.16
        // Σd² = 0.0196 + 0.0961 + 0.0196 + 0.0361 + 0.0256 = 0.197; sample var = 0.197 / 4 = 0.04925
        // std = √0.04925 = 0.221923410211721; annual = std · √12 = 0.768765243751303
        #expect(isClose(Analytics.standardDeviation(returns), 0.22192341021172143))
        #expect(isClose(Analytics.annualVolatility(returns: returns, conventions: conventions), 0.7687652437513026))
        // Population: √(0.197 / 5) · √12
        let population = AnalyticsConventions(periodsPerYear: 12, deviationEstimator: .population)
        #expect(
            isClose(
                Analytics.annualVolatility(returns: returns, conventions: population), (0.197 / 5 * 12).squareRoot()))
    }

    @Test("Sharpe is mean over sample deviation times the root of periods per year")
    func sharpe() {
        // 0.06 / 0.221923410211721 · √12 = 0.936566794417831
        #expect(isClose(Analytics.sharpeRatio(returns: returns, conventions: conventions), 0.9365667944178306))
    }

    @Test("Sortino divides by the downside deviation over all periods")
    func sortino() {
        // min(r, 0) = 0, −0.25, 0, 0, −0.1; mean of squares = (0.0625 + 0.01) / 5 = 0.0145
        // downside = √0.0145 = 0.120415945787923; Sortino = 0.06 / 0.1204159… · √12 = 1.72606788534738
        #expect(isClose(Analytics.sortinoRatio(returns: returns, conventions: conventions), 1.7260678853473825))
        #expect(
            isClose(
                Analytics.downsideDeviation(returns: returns, conventions: conventions),
                0.12041594578792295 * 12.0.squareRoot()))
    }

    @Test("Calmar divides CAGR by the maximum drawdown depth")
    func calmar() {
        // 0.595816925798815 / 0.25 (120 → 90)
        #expect(isClose(Analytics.calmarRatio(returns: returns, conventions: conventions), 2.3832677031952585))
        #expect(isClose(Analytics.calmarRatio(cagr: 0.5, maxDrawdown: -0.25), 2))
        #expect(Analytics.calmarRatio(cagr: 0.5, maxDrawdown: 0) == nil)
        #expect(Analytics.calmarRatio(cagr: nil, maxDrawdown: 0.2) == nil)
    }

    @Test("the risk-free rate is de-annualised geometrically and lowers Sharpe")
    func riskFree() {
        let withRate = AnalyticsConventions(periodsPerYear: 12, annualRiskFreeRate: 0.12)
        // (1.12)^(1/12) − 1 = 0.009488792934583…
        let perPeriod = withRate.riskFreeRatePerPeriod
        #expect(isClose(perPeriod, 0.009488792934583046, tolerance: 1e-14))
        #expect(conventions.riskFreeRatePerPeriod == 0)
        let expected = (0.06 - perPeriod) / 0.22192341021172143 * 12.0.squareRoot()
        #expect(isClose(Analytics.sharpeRatio(returns: returns, conventions: withRate), expected))
    }

    @Test("conventions from a timeframe use its 365-day periods per year")
    func conventionsFromTimeframe() {
        #expect(AnalyticsConventions(timeframe: .d1).periodsPerYear == 365)
        #expect(AnalyticsConventions(timeframe: .h1).periodsPerYear == 8_760)
        #expect(AnalyticsConventions(timeframe: .month1).periodsPerYear == 12)
        #expect(AnalyticsConventions.daily.deviationEstimator == .sample)
    }
}
