import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

@Suite("Memory-mapped binary candle files")
struct MappedCandleFileTests {
    func writeBTC(_ directory: URL, name: String = "btc.pcandles") throws -> (URL, CandleSeries) {
        let series = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv"))
        let url = directory.appendingPathComponent(name)
        try series.write(binaryTo: url)
        return (url, series)
    }

    @Test("maps the same candles, symbol and timeframe the normal loader reads")
    func mapsSameCandles() throws {
        let directory = try Fixtures.temporaryDirectory()
        let (url, series) = try writeBTC(directory)
        let mapped = try #require(try MappedCandleFile.open(url))
        #expect(Array(mapped.candles) == series.candles)
        #expect(mapped.symbol == series.symbol)
        #expect(mapped.timeframe == .m1)
        #expect(mapped.firstIndex(atOrAfter: series.candles[100].timestamp) == 100)
        #expect(mapped.firstIndex(atOrAfter: series.candles[100].timestamp + 1) == 101)
    }

    @Test("returns nil for CSV files so the caller loads them normally")
    func csvIsNotMapped() throws {
        #expect(try MappedCandleFile.open(Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv")) == nil)
    }

    @Test("refuses a file whose records were damaged, naming the checksum")
    func damagedRecords() throws {
        let directory = try Fixtures.temporaryDirectory()
        let (url, _) = try writeBTC(directory)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: url)
        #expect {
            _ = try MappedCandleFile.open(url)
        } throws: { error in
            "\(error)".contains("checksum") && "\(error)".contains("btc.pcandles")
        }
    }

    @Test("refuses unsorted records with the record number, like strict loading")
    func unsortedRecords() throws {
        let directory = try Fixtures.temporaryDirectory()
        var candles = try Fixtures.canonicalCandles("binance_BTCUSDT_1m_2024-01.csv", limit: 10)
        candles.swapAt(4, 5)
        let url = directory.appendingPathComponent("x_BTCUSDT_1m.pcandles")
        try CandleSeries(symbol: try Symbol(parsing: "BTC/USDT"), timeframe: .m1, candles: candles).write(binaryTo: url)
        #expect {
            _ = try MappedCandleFile.open(url)
        } throws: { error in
            "\(error)".contains("record 6")
        }
    }
}
