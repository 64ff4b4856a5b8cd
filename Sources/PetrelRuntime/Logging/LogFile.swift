import Foundation
import Synchronization

/// An append-only text file (created with its directory on first use), safe to share between tasks.
/// Every write goes through ``SecretRedactor``.
public final class LogFile: Sendable {
    /// The file's path.
    public let path: String
    private let handle: Mutex<FileHandle?>
    private let redactor: SecretRedactor

    /// Opens (or creates) the file for appending.
    /// - Throws: a Foundation error when the directory or file cannot be created.
    public init(path: String, redactor: SecretRedactor = .shared) throws {
        self.path = path
        self.redactor = redactor
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.handle = Mutex(handle)
    }

    /// Appends one line (a newline is added).
    public func write(line: String) {
        let data = Data((redactor.redact(line) + "\n").utf8)
        handle.withLock { handle in
            try? handle?.write(contentsOf: data)
        }
    }

    /// Closes the file; later writes are dropped.
    public func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
