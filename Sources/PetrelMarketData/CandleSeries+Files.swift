import Foundation
import PetrelCore

extension CandleSeries {
    /// Loads candles from a file, recognising the format from its contents: a `PETRELC1` binary
    /// file, gzip (by its magic bytes, whatever the extension), or CSV (canonical, Binance kline or
    /// Yahoo Finance, told apart by the first line).
    ///
    /// Loading is strict: the first unreadable, unsorted, duplicate or impossible row stops it with
    /// an error naming `file:line`. Use ``inspect(from:symbol:timeframe:maxFindingsPerCategory:)`` to
    /// list every problem instead.
    ///
    /// The symbol and timeframe come from the arguments when given, else from a binary file's header,
    /// else the timeframe is inferred from the most common step between timestamps, and finally both
    /// are read from a file name such as `binance_BTCUSDT_1m_2024-01.csv`.
    /// - Parameters:
    ///   - url: the file.
    ///   - symbol: the instrument, overriding what the file says.
    ///   - timeframe: the candle length, overriding what the file says or implies.
    /// - Returns: the candles, sorted, with their symbol, timeframe and the file path as `source`.
    /// - Throws: ``MarketDataError`` (unreadable or empty file, unknown header, a bad row with its
    ///   `file:line`, a damaged binary or gzip file).
    /// - Complexity: O(n); the file is read once into memory and parsed without per-row allocation.
    public static func load(from url: URL, symbol: Symbol? = nil, timeframe: Timeframe? = nil)
        throws(MarketDataError) -> CandleSeries
    {
        var collector: FindingCollector?
        return try read(url, symbol: symbol, timeframe: timeframe, collector: &collector).series
    }

    /// Reads a file leniently and checks it: every malformed, skipped, backwards, duplicate,
    /// impossible, misaligned, zero-volume row and every gap, each with its `file:line`.
    ///
    /// Malformed rows are left out of the series; all other rows are kept in file order, so the
    /// series may be unsorted. Only whole-file problems (unreadable, empty, unknown header, damaged
    /// binary or gzip data) throw.
    /// - Parameters:
    ///   - url: the file.
    ///   - symbol: the instrument, overriding what the file says.
    ///   - timeframe: the timeframe for the gap checks, overriding what the file says or implies.
    ///   - maxFindingsPerCategory: how many findings of each category to keep (all are counted).
    /// - Returns: the rows read and the report.
    /// - Throws: ``MarketDataError`` for problems with the file as a whole.
    public static func inspect(
        from url: URL, symbol: Symbol? = nil, timeframe: Timeframe? = nil, maxFindingsPerCategory: Int = 100
    ) throws(MarketDataError) -> (series: CandleSeries, report: DataQualityReport) {
        var collector: FindingCollector? = FindingCollector(capPerCategory: maxFindingsPerCategory)
        let result = try read(url, symbol: symbol, timeframe: timeframe, collector: &collector)
        let report = DataQualityInspector.report(
            candles: result.series.candles, timeframe: result.series.timeframe, lines: result.lines,
            file: url.lastPathComponent, source: url.path, format: result.format,
            collector: collector ?? FindingCollector(capPerCategory: maxFindingsPerCategory))
        return (result.series, report)
    }

    /// Checks a series in memory; locations are record numbers (1-based positions).
    /// - Parameter maxFindingsPerCategory: how many findings of each category to keep.
    /// - Returns: the report; gaps and alignment are checked only when ``timeframe`` is known.
    /// - Complexity: O(n).
    public func qualityReport(maxFindingsPerCategory: Int = 100) -> DataQualityReport {
        DataQualityInspector.report(
            candles: candles, timeframe: timeframe, lines: .records, file: source, source: source, format: nil,
            collector: FindingCollector(capPerCategory: maxFindingsPerCategory))
    }

    /// Writes the canonical CSV `timestamp,open,high,low,close,volume` (Unix ms, exact decimals);
    /// gzip-compressed when the path ends in `.gz`. The file is replaced atomically.
    /// - Parameters:
    ///   - url: the target file.
    ///   - decimals: how decimals are written; `.fixed(fractionDigits: 8)` reproduces Binance's text.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    /// - Complexity: O(n).
    public func write(csvTo url: URL, decimals: CSVDecimalStyle = .shortest) throws(MarketDataError) {
        var bytes = CSVCandleWriter.encode(candles, style: decimals)
        if url.pathExtension.lowercased() == "gz" {
            bytes = try bytes.withBytes { (raw) throws(MarketDataError) in try Gzip.compress(raw, path: url.path) }
        }
        let output = try OutputFile(url)
        try output.write(bytes)
        try output.commit()
    }

    /// The canonical CSV text as bytes (what ``write(csvTo:decimals:)`` writes, uncompressed).
    /// - Parameter decimals: how decimals are written.
    /// - Complexity: O(n).
    public func csvBytes(decimals: CSVDecimalStyle = .shortest) -> [UInt8] {
        CSVCandleWriter.encode(candles, style: decimals)
    }

    /// Writes a binary candle file (`.pcandles`, see `docs/market-data.md`) holding the candles,
    /// symbol and timeframe; gzip-compressed when the path ends in `.gz`. The file is replaced atomically.
    /// - Parameter url: the target file.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    /// - Complexity: O(n), no copy of the candles on little-endian hosts.
    public func write(binaryTo url: URL) throws(MarketDataError) {
        try BinaryCandleFile.write(self, to: url)
    }

    /// The conventional extension of binary candle files, `pcandles`.
    public static let binaryFileExtension = BinaryCandleFile.fileExtension
}
