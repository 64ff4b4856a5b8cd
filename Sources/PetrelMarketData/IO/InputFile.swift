import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file opened for reading with POSIX calls, so that bytes land directly in the caller's buffer
/// (no `Data` in between).
struct InputFile: ~Copyable {
    /// The path as given, for error messages.
    let path: String
    /// The size in bytes when opened.
    let size: Int
    private let descriptor: Int32

    /// Opens `url` for reading.
    /// - Throws: ``MarketDataError/unreadableFile(path:reason:)`` naming the system error.
    init(_ url: URL) throws(MarketDataError) {
        path = url.path
        descriptor = posixOpenForReading(path)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, reason: Self.lastError()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = Self.lastError()
            close(descriptor)
            throw .unreadableFile(path: path, reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .unreadableFile(path: path, reason: "not a regular file")
        }
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (fewer only at
    /// the end of the file).
    /// - Throws: ``MarketDataError/unreadableFile(path:reason:)`` on an I/O error.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(MarketDataError) -> Int {
        var done = 0
        while done < count {
            let result = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: Self.lastError())
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// The whole file as bytes, in one allocation.
    /// - Throws: ``MarketDataError/unreadableFile(path:reason:)``.
    /// - Complexity: O(n), one copy from the page cache.
    func readAll() throws(MarketDataError) -> [UInt8] {
        var failure: MarketDataError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            MemoryAdvice.preferHugePages(UnsafeMutableRawPointer(base), byteCount: size)
            do throws(MarketDataError) {
                initialized = try read(into: base, count: size, at: 0)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `open(2)` read-only; a free function so that the initialiser stays readable.
func posixOpenForReading(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}
