import Foundation
import PetrelCore

/// A JSON syntax error with the line and column (both from 1) where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Line, from 1.
    public var line: Int
    /// Column in characters, from 1.
    public var column: Int
    /// What was wrong there.
    public var message: String

    /// `line 3, column 9: expected ',' or '}' after an object member`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A key written twice in one object: JSON readers keep only one of the two values, silently.
struct DuplicateJSONKey: Sendable, Hashable {
    var path: String
    var line: Int
    var column: Int
    var firstLine: Int
}

/// A strict RFC 8259 reader for user-written files. Foundation's decoder on Linux accepts
/// trailing commas, keeps the last of two equal keys without a word and reports no position;
/// this reader refuses the first, reports the second and gives every error a line and column.
struct StrictJSONParser {
    /// Deep enough for any config, shallow enough that recursion cannot exhaust the stack.
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private(set) var duplicates: [DuplicateJSONKey] = []

    init(_ data: Data) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    /// Parses the whole text as one JSON value.
    mutating func parse() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        if index == bytes.count {
            throw error(
                bytes.isEmpty ? "the file is empty (expected a JSON object)" : "the file holds only white space")
        }
        let value = try parseValue(path: "$", depth: 0)
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describeCurrent()) after the end of the JSON value") }
        return value
    }

    private mutating func parseValue(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of file (expected a value)") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(path: path, depth: depth)
        case UInt8(ascii: "["): return try parseArray(path: path, depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()) (expected a value)")
        }
    }

    private mutating func parseObject(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        var firstOffsets: [String: Int] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()) where a key in double quotes belongs")
            }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw error("unexpected \(describeCurrent()) (expected ':')") }
            skipWhitespace()
            let childPath = "\(path).\(key)"
            let value = try parseValue(path: childPath, depth: depth + 1)
            if let firstOffset = firstOffsets[key] {
                let (line, column) = position(of: keyStart)
                duplicates.append(
                    DuplicateJSONKey(
                        path: childPath, line: line, column: column, firstLine: position(of: firstOffset).0))
            } else {
                firstOffsets[key] = keyStart
            }
            members[key] = value
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object(members) }
            guard consume(UInt8(ascii: ",")) else {
                throw error("unexpected \(describeCurrent()) (expected ',' or '}' after an object member)")
            }
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                throw error("trailing comma before '}' (JSON allows none)")
            }
        }
    }

    private mutating func parseArray(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(path: "\(path)[\(items.count)]", depth: depth + 1))
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array(items) }
            guard consume(UInt8(ascii: ",")) else {
                throw error("unexpected \(describeCurrent()) (expected ',' or ']' after an array element)")
            }
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                throw error("trailing comma before ']' (JSON allows none)")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(bytes: scalars, encoding: .utf8) else {
                    index = start
                    throw error("the string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &scalars)
            case 0..<0x20:
                throw error("a control character inside a string must be escaped (a line break needs \\n)")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        index = start
        throw error("the string starting here is never closed")
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        guard index < bytes.count else { throw error("unexpected end of file in an escape sequence") }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[bytes[index]] {
            output.append(byte)
            index += 1
            return
        }
        guard bytes[index] == UInt8(ascii: "u") else {
            index -= 1
            throw error("invalid escape sequence (a backslash may be followed by \" \\ / b f n r t or u)")
        }
        index += 1
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("a high surrogate \\u escape must be followed by a low one") }
            index += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone low surrogate in a \\u escape") }
        output.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        // Checked digit by digit: `UInt32(_:radix:)` would also take a sign (`\u+123`).
        guard index + 4 <= bytes.count,
            bytes[index..<index + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw error("\\u must be followed by four hexadecimal digits") }
        index += 4
        return value
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else {
            throw error("unexpected \(describeCurrent()) (expected a value; strings need double quotes)")
        }
        index += expected.count
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        func digits(_ parser: inout StrictJSONParser) -> Int {
            var count = 0
            while parser.index < parser.bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index])
            {
                parser.index += 1
                count += 1
            }
            return count
        }
        let integerStart = index
        guard digits(&self) > 0 else { throw error("a '-' must be followed by digits") }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            index = integerStart
            throw error("numbers cannot start with 0 (write 7, not 07)")
        }
        if consume(UInt8(ascii: ".")) {
            guard digits(&self) > 0 else { throw error("a '.' in a number must be followed by digits") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard digits(&self) > 0 else { throw error("an exponent must have digits") }
        }
        let raw = String(decoding: bytes[start..<index], as: UTF8.self)
        // Spelled as the decoder it replaces did (`2.0` → `2`, `1e3` → `1000`): messages and integer
        // detection depend on it.
        let posix = Locale(identifier: "en_US_POSIX")
        let text =
            Decimal(string: raw, locale: posix).map { NSDecimalNumber(decimal: $0).description(withLocale: posix) }
            ?? raw
        return .number(Double(text) ?? Double(raw) ?? .nan, text: text)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte == UInt8(ascii: "'") { return "single quote (JSON needs double quotes)" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// Line and column (from 1, counting characters, not bytes) of a byte offset.
    private func position(of offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func error(_ message: String) -> JSONSyntaxError {
        let (line, column) = position(of: index)
        return JSONSyntaxError(line: line, column: column, message: message)
    }
}
