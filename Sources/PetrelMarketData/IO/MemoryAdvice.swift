#if canImport(Glibc)
    import Glibc
#endif

/// Hints to the kernel about fresh buffers that are about to be filled in one go.
enum MemoryAdvice {
    /// Asks Linux to back the 2 MiB-aligned interior of a large fresh buffer with transparent huge
    /// pages before it is first written.
    ///
    /// Filling 50 MB of new memory costs about 12,000 page faults with 4 KiB pages; with huge pages
    /// it costs about 25, which makes reading a million binary candles about 5 times faster. The
    /// hint is ignored where unsupported (other systems, `transparent_hugepage=never`), and it only
    /// changes how memory is mapped, never its contents.
    /// - Parameters:
    ///   - pointer: the start of the buffer.
    ///   - byteCount: its length.
    static func preferHugePages(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
            let hugePage: UInt = 2 << 20
            guard byteCount >= 4 * Int(hugePage) else { return }
            let start = UInt(bitPattern: pointer)
            let alignedStart = (start + hugePage - 1) & ~(hugePage - 1)
            let alignedEnd = (start + UInt(byteCount)) & ~(hugePage - 1)
            guard alignedEnd > alignedStart, let aligned = UnsafeMutableRawPointer(bitPattern: alignedStart) else {
                return
            }
            _ = madvise(aligned, Int(alignedEnd - alignedStart), MADV_HUGEPAGE)
        #endif
    }
}
