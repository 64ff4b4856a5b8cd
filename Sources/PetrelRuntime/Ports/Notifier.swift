import PetrelCore

/// What a notification is about: seed 002's `notify_on` names, seed 003's summaries and seed 004's alerts.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case tradeEntry = "trade_entry"
    case tradeExit = "trade_exit"
    case error
    case status
    case dailySummary = "daily_summary"
    case summary6h = "summary_6h"
    case highLoss = "high_loss"
    case apiFailure = "api_failure"
    case riskWarning = "risk_warning"
    /// A message a person sent on purpose (`petrel notify test`, `POST /api/send_alert`); every
    /// enabled channel sends it, whatever its `notify_on`.
    case manual
}

/// One message for people, before a channel formats it.
public struct NotificationMessage: Sendable, Hashable, Codable {
    /// How urgent it is.
    public enum Severity: String, Sendable, Hashable, Codable {
        case info
        case warning
        case critical
    }

    public var event: NotificationEvent
    /// The bot it is about, if any.
    public var botID: String?
    /// One line: "BUY 0.5 BTC/USDT at 30,000.00".
    public var title: String
    /// Plain text, may span lines.
    public var body: String
    /// Labelled values shown as a list ("P&L": "+12.40 USDT").
    public var fields: [Field]
    public var severity: Severity
    /// Unix ms.
    public var timestamp: Int64

    /// A labelled value.
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        event: NotificationEvent, botID: String? = nil, title: String, body: String = "", fields: [Field] = [],
        severity: Severity = .info, timestamp: Int64
    ) {
        self.event = event
        self.botID = botID
        self.title = title
        self.body = body
        self.fields = fields
        self.severity = severity
        self.timestamp = timestamp
    }

    /// The message as plain text: title, body, then one `name: value` line per field.
    public var plainText: String {
        var lines = [title]
        if !body.isEmpty { lines.append(body) }
        for field in fields { lines.append("\(field.name): \(field.value)") }
        return lines.joined(separator: "\n")
    }
}

/// The notification port: the runtime hands messages over and goes on. Implementations queue, retry and
/// rate-limit on their own; `notify` never waits for a channel and never fails the caller.
public protocol Notifier: Sendable {
    func notify(_ notification: NotificationMessage)
}

/// A notifier that drops everything (no channel configured).
public struct SilentNotifier: Notifier {
    public init() {}
    public func notify(_ notification: NotificationMessage) {}
}
