import Foundation
import PetrelCore

/// A byte buffer for hand-written JSON on the hot output path (a million-bar backtest writes tens
/// of thousands of orders and trades); keys are written in sorted order by the callers so the
/// output matches `JSONEncoder` with `.sortedKeys` and decodes with the same `Codable` types.
struct JSONOutput {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func raw(_ data: Data) {
        bytes.append(contentsOf: data)
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` — the caller writes the comma between members.
    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    mutating func integer<T: BinaryInteger>(_ value: T) { raw(String(value)) }

    mutating func number(_ value: Double) { raw(value.isFinite ? String(value) : "null") }

    /// Exact decimals are strings, as `FixedPoint.encode(to:)` writes them.
    mutating func decimal(_ value: FixedPoint) { string(value.description) }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// Writes `[e0,e1,…]` with `body` writing each element.
    mutating func array<C: Collection>(_ items: C, _ body: (inout JSONOutput, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { comma() }
            first = false
            body(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
