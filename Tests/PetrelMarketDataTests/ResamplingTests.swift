import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("Resampling")
struct ResamplingTests {
    static func hourly() throws -> CandleSeries {
        try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1h_2017-08_2026-07.csv"))
    }

    @Test("resampling BTC 1m January 2024 to 1h equals the hourly file exactly, volume included")
    func januaryToHours() throws {
        let minutes = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv"))
        let resampled = try minutes.resampled(to: .h1)
        let reference = try Self.hourly().slice(from: Helpers.utc(2024, 1, 1), to: Helpers.utc(2024, 2, 1))
        #expect(resampled.count == 744)
        #expect(resampled.timeframe == .h1 && resampled.symbol == minutes.symbol)
        #expect(resampled.candles == reference.candles)
    }

    @Test("resampling across the March 2023 outage builds partial hours and leaves the empty hour out")
    func outageToHours() throws {
        let minutes = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2023-03.csv"))
        let resampled = try minutes.resampled(to: .h1)
        let reference = try Self.hourly().slice(from: Helpers.utc(2023, 3, 1), to: Helpers.utc(2023, 4, 1))
        #expect(resampled.count == 743)
        #expect(resampled.candles == reference.candles)
        #expect(!resampled.candles.contains { $0.timestamp == Helpers.utc(2023, 3, 24, 13) })
        let partial = try #require(resampled.candles.first { $0.timestamp == Helpers.utc(2023, 3, 24, 12) })
        #expect(partial.volume == 0)
    }

    @Test("months built from minutes and from hours agree")
    func months() throws {
        let minutes = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv"))
        let fromMinutes = try minutes.resampled(to: .month1)
        let fromHours = try Self.hourly().slice(from: Helpers.utc(2024, 1, 1), to: Helpers.utc(2025, 1, 1))
            .resampled(to: .month1)
        #expect(fromMinutes.count == 1)
        #expect(fromHours.count == 12)
        #expect(fromHours.candles.first == fromMinutes.candles.first)
        #expect(fromHours.candles.map(\.timestamp)[1] == Helpers.utc(2024, 2, 1))
    }

    @Test("weeks start on Monday")
    func weeks() throws {
        let weeks = try Self.hourly().slice(from: Helpers.utc(2024, 1, 1), to: Helpers.utc(2024, 2, 1)).resampled(
            to: .w1)
        // 2024-01-01 was a Monday.
        #expect(weeks.candles.map(\.timestamp) == (0..<5).map { Helpers.utc(2024, 1, 1 + 7 * $0) })
    }

    @Test("refuses targets that are not larger, not a multiple, or from an unknown timeframe")
    func refusals() throws {
        let candle = try Helpers.candle(Helpers.utc(2024, 1, 1), "1", "1", "1", "1", "1")
        func reason(_ source: Timeframe?, _ target: Timeframe) -> String? {
            do {
                _ = try CandleSeries(timeframe: source, candles: [candle]).resampled(to: target)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            reason(.h1, .m1) == "cannot resample from 1h to 1m: the target timeframe must be larger than the source")
        #expect(
            reason(.h1, .h1) == "cannot resample from 1h to 1h: the target timeframe must be larger than the source")
        #expect(reason(.d3, .w1) == "cannot resample from 3d to 1w: 1w is not a whole multiple of 3d")
        #expect(
            reason(.w1, .month1)
                == "cannot resample from 1w to 1M: months can be built only from timeframes that divide a day (1m to 1d)"
        )
        #expect(
            reason(nil, .h1)
                == "cannot resample from an unknown timeframe to 1h: the series' timeframe is unknown (pass it when loading)"
        )
        #expect(reason(.m3, .month1) == nil)
        #expect(reason(.m1, .d3) == nil)
    }
}
