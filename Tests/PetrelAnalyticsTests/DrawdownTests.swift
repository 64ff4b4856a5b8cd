import PetrelAnalytics
import PetrelCore
import Testing

@Suite("Drawdown depth, duration and dates")
struct DrawdownTests {
    @Test("the deepest drawdown of the hand curve runs from February to its May recovery")
    func deepestOfHandCurve() throws {
        // Running peak: 100, 120, 120, 120, 135, 135.
        // Underwater:   0, 0, (120−90)/120 = 0.25, (120−108)/120 = 0.1, 0, (135−121.5)/135 = 0.1
        // Episode 1: peak 120 at index 1 (Feb 1), trough 90 at index 2 (Mar 1), recovered at
        // index 4 (May 1, 135 ≥ 120): 3 bars, Feb 1 → May 1 2024 = 29 + 31 + 30 = 90 days.
        let episode = try #require(Analytics.maxDrawdownEpisode(equity: HandCurve.values)).timed(by: HandCurve.points)
        #expect(isClose(episode.depth, 0.25))
        #expect(episode.peakIndex == 1)
        #expect(episode.troughIndex == 2)
        #expect(episode.recoveryIndex == 4)
        #expect(episode.endIndex == 4)
        #expect(episode.durationBars == 3)
        #expect(episode.peakEquity == 120)
        #expect(episode.troughEquity == 90)
        #expect(episode.peakTime == utc(2024, 2, 1))
        #expect(episode.troughTime == utc(2024, 3, 1))
        #expect(episode.recoveryTime == utc(2024, 5, 1))
        #expect(episode.endTime == utc(2024, 5, 1))
        #expect(episode.durationMilliseconds == Int64(90) * 86_400_000)
        #expect(CivilDate.iso8601(milliseconds: episode.peakTime ?? 0) == "2024-02-01T00:00:00Z")
        #expect(episode.isRecovered)
    }

    @Test("a drawdown still open at the end has no recovery and ends at the last point")
    func unrecovered() throws {
        // Episode 2: peak 135 at index 4 (May 1), trough 121.5 at index 5 (Jun 1), depth 0.1.
        let episodes = Analytics.drawdownEpisodes(equity: HandCurve.values)
        #expect(episodes.count == 2)
        let last = try #require(episodes.last).timed(by: HandCurve.points)
        #expect(isClose(last.depth, 0.1))
        #expect(last.peakIndex == 4)
        #expect(last.recoveryIndex == nil)
        #expect(last.recoveryTime == nil)
        #expect(last.endIndex == 5)
        #expect(last.endTime == utc(2024, 6, 1))
        #expect(last.durationBars == 1)
        #expect(!last.isRecovered)
    }

    @Test("the longest drawdown may differ from the deepest one")
    func longestDiffersFromDeepest() throws {
        // Deep and short (100 → 50 → 100 in 2 bars), then shallow and long (100 → 95 for 4 bars).
        let equity: [Double] = [100, 50, 100, 95, 96, 97, 98]
        let deepest = try #require(Analytics.maxDrawdownEpisode(equity: equity))
        let longest = try #require(Analytics.longestDrawdownEpisode(equity: equity))
        #expect(deepest.peakIndex == 0 && deepest.durationBars == 2 && isClose(deepest.depth, 0.5))
        #expect(longest.peakIndex == 2 && longest.durationBars == 4 && longest.recoveryIndex == nil)
    }

    @Test("maximum drawdown is a positive fraction and equals the deepest episode")
    func maxDrawdownDepth() {
        #expect(isClose(Analytics.maxDrawdown(equity: HandCurve.values), 0.25))
        let returns = Analytics.simpleReturns(equity: HandCurve.values)
        #expect(isClose(Analytics.maxDrawdown(returns: returns), 0.25))
    }

    @Test("a fall on the very first period counts, as empyrical's prepended start value does")
    func firstPeriodFall() {
        #expect(isClose(Analytics.maxDrawdown(returns: [-0.1, 0.05]), 0.1))
        #expect(isClose(Analytics.maxDrawdown(equity: [100, 90, 94.5]), 0.1))
    }

    @Test("a flat stretch at the high moves the peak to its last point")
    func flatPeak() throws {
        let episode = try #require(Analytics.maxDrawdownEpisode(equity: [100, 100, 100, 80, 100]))
        #expect(episode.peakIndex == 2)
        #expect(episode.troughIndex == 3)
        #expect(episode.recoveryIndex == 4)
        #expect(episode.durationBars == 2)
    }

    @Test("the underwater series gives the depth below the running peak at every point")
    func underwater() {
        let series = Analytics.drawdownSeries(equity: HandCurve.values)
        let expected = [0, 0, 0.25, 0.1, 0, 0.1]
        #expect(series.count == expected.count)
        for (actual, wanted) in zip(series, expected) {
            #expect(isClose(actual, wanted))
        }
    }

    @Test("a rising curve has no drawdown episode and zero depth")
    func noDrawdown() {
        #expect(Analytics.maxDrawdownEpisode(equity: [1, 2, 3]) == nil)
        #expect(Analytics.longestDrawdownEpisode(equity: [1, 2, 3]) == nil)
        #expect(Analytics.maxDrawdown(equity: [1, 2, 3]) == 0)
        #expect(Analytics.maxDrawdown(equity: []) == 0)
        #expect(Analytics.drawdownSeries(equity: []).isEmpty)
    }
}
