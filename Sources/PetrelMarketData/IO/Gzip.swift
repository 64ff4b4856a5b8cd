import CZlib

/// gzip (RFC 1952) decompression and compression through the system zlib.
enum Gzip {
    /// Whether the bytes start with the gzip magic `1f 8b` (the extension is not trusted).
    static func isCompressed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates a gzip file, including files of several concatenated members (`cat a.gz b.gz`).
    ///
    /// The output is sized from the last member's `ISIZE` trailer and grows by doubling when the
    /// hint is too small (multi-member files, inputs over 4 GiB).
    /// - Parameters:
    ///   - input: the compressed bytes.
    ///   - file: the file name for error messages.
    /// - Throws: ``MarketDataError/corruptCompressedData(file:reason:)``.
    /// - Complexity: O(n) in the decompressed size.
    static func decompress(_ input: [UInt8], file: String) throws(MarketDataError) -> [UInt8] {
        try input.withBytes { (raw) throws(MarketDataError) in try inflateAll(raw, file: file) }
    }

    private static func inflateAll(_ input: UnsafeRawBufferPointer, file: String) throws(MarketDataError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptCompressedData(file: file, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: initialCapacity(for: input))
        var produced = 0
        var consumed = 0
        let chunk = 1 << 30
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
            let inputLeft = input.count - consumed
            let feed = Swift.min(inputLeft, chunk)
            var status: Int32 = Z_OK
            var written = 0
            var read = 0
            output.withUnsafeMutableBytes { out in
                let target = out.baseAddress! + produced
                let room = Swift.min(out.count - produced, chunk)
                stream.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(feed)
                stream.next_out = target.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(room)
                status = inflate(&stream, Z_NO_FLUSH)
                written = room - Int(stream.avail_out)
                read = feed - Int(stream.avail_in)
            }
            produced += written
            consumed += read
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
                if rest.isEmpty || rest.allSatisfy({ $0 == 0 }) {
                    output.removeLast(output.count - produced)
                    return output
                }
                guard isCompressed(rest) else {
                    throw .corruptCompressedData(
                        file: file, reason: "\(rest.count) unexpected bytes after the end of the gzip data")
                }
                inflateReset(&stream)
            case Z_BUF_ERROR where written == 0 && read == 0 && consumed == input.count:
                throw .corruptCompressedData(file: file, reason: "the file ends in the middle of the compressed data")
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corruptCompressedData(file: file, reason: message)
            }
        }
    }

    /// The last member's `ISIZE` (uncompressed size mod 2^32) when plausible, else a multiple of the
    /// input. Capped at 32 times the input so that a damaged trailer cannot demand gigabytes; the
    /// output grows by doubling past the estimate.
    private static func initialCapacity(for input: UnsafeRawBufferPointer) -> Int {
        let fallback = Swift.max(input.count * 4, 4_096)
        guard input.count >= 18 else { return fallback }
        let tail = input.count - 4
        let size =
            Int(input[tail]) | Int(input[tail + 1]) << 8 | Int(input[tail + 2]) << 16 | Int(input[tail + 3]) << 24
        return size >= input.count / 2 ? Swift.min(size + 1, input.count * 32) : fallback
    }

    /// Compresses bytes into one gzip member.
    /// - Parameters:
    ///   - input: the bytes to compress (under 4 GiB).
    ///   - path: the target path for error messages.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    static func compress(_ input: UnsafeRawBufferPointer, path: String) throws(MarketDataError) -> [UInt8] {
        guard input.count < Int(UInt32.max) else {
            throw .writeFailed(path: path, reason: "gzip output is limited to inputs under 4 GiB")
        }
        var stream = z_stream()
        let started = deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw .writeFailed(path: path, reason: "zlib could not start") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 64
        var status: Int32 = Z_OK
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            stream.next_in = UnsafeMutablePointer(
                mutating: (input.baseAddress ?? UnsafeRawPointer(out.baseAddress!)).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!
            stream.avail_out = uInt(bound)
            status = deflate(&stream, Z_FINISH)
            produced = bound - Int(stream.avail_out)
            initialized = produced
        }
        guard status == Z_STREAM_END else { throw .writeFailed(path: path, reason: "zlib error \(status)") }
        return output
    }
}
