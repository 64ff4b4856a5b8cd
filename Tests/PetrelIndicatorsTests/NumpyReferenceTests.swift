import Foundation
import PetrelCore
import PetrelIndicators
import Testing

/// Cross-checks against values computed by an independent numpy program
/// (`.reference/make_reference.py`) and committed as a CSV fixture.
@Suite("Outputs agree with an independent numpy implementation")
struct NumpyReferenceTests {
    /// The fixture's columns by header name; empty cells are `nil`.
    static func loadReference() throws -> [String: [Double?]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent(".reference/btcusdt_1m_2024-01_first500.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        var columns = [String: [Double?]]()
        for name in header { columns[name] = [] }
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            for (name, cell) in zip(header, cells) { columns[name]!.append(cell.isEmpty ? nil : Double(cell)!) }
        }
        return columns
    }

    @Test("RSI, EMA, SMA, Bollinger, ATR, MACD, STOCH, WILLR and CCI match numpy on 500 BTC bars")
    func matchesNumpy() throws {
        let reference = try Self.loadReference()
        let candles = Array(try Dataset.btcusdt.candles.prefix(500))
        #expect(reference["timestamp"]?.count == 500)
        #expect(reference["timestamp"]?.first == Double(candles[0].timestamp))

        let specs = [
            "sma:20", "ema:20", "rsi:14", "bbands:20,2", "atr:14", "macd:12,26,9", "stoch:14,3,3", "willr:14", "cci:20",
        ]
        var checked = 0
        for text in specs {
            let spec = try IndicatorSpec(parsing: text)
            for (name, column) in zip(spec.columnNames, spec.compute(candles)) {
                let expected = try #require(reference[name], "fixture has no column \(name)")
                expectSeries(column, matches: expected, within: Tolerance(relative: 1e-9, absolute: 1e-9), name)
                checked += 1
            }
        }
        #expect(checked == 14)
        #expect(firstValueIndex(reference["macd_12_26_9_macd"]!) == 33)
        #expect(firstValueIndex(reference["atr_14"]!) == 14)
    }
}
