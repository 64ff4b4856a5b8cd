import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("Loading the shared real market data")
struct RealDataLoadingTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var rows: Int
        var symbol: String
        var timeframe: Timeframe
        var first: (Int64, String, String, String, String, String)
        var last: (Int64, String, String, String, String, String)
        var description: String { file }
    }

    static let files: [Expectation] = [
        Expectation(
            file: "binance_BTCUSDT_1m_2024-01.csv", rows: 44_640, symbol: "BTC/USDT", timeframe: .m1,
            first: (1_704_067_200_000, "42283.58", "42298.62", "42261.02", "42298.61", "35.92724"),
            last: (1_706_745_540_000, "42589.99", "42590", "42580", "42580", "13.93837")),
        Expectation(
            file: "binance_BTCUSDT_1m_2023-03.csv", rows: 44_560, symbol: "BTC/USDT", timeframe: .m1,
            first: (1_677_628_800_000, "23141.57", "23154.70", "23130.25", "23143.73", "326.95876"),
            last: (1_680_307_140_000, "28471.62", "28473.13", "28465.36", "28465.36", "7.09914")),
        Expectation(
            file: "binance_SUIUSDT_1m_2024-01.csv", rows: 44_640, symbol: "SUI/USDT", timeframe: .m1,
            first: (1_704_067_200_000, "0.7753", "0.7764", "0.7742", "0.7761", "57038.9"),
            last: (1_706_745_540_000, "1.5177", "1.5203", "1.5176", "1.5187", "50604.1")),
        Expectation(
            file: "binance_BTCUSDT_1h_2017-08_2026-07.csv", rows: 78_013, symbol: "BTC/USDT", timeframe: .h1,
            first: (1_502_942_400_000, "4261.48", "4313.62", "4261.32", "4308.83", "47.181009"),
            last: (1_784_242_800_000, "63968.01", "64010.58", "63748.74", "63830.20", "515.53223")),
        Expectation(
            file: "bittrex_ADABTC_5m_2018-01.csv", rows: 5_720, symbol: "ADA/BTC", timeframe: .m5,
            first: (1_515_560_100_000, "0.0000533", "0.0000533", "0.00005288", "0.0000529", "431401.97869504"),
            last: (1_517_287_800_000, "0.00005145", "0.00005145", "0.00005143", "0.00005144", "64164.30445427")),
        Expectation(
            file: "binance_XRPETH_1m_2019-10.csv", rows: 3_560, symbol: "XRP/ETH", timeframe: .m1,
            first: (1_570_752_000_000, "0.00141342", "0.00141557", "0.00141266", "0.00141418", "1482.0"),
            last: (1_570_965_540_000, "0.00152814", "0.00152817", "0.00152787", "0.00152787", "785.0")),
    ]

    @Test("reads row counts, first and last candles, symbol and timeframe of real files", arguments: files)
    func readsRealFiles(_ expected: Expectation) throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData(expected.file))
        #expect(series.count == expected.rows)
        #expect(series.symbol == (try Symbol(parsing: expected.symbol)))
        #expect(series.timeframe == expected.timeframe)
        #expect(
            series.candles.first
                == (try Helpers.candle(
                    expected.first.0, expected.first.1, expected.first.2, expected.first.3, expected.first.4,
                    expected.first.5)))
        #expect(
            series.candles.last
                == (try Helpers.candle(
                    expected.last.0, expected.last.1, expected.last.2, expected.last.3, expected.last.4, expected.last.5
                )))
        #expect(series.source.hasSuffix(expected.file))
    }

    @Test("reads the gzip-compressed 2022 BTC year with every minute present")
    func readsCompressedYear() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2022.csv.gz"))
        #expect(series.count == 525_600)
        #expect(series.timeframe == .m1)
        #expect(series.symbol == (try Symbol(parsing: "BTC/USDT")))
        #expect(
            series.candles.first
                == (try Helpers.candle(
                    1_640_995_200_000, "46216.93", "46271.08", "46208.37", "46250", "40.57574")))
        #expect(
            series.candles.last
                == (try Helpers.candle(
                    1_672_531_140_000, "16536.81", "16544.47", "16536.23", "16542.40", "69.99944")))
        #expect(series.candles.map(\.low).min() == (try Price(parsing: "15476")))
        #expect(series.candles.map(\.high).max() == (try Price(parsing: "48189.84")))
        let report = series.qualityReport()
        #expect(report.gapCount == 0)
        #expect(report.isClean)
    }

    @Test("matches the exact-decimal fixture loader on the ETH/BTC file")
    func matchesFixtureLoader() throws {
        let name = "bittrex_ETHBTC_5m_2018-01.csv"
        let series = try CandleSeries.load(from: Fixtures.sharedData(name))
        #expect(series.candles == (try Fixtures.canonicalCandles(name)))
        #expect(series.count == 5_760)
    }

    @Test("slices by timestamp with an inclusive start and an exclusive end")
    func slicesByTimestamp() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv"))
        let day = series.slice(from: Helpers.utc(2024, 1, 2), to: Helpers.utc(2024, 1, 3))
        #expect(day.count == 1_440)
        #expect(day.candles.first?.timestamp == Helpers.utc(2024, 1, 2))
        #expect(day.candles.last?.timestamp == Helpers.utc(2024, 1, 2, 23, 59))
        #expect(series.slice(from: Helpers.utc(2024, 1, 31, 23, 0)).count == 60)
        #expect(series.slice(to: Helpers.utc(2024, 1, 1, 1)).count == 60)
        #expect(series.slice(from: Helpers.utc(2025, 1, 1)).isEmpty)
        #expect(day.symbol == series.symbol && day.timeframe == .m1)
    }
}
