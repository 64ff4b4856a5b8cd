import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("Data quality checks")
struct DataQualityTests {
    @Test("finds the 80-minute outage gap and the 72 zero-volume minutes of BTC March 2023")
    func btcOutage() throws {
        let (series, report) = try CandleSeries.inspect(from: Fixtures.sharedData("binance_BTCUSDT_1m_2023-03.csv"))
        #expect(series.count == 44_560 && report.rowCount == 44_560)
        #expect(report.timeframe == .m1)
        #expect(report.gapCount == 1)
        #expect(report.missingSteps == 80)
        let gap = try #require(report.findings(.gap).first)
        #expect(gap.problem == .gap(firstMissing: Helpers.utc(2023, 3, 24, 12, 40), missingSteps: 80, timeframe: .m1))
        // The row after the gap (13:00 + 80 min = 14:00) is data row 33,040 + 1 header line.
        let index = series.firstIndex(atOrAfter: Helpers.utc(2023, 3, 24, 14))
        #expect(gap.location == SourceLocation(file: "binance_BTCUSDT_1m_2023-03.csv", line: index + 2))
        #expect(
            gap.description == "binance_BTCUSDT_1m_2023-03.csv:\(index + 2): gap: 80 missing 1m candles from "
                + "2023-03-24T12:40:00Z to 2023-03-24T13:59:00Z")
        #expect(report.zeroVolumeCount == 72)
        #expect(report.findings(.zeroVolume).first?.problem == .zeroVolume(timestamp: Helpers.utc(2023, 3, 24, 11, 28)))
        #expect(report.isClean)
    }

    @Test("finds 40 missing steps in 5 gaps, all on 2018-01-15, in ADA/BTC 5m")
    func adaGaps() throws {
        let (_, report) = try CandleSeries.inspect(from: Fixtures.sharedData("bittrex_ADABTC_5m_2018-01.csv"))
        #expect(report.timeframe == .m5)
        #expect(report.gapCount == 5)
        #expect(report.missingSteps == 40)
        for finding in report.findings(.gap) {
            guard case .gap(let firstMissing, _, _) = finding.problem else { continue }
            #expect(CivilDate.iso8601(milliseconds: firstMissing).hasPrefix("2018-01-15"))
        }
        #expect(report.zeroVolumeCount == 0 && report.isClean)
    }

    @Test("finds the hourly file's 127 missing hours in 28 gaps and its 4 zero-volume hours")
    func hourlyGaps() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1h_2017-08_2026-07.csv"))
        let report = series.qualityReport()
        #expect(report.gapCount == 28 && report.missingSteps == 127)
        #expect(report.zeroVolumeCount == 4)
        #expect(
            report.findings(.gap).first?.problem
                == .gap(firstMissing: Helpers.utc(2017, 9, 6, 16), missingSteps: 7, timeframe: .h1))
        #expect(report.findings(.gap).first?.location.unit == .record)
    }

    @Test("counts all 1,091 zero-volume XRP/ETH minutes but keeps only the cap")
    func capsFindings() throws {
        let (_, report) = try CandleSeries.inspect(
            from: Fixtures.sharedData("binance_XRPETH_1m_2019-10.csv"), maxFindingsPerCategory: 25)
        #expect(report.zeroVolumeCount == 1_091)
        #expect(report.findings(.zeroVolume).count == 25)
        #expect(report.omittedFindings == 1_091 - 25)
        #expect(report.description.contains("… 1066 more findings not listed"))
    }

    @Test("inspect reports every problem with its line while strict loading stops at the first")
    func messyFile() throws {
        let text = """
            timestamp,open,high,low,close,volume
            1704067200000,1,2,1,2,10
            1704067260000,2,3,2,3,0
            1704067260000,2,3,2,3,5
            1704067200000,2,3,2,3,5
            1704067320000,5,4,3,4,1
            1704067380000,4,5,4,five,1
            1704067390000,4,5,4,5,1
            1704067620000,4,5,4,5
            1704067680000,4,5,4,5,1
            """
        let url = try Helpers.write(text, named: "messy.csv")
        #expect(
            Helpers.loadError(url)?.description == "messy.csv:4: timestamp 1704067260000 (2024-01-01T00:01:00Z) "
                + "repeats the previous row's; timestamps must be unique")
        let (series, report) = try CandleSeries.inspect(from: url, timeframe: .m1)
        #expect(series.count == 7)
        let lines = Dictionary(grouping: report.findings, by: \.category).mapValues { $0.map(\.location.line) }
        #expect(lines[.duplicate] == [4, 5])
        #expect(lines[.backwards] == [5])
        #expect(lines[.impossible] == [6])
        #expect(lines[.malformed] == [7, 9])
        #expect(lines[.misaligned] == [8])
        #expect(lines[.zeroVolume] == [3])
        #expect(lines[.gap] == [10])
        #expect(report.missingSteps == 4)  // 00:04…00:07 (the 00:07 row is malformed)
        #expect(!report.isClean)
        #expect(
            report.findings(.malformed).first?.description
                == "messy.csv:7: malformed: column 'close' value 'five' is not a decimal number")
        #expect(
            report.findings(.impossible).first?.description
                == "messy.csv:6: impossible: high 4 is below open 5 or close 4")
    }

    @Test("infers the timeframe from the most common step, not the first one")
    func infersTimeframe() throws {
        let start = Helpers.utc(2024, 1, 1)
        let timestamps = [start, start + 3_600_000] + (2..<10).map { start + Int64($0) * 3_600_000 * 4 }
        let candles = try timestamps.map { try Helpers.candle($0, "1", "1", "1", "1", "1") }
        #expect(CandleSeries.inferTimeframe(candles) == .h4)
        let months = try (1...6).map { try Helpers.candle(Helpers.utc(2024, Int64($0), 1), "1", "1", "1", "1", "1") }
        #expect(CandleSeries.inferTimeframe(months) == .month1)
        #expect(CandleSeries.inferTimeframe(Array(candles.prefix(1))) == nil)
    }

    @Test("reads exchange, symbol and timeframe from file names")
    func fileNames() throws {
        let shared = CandleSeries.fileNameInfo("binance_BTCUSDT_1h_2017-08_2026-07.csv.gz")
        #expect(shared.exchange == "binance" && shared.timeframe == .h1)
        #expect(shared.symbol == (try Symbol(parsing: "BTC/USDT")))
        let archive = CandleSeries.fileNameInfo("ETHBTC-5m-2018-01-10.csv")
        #expect(archive.symbol == (try Symbol(parsing: "ETH/BTC")) && archive.timeframe == .m5)
        let binary = CandleSeries.fileNameInfo("okx_SOL-USDT_15m_2024.pcandles")
        #expect(binary.symbol == (try Symbol(parsing: "SOL/USDT")) && binary.timeframe == .m15)
        #expect(CandleSeries.fileNameInfo("prices.csv") == CandleSeries.FileNameInfo())
    }

    @Test("counts calendar-month gaps in monthly series, with record numbers in memory")
    func monthGaps() throws {
        let candles = try [1, 2, 5, 6].map {
            try Helpers.candle(Helpers.utc(2024, Int64($0), 1), "1", "1", "1", "1", "1")
        }
        let report = CandleSeries(timeframe: .month1, candles: candles, source: "months").qualityReport()
        #expect(report.gapCount == 1 && report.missingSteps == 2)
        #expect(
            report.findings(.gap).first?.description
                == "months record 3: gap: 2 missing 1M candles from 2024-03-01T00:00:00Z to 2024-04-01T00:00:00Z")
    }
}
