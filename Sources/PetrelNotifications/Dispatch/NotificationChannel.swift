import PetrelRuntime

/// Why a delivery failed, as the dispatcher needs to know it: try again (maybe after a wait the service
/// named), or give up. Messages never contain a credential.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A timeout, a 5xx, a dropped connection: worth another try.
    case retryable(String, retryAfterSeconds: Double? = nil)
    /// The service refused the message for good (bad token, unknown chat, invalid number).
    case rejected(String)

    public var description: String {
        switch self {
        case .retryable(let why, let after):
            return "temporary failure: \(why)" + (after.map { " (retry after \($0) s)" } ?? "")
        case .rejected(let why): return "rejected: \(why)"
        }
    }
}

/// A way to reach people: Telegram, e-mail, a webhook, SMS.
public protocol NotificationChannel: Sendable {
    /// `telegram`, `email`, `webhook` or `sms`.
    var name: String { get }
    /// Delivers one message to every recipient of the channel.
    func send(_ notification: NotificationMessage) async throws(DeliveryError)
}
