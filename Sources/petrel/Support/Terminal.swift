import Foundation

/// Writing to the terminal: the summary on stdout, progress and notes on stderr.
enum Terminal {
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `data` to `path`, or to stdout when `path` is `-`.
    static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// A progress bar on stderr, shown only when stderr is a terminal; safe to call from several threads.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var lastPercent = -1

    init(_ label: String) {
        self.label = label
    }

    func update(_ done: Int, _ total: Int) {
        guard Terminal.stderrIsTTY, total > 0 else { return }
        let percent = done * 100 / total
        lock.lock()
        defer { lock.unlock() }
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
