import Foundation
import PetrelAnalytics
import PetrelCore
import Testing

@Suite("The performance report")
struct PerformanceStatisticsTests {
    static let trades = [
        TradeOutcome(
            entryTime: utc(2024, 1, 1), exitTime: utc(2024, 2, 1), pnl: 19, returnFraction: 0.19, fees: 1),
        TradeOutcome(
            entryTime: utc(2024, 3, 1), exitTime: utc(2024, 5, 1), pnl: 43, returnFraction: 0.45, fees: 2,
            isLong: false),
    ]

    let stats = PerformanceStatistics.compute(
        equity: HandCurve.points, trades: trades, benchmark: Benchmark(firstClose: 40_000.0, lastClose: 50_000.0),
        conventions: HandCurve.conventions)

    @Test("the report carries the hand-worked returns, ratios and drawdown")
    func handCurve() throws {
        #expect(stats.pointCount == 6)
        #expect(stats.periods == 5)
        #expect(stats.startTime == utc(2024, 1, 1))
        #expect(stats.endTime == utc(2024, 6, 1))
        #expect(stats.startEquity == 100)
        #expect(stats.finalEquity == 121.5)
        #expect(isClose(stats.totalReturn, 0.215))
        #expect(isClose(stats.cagr, 0.5958169257988146))
        #expect(isClose(stats.annualVolatility, 0.7687652437513026))
        #expect(isClose(stats.sharpeRatio, 0.9365667944178306))
        #expect(isClose(stats.sortinoRatio, 1.7260678853473825))
        #expect(isClose(stats.calmarRatio, 2.3832677031952585))
        #expect(isClose(stats.maxDrawdown, 0.25))
        let deepest = try #require(stats.maxDrawdownEpisode)
        #expect(deepest.peakTime == utc(2024, 2, 1))
        #expect(deepest.troughTime == utc(2024, 3, 1))
        #expect(deepest.recoveryTime == utc(2024, 5, 1))
        #expect(deepest.durationBars == 3)
        #expect(stats.longestDrawdownEpisode == deepest)
        #expect(isClose(stats.valueAtRisk95, 0.22))
        #expect(isClose(stats.conditionalValueAtRisk95, 0.25))
        #expect(isClose(stats.valueAtRisk99, 0.244))
        #expect(stats.bestPeriodReturn == 0.25)
        #expect(isClose(stats.worstPeriodReturn, -0.25))
        #expect(stats.conventions == HandCurve.conventions)
    }

    @Test("trades, fees, exposure and buy-and-hold fill the rest of the report")
    func tradesAndContext() {
        #expect(stats.trades.count == 2)
        #expect(stats.trades.winRate == 1)
        #expect(stats.feesPaid == 3)  // from the trades when not given
        #expect(isClose(stats.buyAndHoldReturn, 0.25))  // 50 000 / 40 000 − 1
        // In the market Jan 1 → Feb 1 (31 days) and Mar 1 → May 1 (61 days) of Jan 1 → Jun 1 (152 days).
        #expect(isClose(stats.exposureTime, 92.0 / 152.0))
    }

    @Test("explicit exposure and fees override what the trades imply")
    func overrides() {
        let s = PerformanceStatistics.compute(
            equity: HandCurve.points, trades: Self.trades, timeInMarket: .bars(inMarket: 3, total: 6), feesPaid: 7.5,
            conventions: HandCurve.conventions)
        #expect(s.exposureTime == 0.5)
        #expect(s.feesPaid == 7.5)
    }

    @Test("plain equity values give the same statistics without any timestamps")
    func plainValues() {
        let s = PerformanceStatistics.compute(equityValues: HandCurve.values, conventions: HandCurve.conventions)
        #expect(s.sharpeRatio == stats.sharpeRatio)
        #expect(s.maxDrawdown == stats.maxDrawdown)
        #expect(s.startTime == nil && s.endTime == nil)
        #expect(s.maxDrawdownEpisode?.peakIndex == 1)
        #expect(s.maxDrawdownEpisode?.peakTime == nil)
        #expect(s.maxDrawdownEpisode?.durationMilliseconds == nil)
        #expect(s.exposureTime == nil)
    }

    @Test("time in market merges overlapping trades and clips them to the run")
    func timeInMarket() {
        let overlapping = [
            TradeOutcome(entryTime: -50, exitTime: 30, pnl: 1, returnFraction: 0),
            TradeOutcome(entryTime: 20, exitTime: 40, pnl: 1, returnFraction: 0),
            TradeOutcome(entryTime: 60, exitTime: 70, pnl: 1, returnFraction: 0),
        ]
        // [0, 40] ∪ [60, 70] = 50 of 100 ms
        let time = TimeInMarket.fromTrades(overlapping, start: 0, end: 100)
        #expect(time == .duration(inMarketMilliseconds: 50, totalMilliseconds: 100))
        #expect(time.fraction == 0.5)
        #expect(TimeInMarket.bars(inMarket: 1, total: 0).fraction == nil)
    }

    @Test("a benchmark can be read from candles")
    func benchmarkFromCandles() throws {
        let candle = { (close: Int) in
            Candle(
                timestamp: 0, open: Price(close), high: Price(close), low: Price(close), close: Price(close),
                volume: .zero)
        }
        let benchmark = try #require(Benchmark(candles: [candle(200), candle(210), candle(150)]))
        #expect(isClose(benchmark.change, -0.25))
        #expect(Benchmark(candles: []) == nil)
        #expect(Benchmark(firstClose: 0.0, lastClose: 5.0).change == nil)
    }

    @Test("JSON with sorted keys is byte-identical on every encoding and decodes to the same value")
    func deterministicJSON() throws {
        let first = try sortedJSON(stats)
        let second = try sortedJSON(stats)
        #expect(first == second)
        let decoded = try JSONDecoder().decode(PerformanceStatistics.self, from: first)
        #expect(decoded == stats)
        let text = try #require(String(data: first, encoding: .utf8))
        #expect(!text.contains("nan") && !text.contains("inf"))
        #expect(text.contains("\"sharpeRatio\":"))
        #expect(try JSONSerialization.jsonObject(with: first) is [String: Any])
    }
}
