import Foundation

/// A JSON document as a tree, for validating user-written JSON (configs, API bodies) with exact
/// paths: booleans, integers and other numbers stay distinct, and numbers keep their decimal text.
public enum JSONValue: Sendable, Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number with its exact decimal text (`1000.1` stays `1000.1`).
    case number(Double, text: String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            let text = NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
            self = .number(Double(text) ?? NSDecimalNumber(decimal: value).doubleValue, text: text)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses JSON text.
    /// - Throws: a `DecodingError` describing where the syntax is wrong.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// How the value reads in an error message: `'binanse'`, `12.5`, `true`, `an object`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(_, let text): return text
        case .string(let s): return "'\(s)'"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

extension JSONValue: Encodable {
    /// Encodes the tree back to JSON; a number is written from its decimal text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value, let text):
            if let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
                try container.encode(decimal)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}
