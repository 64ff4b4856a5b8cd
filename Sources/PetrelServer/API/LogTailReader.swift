import Foundation

/// The last lines of a log file, reading only its end.
enum LogTailReader {
    /// Up to `count` last lines of the file at `path` (none when it does not exist).
    static func lastLines(of path: String, count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let window = min(size, UInt64(max(1, count) * 512))
        try? handle.seek(toOffset: size - window)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        if window < size, !lines.isEmpty { lines.removeFirst() }
        return lines.suffix(count).map(String.init)
    }
}
