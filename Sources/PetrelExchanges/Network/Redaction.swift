import Foundation

/// Secrets taken out of text before it reaches a log line or an error message.
public struct Redaction: Sendable, Hashable {
    let secrets: [String]

    /// - Parameter secrets: API keys, secrets, passphrases, tokens; values shorter than 4 characters are
    ///   not redacted (they would mangle ordinary text).
    public init(_ secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// `text` with each secret replaced by `***`.
    public func apply(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
