import Foundation
import Synchronization

/// The one place secrets are taken out of text before it is logged, written to a file or shown:
/// every registered secret value becomes `***`.
public final class SecretRedactor: Sendable {
    private let secrets = Mutex<[String]>([])

    /// The process-wide redactor every log handler and file writer uses.
    public static let shared = SecretRedactor()

    public init() {}

    /// Registers a secret (an API key, a token, a password resolved from the environment). Values
    /// shorter than 4 characters are not registered (they would mask ordinary text).
    public func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        secrets.withLock { list in
            if !list.contains(secret) {
                list.append(secret)
                list.sort { $0.count > $1.count }
            }
        }
    }

    /// `text` with every registered secret replaced by `***`.
    public func redact(_ text: String) -> String {
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return text }
        var result = text
        for secret in list where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }
}
