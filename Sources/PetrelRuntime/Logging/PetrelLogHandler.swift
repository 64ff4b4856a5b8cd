import Foundation
import Logging

/// A swift-log handler that writes one line per message to the console (standard error) and/or a
/// file, secrets redacted: `2024-01-01T00:00:00.000Z INFO [bot1] message key=value`.
public struct PetrelLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let file: LogFile?
    let console: Bool
    let redactor: SecretRedactor

    /// Creates a handler.
    /// - Parameters:
    ///   - label: shown in brackets (the bot id).
    ///   - level: the lowest level written.
    ///   - file: the log file, if any.
    ///   - console: whether lines also go to standard error.
    public init(
        label: String, level: Logger.Level, file: LogFile?, console: Bool, redactor: SecretRedactor = .shared
    ) {
        self.label = label
        self.logLevel = level
        self.file = file
        self.console = console
        self.redactor = redactor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        var line = "\(stamp) \(event.level.rawValue.uppercased()) [\(label)] \(event.message)"
        if !details.isEmpty { line += " " + details }
        let clean = redactor.redact(line)
        file?.write(line: clean)
        if console { FileHandle.standardError.write(Data((clean + "\n").utf8)) }
    }

    /// Seed 002's `logging.level` names (`DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`) as swift-log levels.
    public static func level(named name: String) -> Logger.Level {
        switch name.uppercased() {
        case "DEBUG": return .debug
        case "WARNING": return .warning
        case "ERROR": return .error
        case "CRITICAL": return .critical
        default: return .info
        }
    }
}
