import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file atomically: bytes go to a temporary sibling that is renamed over the target only
/// when everything was written, so a crash never leaves a half-written candle file.
struct OutputFile: ~Copyable {
    private let path: String
    private let temporaryPath: String
    private let descriptor: Int32
    private var finished = false

    /// Creates the temporary sibling of `url`.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    init(_ url: URL) throws(MarketDataError) {
        path = url.path
        temporaryPath = path + ".tmp-\(UUID().uuidString)"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: InputFile.lastError()) }
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    func write(_ bytes: UnsafeRawBufferPointer) throws(MarketDataError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let result = posixWrite(descriptor, base + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: InputFile.lastError())
            }
            done += result
        }
    }

    /// Appends bytes from an array.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    func write(_ bytes: [UInt8]) throws(MarketDataError) {
        try bytes.withBytes { (raw) throws(MarketDataError) in try write(raw) }
    }

    /// Flushes, closes and renames the temporary file over the target.
    /// - Throws: ``MarketDataError/writeFailed(path:reason:)``.
    consuming func commit() throws(MarketDataError) {
        finished = true
        let closed = close(descriptor)
        guard closed == 0 else {
            let reason = InputFile.lastError()
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: reason)
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = InputFile.lastError()
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: reason)
        }
    }
}

private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
