import Foundation
import PetrelCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `.pcandles` file mapped read-only into memory, its records used in place as candles.
///
/// Loading a million candles this way copies nothing and zeroes no fresh memory: the pages come
/// straight from the page cache. The header, the checksum and the strict row checks (sorted,
/// unique, possible) are verified exactly as ``CandleSeries/load(from:symbol:timeframe:)`` does.
/// The mapping lives as long as this object; it is immutable, so sharing it between threads is safe.
public final class MappedCandleFile: @unchecked Sendable {
    /// The file name, for messages.
    public let source: String
    /// Symbol and timeframe from the header, when it has them.
    public let symbol: Symbol?
    public let timeframe: Timeframe?
    /// The candles, in file order.
    public let candles: UnsafeBufferPointer<Candle>
    private let mapping: UnsafeMutableRawPointer
    private let length: Int

    private init(
        source: String, symbol: Symbol?, timeframe: Timeframe?, candles: UnsafeBufferPointer<Candle>,
        mapping: UnsafeMutableRawPointer, length: Int
    ) {
        self.source = source
        self.symbol = symbol
        self.timeframe = timeframe
        self.candles = candles
        self.mapping = mapping
        self.length = length
    }

    deinit { munmap(mapping, length) }

    /// Maps `url` if it is an uncompressed binary candle file whose records match this machine's
    /// `Candle` layout.
    /// - Returns: the mapping, or `nil` when the file is not such a file (CSV, gzip, another
    ///   layout): load it with ``CandleSeries/load(from:symbol:timeframe:)`` instead.
    /// - Throws: ``MarketDataError`` for an unreadable file, a damaged header or checksum, or a row
    ///   that strict loading refuses (with its record number).
    public static func open(_ url: URL) throws(MarketDataError) -> MappedCandleFile? {
        guard BinaryCandleFile.recordsMatchMemoryLayout else { return nil }
        let path = url.path
        let name = url.lastPathComponent
        let descriptor = posixOpenForReading(path)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadableFile(path: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size >= BinaryCandleFile.fixedHeaderSize else { return nil }
        #if os(Linux)
            let flags = MAP_PRIVATE | MAP_POPULATE
        #else
            let flags = MAP_PRIVATE
        #endif
        guard let raw = mmap(nil, size, PROT_READ, flags, descriptor, 0), raw != MAP_FAILED else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = UnsafeRawBufferPointer(start: raw, count: size)
        guard BinaryCandleFile.hasMagic(bytes) else {
            munmap(raw, size)
            return nil
        }
        do {
            let prefix = UnsafeRawBufferPointer(rebasing: bytes[..<Swift.min(size, BinaryCandleFile.maxHeaderSize)])
            let header = try BinaryCandleFile.parseHeader(prefix, fileSize: size, file: name)
            let records = UnsafeRawBufferPointer(rebasing: bytes[header.headerSize...])
            if let checksum = header.checksum {
                try CandleChecksum.verify(records, expected: checksum, file: name)
            }
            let candles = UnsafeBufferPointer(
                start: (raw + header.headerSize).bindMemory(to: Candle.self, capacity: header.count),
                count: header.count)
            if let violation = StrictValidation.firstViolation(in: candles, file: name, lines: .records) {
                throw violation
            }
            return MappedCandleFile(
                source: name, symbol: header.symbol, timeframe: header.timeframe, candles: candles, mapping: raw,
                length: size)
        } catch let error as MarketDataError {
            munmap(raw, size)
            throw error
        } catch {
            munmap(raw, size)
            throw .invalidBinaryFile(file: name, reason: "\(error)")
        }
    }

    /// The index of the first candle with `timestamp >= value` (`count` if none).
    /// - Complexity: O(log n).
    public func firstIndex(atOrAfter value: Int64) -> Int {
        candles.firstIndex(atOrAfterTimestamp: value)
    }
}
