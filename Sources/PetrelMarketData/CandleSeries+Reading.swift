import Foundation
import PetrelCore

extension CandleSeries {
    /// What reading a file produced besides the series.
    struct ReadResult {
        var series: CandleSeries
        var lines: LineMap
        var format: CandleFileFormat
    }

    /// Reads any supported file; strict when `collector` is `nil`.
    static func read(
        _ url: URL, symbol: Symbol?, timeframe: Timeframe?, collector: inout FindingCollector?
    ) throws(MarketDataError) -> ReadResult {
        let file = url.lastPathComponent
        let input = try InputFile(url)
        guard input.size > 0 else { throw .emptyFile(path: url.path) }
        var magic = [UInt8](repeating: 0, count: 8)
        var peeked = 0
        var failure: MarketDataError?
        magic.withUnsafeMutableBytes { raw in
            do throws(MarketDataError) { peeked = try input.read(into: raw.baseAddress!, count: 8, at: 0) } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        let isBinary = magic.withUnsafeBytes {
            BinaryCandleFile.hasMagic(UnsafeRawBufferPointer(rebasing: $0[..<peeked]))
        }
        if isBinary {
            let (header, candles) = try BinaryCandleFile.read(input, file: file)
            return try binaryResult(
                url, header: header, candles: candles, symbol: symbol, timeframe: timeframe,
                strict: collector == nil)
        }
        var bytes = try input.readAll()
        if bytes.withUnsafeBytes({ Gzip.isCompressed($0) }) {
            bytes = try Gzip.decompress(bytes, file: file)
            guard !bytes.isEmpty else { throw .emptyFile(path: url.path) }
            if bytes.withUnsafeBytes({ BinaryCandleFile.hasMagic($0) }) {
                let (header, candles) = try bytes.withBytes { (raw) throws(MarketDataError) in
                    try BinaryCandleFile.decode(raw, file: file)
                }
                return try binaryResult(
                    url, header: header, candles: candles, symbol: symbol, timeframe: timeframe,
                    strict: collector == nil)
            }
        }
        let parsed = try bytes.withBytes { (raw) throws(MarketDataError) in
            try CSVCandleParser.parse(raw, file: file, path: url.path, collector: &collector)
        }
        let named = fileNameInfo(file)
        let series = CandleSeries(
            symbol: symbol ?? named.symbol,
            timeframe: timeframe ?? inferTimeframe(parsed.candles) ?? named.timeframe,
            candles: parsed.candles, source: url.path)
        return ReadResult(series: series, lines: parsed.lines, format: parsed.format)
    }

    private static func binaryResult(
        _ url: URL, header: BinaryCandleFile.Header, candles: [Candle], symbol: Symbol?, timeframe: Timeframe?,
        strict: Bool
    ) throws(MarketDataError) -> ReadResult {
        let file = url.lastPathComponent
        if strict {
            let violation = candles.withUnsafeBufferPointer {
                StrictValidation.firstViolation(in: $0, file: file, lines: .records)
            }
            if let violation { throw violation }
        }
        let named = fileNameInfo(file)
        let series = CandleSeries(
            symbol: symbol ?? header.symbol ?? named.symbol,
            timeframe: timeframe ?? header.timeframe ?? inferTimeframe(candles) ?? named.timeframe,
            candles: candles, source: url.path)
        return ReadResult(series: series, lines: .records, format: .binary)
    }
}
