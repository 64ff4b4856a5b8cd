import Foundation
import PetrelCore

/// Petrel's binary candle file (`.pcandles`): a small header and the raw candle records, loaded with
/// one read straight into a `[Candle]`.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `PETRELC1` (ASCII) |
/// | 8 | 2 | format version, `1` |
/// | 10 | 2 | flags; bit 0: the checksum field is valid |
/// | 12 | 4 | header size H in bytes (offset of the first record; a multiple of 8) |
/// | 16 | 8 | candle count n |
/// | 24 | 8 | checksum of the record bytes (``CandleChecksum``), 0 when flag bit 0 is clear |
/// | 32 | 8 | timeframe length in ms (0 when unknown; informative, the text below is authoritative) |
/// | 40 | 1 | timeframe text length T (0 when unknown) |
/// | 41 | 1 | symbol text length S (0 when unknown) |
/// | 42 | T | timeframe text, e.g. `1m` |
/// | 42+T | S | symbol text, e.g. `BTC/USDT` |
/// | … | | zero padding up to H |
/// | H | 48·n | records: timestamp (Unix ms), open, high, low, close, volume as `Int64` (values × 10^8) |
enum BinaryCandleFile {
    /// The 8 magic bytes.
    static let magic: [UInt8] = Array("PETRELC1".utf8)
    /// The version this build writes and reads.
    static let version: UInt16 = 1
    /// The conventional file extension.
    static let fileExtension = "pcandles"
    /// Bytes before the variable-length texts.
    static let fixedHeaderSize = 42
    /// Bytes per candle record.
    static let recordSize = 48

    /// What the header says.
    struct Header {
        var count: Int
        var headerSize: Int
        var checksum: UInt64?
        var timeframe: Timeframe?
        var symbol: Symbol?
    }

    /// Whether `Candle`'s memory is exactly the record layout, so records can be copied wholesale.
    static let recordsMatchMemoryLayout: Bool =
        MemoryLayout<Candle>.size == recordSize && MemoryLayout<Candle>.stride == recordSize
        && MemoryLayout<Candle>.offset(of: \.timestamp) == 0 && MemoryLayout<Candle>.offset(of: \.open) == 8
        && MemoryLayout<Candle>.offset(of: \.high) == 16 && MemoryLayout<Candle>.offset(of: \.low) == 24
        && MemoryLayout<Candle>.offset(of: \.close) == 32 && MemoryLayout<Candle>.offset(of: \.volume) == 40
        && UInt16(1).littleEndian == 1

    /// Whether the bytes start with the magic.
    static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && zip(bytes, magic).allSatisfy { $0 == $1 }
    }

    /// Parses and checks the header against the file size.
    /// - Parameters:
    ///   - prefix: the first bytes of the file (at least the whole header, when the file has it).
    ///   - fileSize: the total size, to detect truncation.
    ///   - file: the file name for errors.
    /// - Throws: ``MarketDataError/invalidBinaryFile(file:reason:)`` or
    ///   ``MarketDataError/truncatedBinaryFile(file:expectedBytes:actualBytes:)``.
    static func parseHeader(_ prefix: UnsafeRawBufferPointer, fileSize: Int, file: String) throws(MarketDataError)
        -> Header
    {
        guard hasMagic(prefix) else { throw .invalidBinaryFile(file: file, reason: "it does not start with PETRELC1") }
        guard prefix.count >= fixedHeaderSize else {
            throw .truncatedBinaryFile(file: file, expectedBytes: fixedHeaderSize, actualBytes: fileSize)
        }
        func integer<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
            T(littleEndian: prefix.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        let fileVersion = integer(8, UInt16.self)
        guard fileVersion == version else {
            throw .invalidBinaryFile(
                file: file, reason: "format version \(fileVersion) is not supported (this build reads \(version))")
        }
        let flags = integer(10, UInt16.self)
        let headerSize = Int(integer(12, UInt32.self))
        let count = integer(16, UInt64.self)
        let timeframeLength = Int(prefix[40])
        let symbolLength = Int(prefix[41])
        let textEnd = fixedHeaderSize + timeframeLength + symbolLength
        guard headerSize >= textEnd, headerSize % 8 == 0 else {
            throw .invalidBinaryFile(file: file, reason: "header size \(headerSize) is inconsistent")
        }
        guard prefix.count >= headerSize else {
            throw .truncatedBinaryFile(file: file, expectedBytes: headerSize, actualBytes: fileSize)
        }
        let (body, overflow) = count.multipliedReportingOverflow(by: UInt64(recordSize))
        guard !overflow, body < UInt64(Int.max) - UInt64(headerSize) else {
            throw .invalidBinaryFile(file: file, reason: "candle count \(count) is impossible")
        }
        let expected = headerSize + Int(body)
        guard expected == fileSize else {
            throw .truncatedBinaryFile(file: file, expectedBytes: expected, actualBytes: fileSize)
        }
        var header = Header(count: Int(count), headerSize: headerSize)
        header.checksum = flags & 1 == 1 ? integer(24, UInt64.self) : nil
        if timeframeLength > 0 {
            let text = String(decoding: prefix[fixedHeaderSize..<fixedHeaderSize + timeframeLength], as: UTF8.self)
            guard let timeframe = Timeframe(rawValue: text) else {
                throw .invalidBinaryFile(file: file, reason: "unknown timeframe '\(text)'")
            }
            header.timeframe = timeframe
        }
        if symbolLength > 0 {
            let start = fixedHeaderSize + timeframeLength
            let text = String(decoding: prefix[start..<start + symbolLength], as: UTF8.self)
            guard let symbol = try? Symbol(parsing: text) else {
                throw .invalidBinaryFile(file: file, reason: "symbol '\(text)' is not a symbol")
            }
            header.symbol = symbol
        }
        return header
    }

    /// The header bytes for a series whose record bytes have `checksum`.
    static func encodeHeader(count: Int, checksum: UInt64, timeframe: Timeframe?, symbol: Symbol?) -> [UInt8] {
        let timeframeText = Array((timeframe?.rawValue ?? "").utf8)
        let symbolText = Array((symbol?.description ?? "").utf8.prefix(255))
        let textEnd = fixedHeaderSize + timeframeText.count + symbolText.count
        let headerSize = (textEnd + 7) / 8 * 8
        var bytes = magic
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(version)
        append(UInt16(1))
        append(UInt32(headerSize))
        append(UInt64(count))
        append(checksum)
        append(timeframe?.milliseconds ?? 0)
        bytes.append(UInt8(timeframeText.count))
        bytes.append(UInt8(symbolText.count))
        bytes += timeframeText
        bytes += symbolText
        bytes += [UInt8](repeating: 0, count: headerSize - textEnd)
        return bytes
    }
}
