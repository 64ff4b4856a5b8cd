import Foundation

/// The members of a JSON object body as their exact bytes, so a bot config sent inside a request is stored
/// byte for byte as written (numbers keep their digits; nothing passes through `Double`).
enum RawJSONMembers {
    /// Each top-level member's value bytes, by name.
    /// - Throws: ``APIError`` 400 when the body is not a JSON object.
    static func split(_ data: Data) throws -> [String: Data] {
        let bytes = [UInt8](data)
        var index = 0
        func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        func fail() -> APIError { APIError.badRequest("the body must be a JSON object") }
        /// Index just past the string starting at `start` (a `"`).
        func endOfString(_ start: Int) throws -> Int {
            var i = start + 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if bytes[i] == UInt8(ascii: "\"") { return i + 1 }
                i += 1
            }
            throw fail()
        }
        /// Index just past the value starting at `start`.
        func endOfValue(_ start: Int) throws -> Int {
            guard start < bytes.count else { throw fail() }
            if bytes[start] == UInt8(ascii: "\"") { return try endOfString(start) }
            if bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") {
                var depth = 0
                var i = start
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""):
                        i = try endOfString(i)
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { return i + 1 }
                    default: break
                    }
                    i += 1
                }
                throw fail()
            }
            var i = start
            while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                i += 1
            }
            return i
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail() }
        index += 1
        var members: [String: Data] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return members }
        while index < bytes.count {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail() }
            let keyEnd = try endOfString(index)
            let key = try JSONDecoder().decode(String.self, from: Data(bytes[index..<keyEnd]))
            index = keyEnd
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail() }
            index += 1
            skipSpace()
            let valueEnd = try endOfValue(index)
            members[key] = Data(bytes[index..<valueEnd])
            index = valueEnd
            skipSpace()
            guard index < bytes.count else { throw fail() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail() }
            return members
        }
        throw fail()
    }
}
