import PetrelCore
import PetrelExchanges
import PetrelTestSupport
import Testing

@Suite("Where a replay resumes")
struct ReplayResumeTests {
    static let candles = TestCandles.flat("100", count: 10, start: TestCandles.newYear2024)

    @Test("a first start begins after the warm-up, capped by the series")
    func firstStart() {
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: nil, lookback: 3) == 3)
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: nil, lookback: 50) == 10)
    }

    @Test("a restart begins at the first candle after the last one processed")
    func restart() {
        let hour: Int64 = 3_600_000
        let start = TestCandles.newYear2024
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: start, lookback: 3) == 1)
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: start + 4 * hour, lookback: 3) == 5)
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: start + 4 * hour + 1, lookback: 3) == 5)
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: start + 9 * hour, lookback: 3) == 10)
        #expect(ReplayMarketDataClient.resumeIndex(in: Self.candles, after: start - 1, lookback: 3) == 0)
    }
}
