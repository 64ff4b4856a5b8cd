import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// JSON responses: snake_case keys, sorted, money and quantities as decimal strings (their `Codable` form).
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in SnakeKey(snakeKey(path.last?.stringValue ?? "")) }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Converted keys: the same few dozen names come back with every response.
    static let snakeKeys = Mutex<[String: String]>([:])

    /// ``snakeCase(_:)``, memoised.
    static func snakeKey(_ key: String) -> String {
        if let known = snakeKeys.withLock({ $0[key] }) { return known }
        let converted = snakeCase(key)
        snakeKeys.withLock { $0[key] = converted }
        return converted
    }

    /// `realizedPnL` → `realized_pnl`, `clientOrderID` → `client_order_id`, `lastCandleTime` →
    /// `last_candle_time`: a word starts at a capital after a small letter or digit, or at the last capital of
    /// an acronym followed by a small letter. (Foundation's `convertToSnakeCase` writes `realized_pn_l`.)
    static func snakeCase(_ key: String) -> String {
        let characters = Array(key.replacingOccurrences(of: "PnL", with: "Pnl"))
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result.append("_")
                }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }

    struct SnakeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `value` as a JSON response.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(try encoder.encode(value), status: status)
    }

    /// A JSON object built by hand (the seeds' loosely typed shapes) as a response, keys sorted.
    static func object(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        response(
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            status: status)
    }

    private static func response(_ data: Data, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
