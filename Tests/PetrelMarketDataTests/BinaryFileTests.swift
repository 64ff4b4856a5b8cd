import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("Binary candle files")
struct BinaryFileTests {
    @Test("round-trips the BTC January file: CSV → binary → CSV reproduces the original bytes")
    func roundTrip() throws {
        let original = Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv")
        let series = try CandleSeries.load(from: original)
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("btc.pcandles")
        try series.write(binaryTo: binary)
        let loaded = try CandleSeries.load(from: binary)
        #expect(loaded.candles == series.candles)
        #expect(loaded.symbol == series.symbol)
        #expect(loaded.timeframe == .m1)
        let originalBytes = try Data(contentsOf: original)
        let viaCSV = directory.appendingPathComponent("direct.csv")
        try series.write(csvTo: viaCSV, decimals: .fixed(fractionDigits: 8))
        let viaBinary = directory.appendingPathComponent("via-binary.csv")
        try loaded.write(csvTo: viaBinary, decimals: .fixed(fractionDigits: 8))
        #expect(try Data(contentsOf: viaCSV) == originalBytes)
        #expect(try Data(contentsOf: viaBinary) == originalBytes)
    }

    @Test("writes the documented header layout followed by 48-byte records")
    func headerLayout() throws {
        let series = CandleSeries(
            symbol: try Symbol(parsing: "ETH/BTC"), timeframe: .m5,
            candles: [try Helpers.candle(1_515_560_100_000, "0.0984", "0.0994766", "0.09828605", "0.0994766", "1820.5")]
        )
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("one.pcandles")
        try series.write(binaryTo: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        func integer(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        #expect(Array(bytes[0..<8]) == Array("PETRELC1".utf8))
        #expect(integer(8, 2) == 1)
        #expect(integer(10, 2) == 1)
        let headerSize = Int(integer(12, 4))
        #expect(headerSize % 8 == 0)
        #expect(integer(16, 8) == 1)
        #expect(integer(32, 8) == 300_000)
        #expect(bytes[40] == 2 && bytes[41] == 7)
        #expect(String(decoding: bytes[42..<44], as: UTF8.self) == "5m")
        #expect(String(decoding: bytes[44..<51], as: UTF8.self) == "ETH/BTC")
        #expect(bytes.count == headerSize + 48)
        #expect(integer(headerSize, 8) == 1_515_560_100_000)
        #expect(integer(headerSize + 8, 8) == 9_840_000)
        #expect(integer(headerSize + 40, 8) == 182_050_000_000)
    }

    @Test("a truncated binary file names the expected and actual sizes")
    func truncated() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("bittrex_ADABTC_5m_2018-01.csv"))
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ada.pcandles")
        try series.write(binaryTo: url)
        let bytes = try Data(contentsOf: url)
        let cut = directory.appendingPathComponent("cut.pcandles")
        try bytes.dropLast(10).write(to: cut)
        #expect(
            Helpers.loadError(cut)
                == .truncatedBinaryFile(
                    file: "cut.pcandles", expectedBytes: bytes.count, actualBytes: bytes.count - 10))
        #expect(
            Helpers.loadError(cut)?.description == "cut.pcandles: binary candle file is truncated: the header "
                + "needs \(bytes.count) bytes, the file has \(bytes.count - 10)")
        let stub = directory.appendingPathComponent("stub.pcandles")
        try bytes.prefix(20).write(to: stub)
        #expect(Helpers.loadError(stub)?.code == "truncated_binary_file")
    }

    @Test("damaged records fail the checksum, and unknown versions are refused")
    func damaged() throws {
        let series = try CandleSeries.load(from: Fixtures.sharedData("bittrex_ADABTC_5m_2018-01.csv"))
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ada.pcandles")
        try series.write(binaryTo: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count - 3] ^= 0x40
        let flipped = try Helpers.write(bytes, named: "flipped.pcandles")
        let text = Helpers.loadError(flipped)?.description ?? ""
        #expect(text.hasPrefix("flipped.pcandles: not a valid Petrel candle file: checksum mismatch"))
        bytes[bytes.count - 3] ^= 0x40
        bytes[8] = 9
        let future = try Helpers.write(bytes, named: "future.pcandles")
        #expect(
            Helpers.loadError(future)?.description
                == "future.pcandles: not a valid Petrel candle file: format version 9 is not supported (this build reads 1)"
        )
    }

    @Test("strict loading refuses unsorted binary records with the record number")
    func unsortedRecords() throws {
        let candles = [
            try Helpers.candle(120_000_000_000, "1", "2", "1", "2", "1"),
            try Helpers.candle(120_000_060_000, "1", "2", "1", "2", "1"),
            try Helpers.candle(120_000_000_000, "1", "2", "1", "2", "1"),
        ]
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("bad.pcandles")
        try CandleSeries(timeframe: .m1, candles: candles).write(binaryTo: url)
        #expect(Helpers.loadError(url)?.description.hasPrefix("bad.pcandles record 3: timestamp 120000000000") == true)
        let (series, report) = try CandleSeries.inspect(from: url)
        #expect(series.count == 3)
        #expect(report.backwardsCount == 1 && report.duplicateCount == 1)
        #expect(report.findings(.duplicate).first?.description.contains("already appeared at record 1") == true)
    }

    @Test("round-trips an empty series and reads a gzip-compressed binary file")
    func emptyAndCompressed() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.pcandles")
        try CandleSeries(timeframe: .h1, candles: []).write(binaryTo: empty)
        let loaded = try CandleSeries.load(from: empty)
        #expect(loaded.isEmpty && loaded.timeframe == .h1)

        let series = try CandleSeries.load(from: Fixtures.sharedData("bittrex_ETHBTC_5m_2018-01.csv"))
        let compressed = directory.appendingPathComponent("bittrex_ETHBTC_5m_2018-01.pcandles.gz")
        try series.write(binaryTo: compressed)
        let bytes = [UInt8](try Data(contentsOf: compressed))
        #expect(bytes.starts(with: [0x1f, 0x8b]))
        let reloaded = try CandleSeries.load(from: compressed)
        #expect(reloaded.candles == series.candles)
        #expect(reloaded.symbol == (try Symbol(parsing: "ETH/BTC")) && reloaded.timeframe == .m5)
    }
}
