import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("CSV error messages name the file, the line, the column and the value")
struct CSVErrorTests {
    static let header = "timestamp,open,high,low,close,volume\n"

    func message(_ rows: String, file: String = "data.csv") throws -> String? {
        Helpers.loadError(try Helpers.write(Self.header + rows, named: file))?.description
    }

    @Test("a malformed decimal names the column and the value")
    func malformedDecimal() throws {
        let rows = "1704067200000,1,2,1,2,10\n1704067260000,2,abc,2,3,10\n"
        #expect(try message(rows) == "data.csv:3: column 'high' value 'abc' is not a decimal number")
    }

    @Test("a decimal with more than 8 fractional digits is refused in exact formats")
    func tooManyDigits() throws {
        let rows = "1704067200000,1.123456789,2,1,2,10\n"
        #expect(
            try message(rows) == "data.csv:2: column 'open' value '1.123456789' has more than 8 fractional digits "
                + "(Petrel keeps exact decimals)")
    }

    @Test("an empty field is reported as empty")
    func emptyField() throws {
        #expect(
            try message("1704067200000,1,2,1,2,\n")
                == "data.csv:2: column 'volume' value '' is empty (expected a decimal number)")
    }

    @Test("a wrong column count names the expected columns")
    func wrongColumnCount() throws {
        let rows = "1704067200000,1,2,1,2,10\n1704067260000,2,3,2,3\n"
        #expect(try message(rows) == "data.csv:3: expected 6 columns (timestamp,open,high,low,close,volume), found 5")
    }

    @Test("a bad timestamp names the column")
    func badTimestamp() throws {
        #expect(
            try message("2024-01-01,1,2,1,2,10\n") == "data.csv:2: column 'timestamp' value '2024-01-01' is not a "
                + "Unix timestamp (expected a whole number of seconds, milliseconds or microseconds)")
    }

    @Test("unsorted rows are refused with the first offending line")
    func unsorted() throws {
        let rows = "1704067260000,1,2,1,2,10\n1704067320000,1,2,1,2,10\n1704067200000,1,2,1,2,10\n"
        #expect(
            try message(rows) == "data.csv:4: timestamp 1704067200000 (2024-01-01T00:00:00Z) is before the "
                + "previous row's 1704067320000 (2024-01-01T00:02:00Z); rows must be sorted by time")
    }

    @Test("duplicate timestamps are refused")
    func duplicate() throws {
        let rows = "1704067200000,1,2,1,2,10\n1704067200000,1,2,1,2,10\n"
        #expect(
            try message(rows) == "data.csv:3: timestamp 1704067200000 (2024-01-01T00:00:00Z) repeats the "
                + "previous row's; timestamps must be unique")
    }

    @Test("a candle with high below low is refused")
    func highBelowLow() throws {
        let rows = "1704067200000,1,2,1,2,10\n1704067260000,10,9,10,10,10\n"
        #expect(try message(rows) == "data.csv:3: impossible candle: high 9 is below low 10")
    }

    @Test("an empty file, or one with only a byte-order mark and blank lines, is reported as empty")
    func emptyFile() throws {
        let empty = try Helpers.write("", named: "empty.csv")
        #expect(Helpers.loadError(empty) == .emptyFile(path: empty.path))
        #expect(
            Helpers.loadError(empty)?.description == "\(empty.path): the file is empty (expected a header line "
                + "and candle rows)")
        let blank = try Helpers.write("\u{FEFF}\r\n\n", named: "blank.csv")
        #expect(Helpers.loadError(blank) == .emptyFile(path: blank.path))
    }

    @Test("an unknown header lists the accepted formats")
    func unknownHeader() throws {
        let url = try Helpers.write("time,o,h,l,c,v\n1,2,3,4,5,6\n", named: "odd.csv")
        let text = Helpers.loadError(url)?.description ?? ""
        #expect(text.hasPrefix("odd.csv:1: unknown header 'time,o,h,l,c,v'; accepted formats: "))
        #expect(text.contains("'timestamp,open,high,low,close,volume'"))
        #expect(text.contains("'Date,Open,High,Low,Close,Adj Close,Volume'"))
        #expect(text.contains("Binance kline rows with 12 columns"))
    }

    @Test("a missing file is reported with its path and the system's reason")
    func unreadableFile() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("missing.csv")
        #expect(Helpers.loadError(url)?.description == "\(url.path): cannot read the file: No such file or directory")
    }

    @Test("a truncated gzip file is reported as corrupt")
    func truncatedGzip() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = directory.appendingPathComponent("whole.csv.gz")
        try CandleSeries.load(from: Fixtures.sharedData("bittrex_ETHBTC_5m_2018-01.csv")).write(csvTo: whole)
        let bytes = try Data(contentsOf: whole)
        let cut = try Helpers.write(Array(bytes.prefix(bytes.count / 2)), named: "cut.csv.gz")
        #expect(
            Helpers.loadError(cut)?.description
                == "cut.csv.gz: corrupt gzip data: the file ends in the middle of the compressed data")
    }

    @Test("a bad Yahoo date names the Date column")
    func badYahooDate() throws {
        let text = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-02-30,1,2,1,2,2,100\n"
        #expect(
            Helpers.loadError(try Helpers.write(text, named: "y.csv"))?.description
                == "y.csv:2: column 'Date' value '2024-02-30' is not a date (expected YYYY-MM-DD)")
    }

    @Test("errors expose their location and a stable code")
    func errorParts() throws {
        let error = Helpers.loadError(try Helpers.write(Self.header + "1704067200000,1,2,1,2,x\n", named: "d.csv"))
        #expect(error?.location == SourceLocation(file: "d.csv", line: 2))
        #expect(error?.code == "invalid_value")
    }
}
