import Foundation
import PetrelRuntime

/// SMS through Twilio's Messages API: a form-encoded POST per recipient with HTTP basic auth (account SID
/// and auth token).
public struct TwilioChannel: NotificationChannel {
    public let name = "sms"
    /// `https://api.twilio.com` (tests point it at a local server).
    public let baseURL: String
    public let accountSID: String
    let token: String
    public let from: String
    public let to: [String]
    let delivered = Delivered()

    /// Twilio's limit on one message's body.
    static let maxLength = 1_600

    /// - Throws: ``NotificationSetupError`` for a missing account, token, sender or recipient.
    public init(
        accountSID: String, token: String, from: String, to: [String], baseURL: String = "https://api.twilio.com"
    )
        throws(NotificationSetupError)
    {
        guard !accountSID.isEmpty, accountSID.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw NotificationSetupError("sms: username must be the Twilio account SID (letters and digits)")
        }
        guard !token.isEmpty else { throw NotificationSetupError("sms: the auth token is empty") }
        guard !from.isEmpty else { throw NotificationSetupError("sms: no from number") }
        guard !to.isEmpty else { throw NotificationSetupError("sms: no to numbers") }
        self.accountSID = accountSID
        self.token = token
        self.from = from
        self.to = to
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func send(_ notification: NotificationMessage) async throws(DeliveryError) {
        var text = notification.plainText
        if let bot = notification.botID { text += "\nbot \(bot)" }
        if text.count > Self.maxLength { text = String(text.prefix(Self.maxLength - 1)) + "…" }
        let key = "\(notification.timestamp)|\(text.hashValue)"
        let credentials = Data("\(accountSID):\(token)".utf8).base64EncodedString()
        for number in to where !delivered.contains(key, number) {
            let body = Self.form([("To", number), ("From", from), ("Body", text)])
            let reply = try await NotificationHTTP.post(
                "\(baseURL)/2010-04-01/Accounts/\(accountSID)/Messages.json",
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)"),
                ], body: Data(body.utf8), service: "Twilio", secrets: [token, credentials])
            guard (200..<300).contains(reply.status) else {
                let message = NotificationHTTP.redact(
                    (reply.json?["message"] as? String).map { "\($0) (code \(reply.json?["code"] ?? "?"))" }
                        ?? "HTTP \(reply.status)", [token])
                if reply.status == 429 {
                    throw .retryable("Twilio: \(message)", retryAfterSeconds: reply.retryAfter)
                }
                if reply.status >= 500 { throw .retryable("Twilio: \(message)") }
                throw .rejected("Twilio: \(message)")
            }
            delivered.insert(key, number)
        }
    }

    /// `application/x-www-form-urlencoded`: unreserved characters kept, everything else percent-encoded.
    static func form(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return pairs.map { name, value in
            let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            return "\(name)=\(encoded)"
        }.joined(separator: "&")
    }
}
