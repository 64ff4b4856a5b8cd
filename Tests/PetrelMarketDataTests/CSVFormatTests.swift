import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("CSV formats")
struct CSVFormatTests {
    @Test("reads a Binance kline CSV with 12 columns and no header")
    func readsBinanceKlines() throws {
        let text = """
            1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,1704067259999,1519579.50293200,1327,17.72938000,749915.45327930,0
            1704067260000,42298.62000000,42320.00000000,42298.61000000,42320.00000000,21.16779000,1704067319999,895399.85567350,1031,14.00563000,592440.48007860,0
            1704067320000,42319.99000000,42331.54000000,42319.99000000,42325.50000000,21.60391000,1704067379999,914450.25069910,1051,11.83004000,500779.93545270,0

            """
        let url = try Helpers.write(text, named: "BTCUSDT-1m-2024-01-01.csv")
        let series = try CandleSeries.load(from: url)
        #expect(series.count == 3)
        #expect(series.symbol == (try Symbol(parsing: "BTC/USDT")))
        #expect(series.timeframe == .m1)
        #expect(
            series.candles[0]
                == (try Helpers.candle(
                    1_704_067_200_000, "42283.58", "42298.62", "42261.02", "42298.61", "35.92724")))
        #expect(series.candles[2].close == (try Price(parsing: "42325.5")))
        let (_, report) = try CandleSeries.inspect(from: url)
        #expect(report.format == .binanceKlines)
    }

    @Test("normalises Binance microsecond timestamps (2025 on) to milliseconds")
    func normalisesMicroseconds() throws {
        let text = """
            1735689540000,93600.01,93616.05,93576.00,93576.00,5.48662,1735689599999,0,1,0,0,0
            1735689600000000,93576.00,93610.93,93537.50,93610.93,8.21827,1735689659999999,0,1,0,0,0
            1735689660000000,93610.93,93652.00,93606.78,93650.00,3.40123,1735689719999999,0,1,0,0,0
            """
        let series = try CandleSeries.load(from: Helpers.write(text, named: "BTCUSDT-1m-2025-01-01.csv"))
        #expect(series.candles.map(\.timestamp) == [1_735_689_540_000, 1_735_689_600_000, 1_735_689_660_000])
        #expect(series.timeframe == .m1)
    }

    @Test("reads Binance futures kline files that carry a header")
    func readsBinanceFuturesHeader() throws {
        let text = """
            open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore
            1704067200000,42314.00,42343.90,42289.60,42343.00,230.452,1704067259999,9754035.57670,2216,156.018,6604017.55400,0
            """
        let series = try CandleSeries.load(from: Helpers.write(text, named: "BTCUSDT-1m-2024-01-01.csv"))
        #expect(
            series.candles == [try Helpers.candle(1_704_067_200_000, "42314", "42343.9", "42289.6", "42343", "230.452")]
        )
    }

    @Test("reads Yahoo Finance CSV, rounding long prices half-even to 8 digits and skipping null rows")
    func readsYahoo() throws {
        let text = """
            Date,Open,High,Low,Close,Adj Close,Volume
            2024-01-02,187.149994,188.440002,183.889999,185.639999,184.938217,82488700
            2024-01-03,0.10675300657749176,1.000000015,0.000000025,1.0000000050001,0.1,1.5e-05
            2024-01-04,null,null,null,null,null,null
            2024-01-05,181.990005,182.759995,180.169998,181.179993,180.491425,62303300
            """
        let url = try Helpers.write(text, named: "AAPL.csv")
        let series = try CandleSeries.load(from: url, timeframe: .d1)
        #expect(series.count == 3)
        #expect(
            series.candles[0]
                == (try Helpers.candle(
                    Helpers.utc(2024, 1, 2), "187.149994", "188.440002", "183.889999", "185.639999", "82488700")))
        let rounded = series.candles[1]
        #expect(rounded.open == (try Price(parsing: "0.10675301")))  // …300|657… rounds up
        #expect(rounded.high == (try Price(parsing: "1.00000002")))  // tie, 1 is odd: to even 2
        #expect(rounded.low == (try Price(parsing: "0.00000002")))  // tie, 2 is even: stays 2
        #expect(rounded.close == (try Price(parsing: "1.00000001")))  // just above the tie
        #expect(rounded.volume == (try Quantity(parsing: "0.000015")))  // exponent form
        #expect(series.candles[2].timestamp == Helpers.utc(2024, 1, 5))
        let (_, report) = try CandleSeries.inspect(from: url, timeframe: .d1)
        #expect(report.format == .yahoo)
        #expect(report.skippedCount == 1)
        #expect(report.findings(.skipped).first?.location.description == "AAPL.csv:4")
    }

    @Test("detects second and microsecond timestamps in canonical files by magnitude")
    func detectsTimestampUnits() throws {
        let text = """
            timestamp,open,high,low,close,volume
            1704067200,1,2,1,2,10
            1704067260000,2,3,2,3,10
            1704067320000000,3,4,3,4,10
            """
        let series = try CandleSeries.load(from: Helpers.write(text, named: "units.csv"))
        #expect(series.candles.map(\.timestamp) == [1_704_067_200_000, 1_704_067_260_000, 1_704_067_320_000])
    }

    @Test("accepts a byte-order mark, CRLF endings, blank lines and a missing final newline")
    func acceptsTextQuirks() throws {
        let text =
            "\u{FEFF}timestamp,open,high,low,close,volume\r\n1704067200000,1,2,1,2,10\r\n\r\n"
            + "1704067260000,2,3,2,3,10\r\n1704067320000,3,4,3,x,10"
        let url = try Helpers.write(text, named: "quirks.csv")
        let error = Helpers.loadError(url)
        #expect(error?.description == "quirks.csv:5: column 'close' value 'x' is not a decimal number")
        let fixed = try Helpers.write(String(text.dropLast(4)) + "4,10", named: "quirks.csv")
        let series = try CandleSeries.load(from: fixed)
        #expect(series.count == 3)
        #expect(series.candles[2].close == 4)
    }

    @Test("reads headerless six-column canonical rows")
    func readsHeaderlessCanonical() throws {
        let series = try CandleSeries.load(from: Helpers.write("1704067200000,1,2,1,2,10\n", named: "rows.csv"))
        #expect(series.candles == [try Helpers.candle(1_704_067_200_000, "1", "2", "1", "2", "10")])
    }

    @Test("detects gzip by its magic bytes and reads multi-member gzip files joined with cat")
    func readsGzipByContent() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("bittrex_ETHBTC_5m_2018-01.csv"))
        let directory = try Fixtures.temporaryDirectory("petrel-gzip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("first.csv.gz")
        let second = directory.appendingPathComponent("second.csv.gz")
        let split = series.candles[1_000].timestamp
        try series.slice(to: split).write(csvTo: first)
        try series.slice(from: split).write(csvTo: second)
        // A file named .csv holding gzip data is recognised by its magic bytes.
        let disguised = directory.appendingPathComponent("disguised.csv")
        try Data(contentsOf: first).write(to: disguised)
        #expect(try CandleSeries.load(from: disguised).count == 1_000)
        // `cat first.csv.gz second.csv.gz`: two gzip members, the second repeating the header line.
        let joined = directory.appendingPathComponent("bittrex_ETHBTC_5m_joined.csv.gz")
        try (Data(contentsOf: first) + Data(contentsOf: second)).write(to: joined)
        let loaded = try CandleSeries.load(from: joined)
        #expect(loaded.candles == series.candles)
        #expect(loaded.symbol == (try Symbol(parsing: "ETH/BTC")))
    }

    @Test("writes canonical CSV with the shortest exact decimals or a fixed number of digits")
    func writesCSV() throws {
        let series = CandleSeries(candles: [
            try Helpers.candle(
                1_515_560_100_000, "0.0000533", "0.0000533", "0.00005288", "0.0000529", "431401.97869504"),
            try Helpers.candle(1_515_560_400_000, "12", "12.5", "11", "12.1", "0"),
        ])
        let shortest = String(decoding: series.csvBytes(), as: UTF8.self)
        #expect(
            shortest == """
                timestamp,open,high,low,close,volume
                1515560100000,0.0000533,0.0000533,0.00005288,0.0000529,431401.97869504
                1515560400000,12,12.5,11,12.1,0

                """)
        let fixed = String(decoding: series.csvBytes(decimals: .fixed(fractionDigits: 2)), as: UTF8.self)
        #expect(fixed.hasSuffix("\n1515560400000,12.00,12.50,11.00,12.10,0.00\n"))
        #expect(fixed.contains(",0.0000533,"))  // digits are padded, never dropped
        let url = try Helpers.write("", named: "out.csv")
        try series.write(csvTo: url)
        #expect(try CandleSeries.load(from: url).candles == series.candles)
    }
}
