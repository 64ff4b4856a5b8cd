import Crypto
import Foundation

/// Binance's request signing (EXCHANGE-APIS.md §1.3): HMAC-SHA256 with the API secret over the exact
/// query string followed by the exact body, with nothing between them, as lowercase hex. Parameters
/// are percent-encoded (UTF-8) before signing, so what is signed is what is sent.
public enum BinanceSigner {
    /// Bytes left as they are in a query or form value: RFC 3986's unreserved characters.
    static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// `name=value&…` in the given order, each part percent-encoded.
    public static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The hex HMAC-SHA256 of `payload` under `secret`.
    public static func signature(_ payload: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data(payload.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// The signature of a REST request: over `query` followed directly by `body`.
    public static func restSignature(query: String, body: String = "", secret: String) -> String {
        signature(query + body, secret: secret)
    }

    /// The payload the WebSocket API signs: every parameter but `signature`, sorted by name, joined as
    /// `name=value&…` without percent-encoding (§1.3, "WebSocket API signing").
    public static func webSocketPayload(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key != "signature" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }
}
