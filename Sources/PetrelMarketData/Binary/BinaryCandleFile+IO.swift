import Foundation
import PetrelCore

extension BinaryCandleFile {
    /// The largest possible header: the fixed part, two 255-byte texts, padding.
    static let maxHeaderSize = 560

    /// Reads a binary candle file: the header, then all records with one read straight into the
    /// array's storage.
    /// - Parameters:
    ///   - input: the open file.
    ///   - file: the file name for errors.
    /// - Throws: ``MarketDataError`` for a bad header, a wrong length or a checksum mismatch.
    /// - Complexity: O(n): one read and one checksum pass.
    static func read(_ input: borrowing InputFile, file: String) throws(MarketDataError) -> (Header, [Candle]) {
        let prefixSize = Swift.min(input.size, maxHeaderSize)
        var prefix = [UInt8](repeating: 0, count: prefixSize)
        var got = 0
        var failure: MarketDataError?
        prefix.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            do throws(MarketDataError) { got = try input.read(into: base, count: prefixSize, at: 0) } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        let header = try prefix.withBytes { (raw) throws(MarketDataError) in
            try parseHeader(UnsafeRawBufferPointer(rebasing: raw[..<got]), fileSize: input.size, file: file)
        }
        let candles = try records(count: header.count, checksum: header.checksum, file: file) {
            (target, length) throws(MarketDataError) in
            let read = try input.read(into: target, count: length, at: header.headerSize)
            guard read == length else {
                throw .truncatedBinaryFile(
                    file: file, expectedBytes: header.headerSize + length, actualBytes: header.headerSize + read)
            }
        }
        return (header, candles)
    }

    /// Decodes a binary candle file already in memory (e.g. after gzip decompression).
    /// - Throws: as ``read(_:file:)``.
    static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws(MarketDataError) -> (Header, [Candle]) {
        let header = try parseHeader(bytes, fileSize: bytes.count, file: file)
        let candles = try records(count: header.count, checksum: header.checksum, file: file) {
            (target, length) throws(MarketDataError) in
            if length > 0 { target.copyMemory(from: bytes.baseAddress! + header.headerSize, byteCount: length) }
        }
        return (header, candles)
    }

    /// Builds the candle array: `fill` writes the record bytes into its storage, then the checksum
    /// is verified and, on a host whose `Candle` layout differs, records are converted in place.
    private static func records(
        count: Int, checksum: UInt64?, file: String,
        fill: (UnsafeMutableRawPointer, Int) throws(MarketDataError) -> Void
    ) throws(MarketDataError) -> [Candle] {
        guard count > 0 else {
            if let checksum {
                try CandleChecksum.verify(UnsafeRawBufferPointer(start: nil, count: 0), expected: checksum, file: file)
            }
            return []
        }
        var failure: MarketDataError?
        let length = count * recordSize
        let candles = [Candle](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            MemoryAdvice.preferHugePages(raw, byteCount: length)
            do throws(MarketDataError) {
                try fill(raw, length)
                if let checksum {
                    try CandleChecksum.verify(
                        UnsafeRawBufferPointer(start: raw, count: length), expected: checksum, file: file)
                }
                if !recordsMatchMemoryLayout {
                    for index in 0..<count {
                        let candle = decodeRecord(UnsafeRawPointer(raw) + index * recordSize)
                        (buffer.baseAddress! + index).initialize(to: candle)
                    }
                }
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return candles
    }

    /// One record from little-endian bytes (portable path).
    private static func decodeRecord(_ record: UnsafeRawPointer) -> Candle {
        func value(_ field: Int) -> Int64 {
            Int64(littleEndian: record.loadUnaligned(fromByteOffset: field * 8, as: Int64.self))
        }
        return Candle(
            timestamp: value(0), open: Price(rawValue: value(1)), high: Price(rawValue: value(2)),
            low: Price(rawValue: value(3)), close: Price(rawValue: value(4)), volume: Quantity(rawValue: value(5)))
    }

    /// Writes a series as a binary candle file (atomically); gzip-compressed when the path ends in `.gz`.
    /// - Parameters:
    ///   - series: the candles, symbol and timeframe to store.
    ///   - url: the target file.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    /// - Complexity: O(n); no copy of the records on little-endian hosts (uncompressed).
    static func write(_ series: CandleSeries, to url: URL) throws(MarketDataError) {
        let output = try OutputFile(url)
        if url.pathExtension.lowercased() == "gz" {
            var bytes = [UInt8]()
            try writeParts(series) { (part) throws(MarketDataError) in bytes.append(contentsOf: part) }
            try output.write(
                try bytes.withBytes { (raw) throws(MarketDataError) in try Gzip.compress(raw, path: url.path) })
        } else {
            try writeParts(series) { (part) throws(MarketDataError) in try output.write(part) }
        }
        try output.commit()
    }

    /// Hands the header and then the record bytes to `sink`.
    private static func writeParts(
        _ series: CandleSeries, to sink: (UnsafeRawBufferPointer) throws(MarketDataError) -> Void
    ) throws(MarketDataError) {
        func emit(records: UnsafeRawBufferPointer) throws(MarketDataError) {
            let header = encodeHeader(
                count: series.count, checksum: CandleChecksum.compute(records), timeframe: series.timeframe,
                symbol: series.symbol)
            try header.withBytes { (raw) throws(MarketDataError) in try sink(raw) }
            try sink(records)
        }
        if recordsMatchMemoryLayout {
            try series.candles.withBytes { (records) throws(MarketDataError) in try emit(records: records) }
            return
        }
        var records = [UInt8]()
        records.reserveCapacity(series.count * recordSize)
        for candle in series.candles {
            for value in [
                candle.timestamp, candle.open.rawValue, candle.high.rawValue, candle.low.rawValue,
                candle.close.rawValue, candle.volume.rawValue,
            ] {
                withUnsafeBytes(of: value.littleEndian) { records.append(contentsOf: $0) }
            }
        }
        try records.withBytes { (raw) throws(MarketDataError) in try emit(records: raw) }
    }
}
