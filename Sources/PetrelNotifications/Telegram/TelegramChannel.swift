import Foundation
import PetrelRuntime
import Synchronization

/// Telegram's Bot API `sendMessage`: HTML-formatted messages to each configured chat; a 429 waits the
/// `retry_after` Telegram names. A chat that already has the message is not sent it again when another
/// chat's failure makes the dispatcher retry.
public struct TelegramChannel: NotificationChannel {
    public let name = "telegram"
    /// `https://api.telegram.org` (tests point it at a local server).
    public let baseURL: String
    let token: String
    public let chatIDs: [String]
    let delivered = Delivered()

    /// Whether `other` is the same bot answering the same chats (a poller keeps its offset).
    public func sameBot(as other: TelegramChannel) -> Bool {
        token == other.token && baseURL == other.baseURL && chatIDs == other.chatIDs
    }

    /// Telegram's limit on one message's text.
    static let maxLength = 4_096

    /// - Throws: ``NotificationSetupError`` for an empty token or no chat.
    public init(token: String, chatIDs: [String], baseURL: String = "https://api.telegram.org")
        throws(NotificationSetupError)
    {
        guard !token.isEmpty, !token.contains("/") else {
            throw NotificationSetupError("telegram: the bot token is empty or malformed")
        }
        guard !chatIDs.isEmpty else { throw NotificationSetupError("telegram: no chat_ids") }
        self.token = token
        self.chatIDs = chatIDs
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func send(_ notification: NotificationMessage) async throws(DeliveryError) {
        let text = Self.html(notification)
        let key = "\(notification.timestamp)|\(text.hashValue)"
        for chat in chatIDs where !delivered.contains(key, chat) {
            try await call("sendMessage", body: Self.messageBody(chat: chat, text: text))
            delivered.insert(key, chat)
        }
    }

    /// Calls a Bot API method with a JSON body.
    /// - Returns: the `result` member of Telegram's answer.
    @discardableResult
    func call(_ method: String, body: [String: Any], timeoutSeconds: Int64 = 20) async throws(DeliveryError) -> Any? {
        try await call(method, json: Self.json(body), timeoutSeconds: timeoutSeconds)
    }

    /// A request body as JSON bytes (sorted keys).
    static func json(_ body: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// Calls a Bot API method with a body already encoded.
    @discardableResult
    func call(_ method: String, json data: Data, timeoutSeconds: Int64 = 20) async throws(DeliveryError) -> Any? {
        let reply = try await NotificationHTTP.post(
            "\(baseURL)/bot\(token)/\(method)", headers: [("Content-Type", "application/json")], body: data,
            service: "Telegram", secrets: [token], timeoutSeconds: timeoutSeconds)
        let json = reply.json
        if reply.status == 200, json?["ok"] as? Bool == true { return json?["result"] }
        let description = NotificationHTTP.redact(
            json?["description"] as? String ?? "HTTP \(reply.status)", [token])
        if reply.status == 429 {
            let after = (json?["parameters"] as? [String: Any])?["retry_after"] as? Double ?? reply.retryAfter
            throw .retryable("Telegram: \(description)", retryAfterSeconds: after)
        }
        if reply.status >= 500 { throw .retryable("Telegram: \(description)") }
        throw .rejected("Telegram: \(description)")
    }

    static func messageBody(chat: String, text: String) -> [String: Any] {
        [
            "chat_id": Int64(chat).map { $0 as Any } ?? chat, "text": text, "parse_mode": "HTML",
            "disable_web_page_preview": true,
        ]
    }

    /// Title in bold, the body, then each field as `<b>name:</b> value`, escaped for Telegram's HTML mode.
    static func html(_ notification: NotificationMessage) -> String {
        var lines = ["<b>\(escape(notification.title))</b>"]
        if !notification.body.isEmpty { lines.append(escape(notification.body)) }
        for field in notification.fields { lines.append("<b>\(escape(field.name)):</b> \(escape(field.value))") }
        if let bot = notification.botID { lines.append("<i>bot \(escape(bot))</i>") }
        let text = lines.joined(separator: "\n")
        return text.count <= maxLength ? text : String(text.prefix(maxLength - 1)) + "…"
    }

    /// Telegram's HTML mode needs `&`, `<` and `>` escaped.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// Which recipients already have which message (the last 256 messages).
final class Delivered: Sendable {
    private let state = Mutex<(order: [String], sent: [String: Set<String>])>(([], [:]))

    func contains(_ key: String, _ recipient: String) -> Bool {
        state.withLock { $0.sent[key]?.contains(recipient) ?? false }
    }

    func insert(_ key: String, _ recipient: String) {
        state.withLock { state in
            if state.sent[key] == nil {
                state.order.append(key)
                if state.order.count > 256 { state.sent.removeValue(forKey: state.order.removeFirst()) }
            }
            state.sent[key, default: []].insert(recipient)
        }
    }
}

/// A channel that cannot be built from its settings.
public struct NotificationSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
