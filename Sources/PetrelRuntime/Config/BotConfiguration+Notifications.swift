import Foundation
import PetrelCore

extension BotConfiguration {
    /// One notification channel (`telegram`, `email`, `webhook` or `sms`) and the events it receives.
    public struct Channel: Sendable, Hashable {
        /// Whether the channel sends at all.
        public var enabled: Bool
        /// The events it sends (`notify_on`).
        public var notifyOn: [String]
        /// Telegram chat ids, e-mail addresses or phone numbers.
        public var recipients: [String] = []
        /// E-mail `from` address or SMS sender number.
        public var sender: String?
        /// SMTP server host.
        public var smtpHost: String?
        /// SMTP server port (1 to 65535).
        public var smtpPort: Int?
        /// SMTP connection security: `starttls` (default), `tls` or `none` (localhost only).
        public var smtpSecurity: String?
        /// A PEM file of CA certificates the SMTP server's certificate is checked against.
        public var caFile: String?
        /// SMTP user name or SMS account id.
        public var username: String?
        /// Where a webhook posts.
        public var url: String?
        /// A webhook's body with `{{placeholders}}`; `nil` for the default JSON.
        public var bodyTemplate: String?
        /// Whether a webhook may reach private, loopback and link-local addresses.
        public var allowPrivateAddresses = false
        /// The channel's `bot_token`, `password`, `secret` or `token`, by reference.
        public var credential: SecretReference?

        /// A channel with only its switch and events (tests, the API).
        public init(enabled: Bool, notifyOn: [String]) {
            self.enabled = enabled
            self.notifyOn = notifyOn
        }
    }

    /// The `notifications` section.
    public struct Notifications: Sendable, Hashable {
        /// The master switch: off silences every channel.
        public var enabled: Bool
        /// `telegram`: chat ids and a bot token.
        public var telegram: Channel?
        /// `email`: SMTP settings and recipients.
        public var email: Channel?
        /// `webhook`: a URL that receives each event as JSON.
        public var webhook: Channel?
        /// `sms`: phone numbers and a provider account.
        public var sms: Channel?

        /// The channels that will send, by name, when notifications are enabled at all.
        public var activeChannels: [(name: String, channel: Channel)] {
            guard enabled else { return [] }
            return [("telegram", telegram), ("email", email), ("webhook", webhook), ("sms", sms)].compactMap {
                name, channel in channel.flatMap { $0.enabled ? (name, $0) : nil }
            }
        }
    }

    /// The `logging` section.
    public struct Logging: Sendable, Hashable {
        /// `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`.
        public var level: String
        /// Whether trades are written to `trades.json`.
        public var saveTrades: Bool
        /// Whether the equity curve is written as CSV.
        public var saveEquityCurve: Bool
        /// The bot's log file; nil for the runtime's default.
        public var logFile: String?
    }

    /// The keys each channel accepts beyond `enabled` and `notify_on`.
    static let channelKeys: [String: [String]] = [
        "telegram": ["chat_ids", "bot_token"],
        "email": ["to", "from", "smtp_host", "smtp_port", "username", "password", "security", "ca_file"],
        "webhook": ["url", "secret", "body_template", "allow_private_addresses"],
        "sms": ["to", "from", "username", "token"],
    ]

    static func parseChannel(_ r: inout ConfigReader, _ o: [String: JSONValue], _ key: String, _ path: String)
        -> Channel?
    {
        guard let object = r.object(o, key, path, required: false) else { return nil }
        let p = "\(path).\(key)"
        r.checkKeys(object, p, allowed: ["enabled", "notify_on"] + (channelKeys[key] ?? []))
        var channel = Channel(enabled: r.bool(object, "enabled", p) ?? false, notifyOn: parseEvents(&r, object, p))
        switch key {
        case "telegram":
            channel.recipients = recipients(&r, object, "chat_ids", p, kind: .chatID)
            channel.credential = r.secret(object, "bot_token")
        case "email":
            channel.recipients = recipients(&r, object, "to", p, kind: .email)
            channel.sender = recipients(&r, object, "from", p, kind: .email, single: true).first
            channel.smtpHost = r.string(object, "smtp_host", p)
            channel.smtpPort = r.integer(object, "smtp_port", p, range: 1...65_535)
            channel.smtpSecurity = r.string(object, "security", p, allowed: ["starttls", "tls", "none"])
            channel.caFile = r.string(object, "ca_file", p)
            channel.username = r.string(object, "username", p)
            channel.credential = r.secret(object, "password")
        case "webhook":
            channel.url = r.url(object, "url", p, schemes: ["http", "https"])
            channel.credential = r.secret(object, "secret")
            channel.bodyTemplate = r.string(object, "body_template", p)
            channel.allowPrivateAddresses = r.bool(object, "allow_private_addresses", p) ?? false
        default:
            channel.recipients = recipients(&r, object, "to", p, kind: .phone)
            channel.sender = recipients(&r, object, "from", p, kind: .phone, single: true).first
            channel.username = r.string(object, "username", p)
            channel.credential = r.secret(object, "token")
        }
        return channel
    }

    static func parseEvents(_ r: inout ConfigReader, _ channel: [String: JSONValue], _ p: String) -> [String] {
        guard let list = channel["notify_on"], list != .null else { return [] }
        guard case .array(let items) = list else {
            r.fail("\(p).notify_on", "\(list) is not an array of event names")
            return []
        }
        var events: [String] = []
        for (index, item) in items.enumerated() {
            if case .string(let event) = item, notificationEvents.contains(event) {
                if events.contains(event) {
                    r.fail("\(p).notify_on[\(index)]", "'\(event)' is listed twice")
                }
                events.append(event)
                continue
            }
            var hint = ""
            if case .string(let s) = item, let c = closestName(to: s, in: notificationEvents) {
                hint = " (did you mean '\(c)'?)"
            }
            r.fail(
                "\(p).notify_on[\(index)]",
                "\(item) is not an event\(hint); expected one of \(notificationEvents.joined(separator: ", "))")
        }
        return events
    }

    enum RecipientKind {
        case chatID, email, phone
    }

    /// A string (or, for Telegram, an integer chat id) or an array of them, each checked for its kind.
    static func recipients(
        _ r: inout ConfigReader, _ o: [String: JSONValue], _ key: String, _ p: String, kind: RecipientKind,
        single: Bool = false
    ) -> [String] {
        guard let value = o[key], value != .null else { return [] }
        let what: String
        switch kind {
        case .chatID: what = "a Telegram chat id (an integer such as -1001234567890, or @channelname)"
        case .email: what = "an e-mail address"
        case .phone: what = "a phone number in E.164 form (+ and 8 to 15 digits)"
        }
        var items: [(String, JSONValue)] = [("\(p).\(key)", value)]
        if case .array(let list) = value, !single {
            items = list.enumerated().map { ("\(p).\(key)[\($0.offset)]", $0.element) }
            if list.isEmpty { r.fail("\(p).\(key)", "is empty (expected \(what), or an array of them)") }
        }
        var result: [String] = []
        for (path, item) in items {
            var text: String?
            switch (kind, item) {
            // Numeric ids in one canonical spelling (`5`, not `5.0` or `+5`): Telegram reports chats that way.
            case (.chatID, .number(let n, _)) where n == n.rounded() && abs(n) < 1e15: text = String(Int64(n))
            case (.chatID, .string(let s)) where Int64(s) != nil: text = String(Int64(s)!)
            case (.chatID, .string(let s)) where s.hasPrefix("@") && s.count > 1: text = s
            case (.email, .string(let s)):
                let parts = s.split(separator: "@", omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !s.contains(" ") { text = s }
            case (.phone, .string(let s)):
                let digits = s.dropFirst()
                if s.hasPrefix("+"), (8...15).contains(digits.count), digits.allSatisfy(\.isASCII),
                    digits.allSatisfy(\.isNumber)
                {
                    text = s
                }
            default: break
            }
            if let text {
                result.append(text)
            } else {
                let plural = single ? "" : ", or an array of them"
                r.fail(path, "\(item) is not \(what)\(plural)")
            }
        }
        return result
    }

    static func parseNotifications(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Notifications? {
        guard let o = r.object(top, "notifications", "$", required: false) else { return nil }
        let p = "$.notifications"
        r.checkKeys(o, p, allowed: ["enabled", "telegram", "email", "webhook", "sms"])
        return Notifications(
            enabled: r.bool(o, "enabled", p) ?? false, telegram: parseChannel(&r, o, "telegram", p),
            email: parseChannel(&r, o, "email", p), webhook: parseChannel(&r, o, "webhook", p),
            sms: parseChannel(&r, o, "sms", p))
    }

    static func parseLogging(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Logging? {
        guard let o = r.object(top, "logging", "$", required: false) else { return nil }
        let p = "$.logging"
        r.checkKeys(o, p, allowed: ["level", "save_trades", "save_equity_curve", "log_file"])
        let level = r.string(o, "level", p, allowed: ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]) ?? "INFO"
        let logFile = r.string(o, "log_file", p)
        if logFile?.isEmpty == true { r.fail("\(p).log_file", "is empty (expected a file path, or leave the key out)") }
        return Logging(
            level: level, saveTrades: r.bool(o, "save_trades", p) ?? true,
            saveEquityCurve: r.bool(o, "save_equity_curve", p) ?? true,
            logFile: logFile?.isEmpty == true ? nil : logFile)
    }
}

extension BotConfiguration {
    /// The `notifications` section of a file: a bot config of any type (its other sections are not
    /// checked here) or a file holding only `{"notifications": {…}}` (the server's channels).
    /// - Returns: the section, or `nil` when the file has none.
    /// - Throws: ``ConfigError`` with every problem of the section, with its JSON path.
    public static func parseNotificationsSection(_ data: Data, source: String) throws(ConfigError) -> Notifications? {
        var (r, top) = try ConfigReader.root(data, source: source)
        let notifications = parseNotifications(&r, top)
        guard r.issues.isEmpty else { throw ConfigError(source: source, issues: r.issues) }
        return notifications
    }
}
