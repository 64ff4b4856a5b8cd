import Crypto
import Foundation
import PetrelRuntime

/// A JSON POST of each message to a user's URL, signed with HMAC-SHA256 when a secret is set:
/// `X-Petrel-Signature: sha256=HEX(HMAC(secret, "<X-Petrel-Timestamp>.<body>"))`. Private, loopback and
/// metadata addresses are refused unless the webhook allows them (``AddressPolicy``).
///
/// The default body is `{"event","bot","title","body","text","fields":{…},"severity","timestamp"}`. A
/// body template replaces `{{event}}`, `{{bot}}`, `{{title}}`, `{{body}}`, `{{text}}`, `{{severity}}` and
/// `{{timestamp}}` with the values escaped for a JSON string, and must give JSON.
public struct WebhookChannel: NotificationChannel {
    public let name = "webhook"
    public let url: URL
    let secret: String?
    public let template: String?
    public let allowPrivateAddresses: Bool

    static let placeholders = ["event", "bot", "title", "body", "text", "severity", "timestamp"]

    /// - Throws: ``NotificationSetupError`` for a URL that is not http(s) with a host, or a template with an
    ///   unknown placeholder.
    public init(url text: String, secret: String?, template: String? = nil, allowPrivateAddresses: Bool = false)
        throws(NotificationSetupError)
    {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            let host = url.host, !host.isEmpty
        else {
            throw NotificationSetupError("webhook: url must be an http or https URL with a host")
        }
        if let template {
            var rest = template[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    throw NotificationSetupError("webhook: body_template has an unclosed {{")
                }
                let name = String(rest[open.upperBound..<close.lowerBound])
                guard Self.placeholders.contains(name) else {
                    throw NotificationSetupError(
                        "webhook: body_template placeholder {{\(name)}} is unknown; allowed: \(Self.placeholders.map { "{{\($0)}}" }.joined(separator: ", "))"
                    )
                }
                rest = rest[close.upperBound...]
            }
        }
        self.url = url
        self.secret = secret?.isEmpty == true ? nil : secret
        self.template = template
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    public func send(_ notification: NotificationMessage) async throws(DeliveryError) {
        try await AddressPolicy.check(url.host ?? "", allowPrivate: allowPrivateAddresses)
        let body = try Self.body(notification, template: template)
        let timestamp = String(notification.timestamp / 1_000)
        var headers = [
            ("Content-Type", "application/json"), ("X-Petrel-Event", notification.event.rawValue),
            ("X-Petrel-Timestamp", timestamp),
        ]
        if let secret {
            headers.append(("X-Petrel-Signature", Self.signature(body: body, timestamp: timestamp, secret: secret)))
        }
        let reply = try await NotificationHTTP.post(
            url.absoluteString, headers: headers, body: body, service: "the webhook", secrets: secret.map { [$0] } ?? []
        )
        switch reply.status {
        case 200..<300: return
        case 429: throw .retryable("the webhook answered 429", retryAfterSeconds: reply.retryAfter)
        case 500...: throw .retryable("the webhook answered \(reply.status)")
        case 300..<400: throw .rejected("the webhook answered a redirect (\(reply.status)), which is not followed")
        default: throw .rejected("the webhook answered \(reply.status)")
        }
    }

    /// `sha256=` and the hex HMAC-SHA256 of `timestamp.body`.
    public static func signature(body: Data, timestamp: String, secret: String) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func body(_ notification: NotificationMessage, template: String?) throws(DeliveryError) -> Data {
        let values: [String: String] = [
            "event": notification.event.rawValue, "bot": notification.botID ?? "", "title": notification.title,
            "body": notification.body, "text": notification.plainText, "severity": notification.severity.rawValue,
            "timestamp": String(notification.timestamp),
        ]
        guard let template else {
            var object: [String: Any] = values
            object["bot"] = notification.botID.map { $0 as Any } ?? NSNull()
            object["timestamp"] = notification.timestamp
            object["fields"] = Dictionary(
                notification.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        }
        var text = template
        for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: jsonEscaped(value)) }
        let data = Data(text.utf8)
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
            throw .rejected("the webhook's body_template does not give JSON")
        }
        return data
    }

    /// `value` as the inside of a JSON string.
    static func jsonEscaped(_ value: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [value], options: [])) ?? Data("[\"\"]".utf8)
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst(2).dropLast(2))
    }
}
