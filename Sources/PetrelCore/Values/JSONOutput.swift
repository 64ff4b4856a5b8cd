import Foundation

/// A byte buffer for hand-written JSON on hot output paths (a million-bar backtest's report, a
/// paper account saved at every candle); keys are written in sorted order by the callers so the
/// output matches `JSONEncoder` with `.sortedKeys` and decodes with the same `Codable` types.
public struct JSONOutput: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func raw(_ data: Data) {
        bytes.append(contentsOf: data)
    }

    /// A JSON string literal with the escapes RFC 8259 requires; runs that need no escape are
    /// copied in one go.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let hex = String(byte, radix: 16)
                    raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` — the caller writes the comma between members.
    public mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    public mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    public mutating func integer<T: BinaryInteger>(_ value: T) {
        let wide = Int64(value)
        if wide < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(wide.magnitude, minimumCount: 1)
    }

    /// Appends the decimal digits of `value`, left-padded with zeros to `minimumCount`, without
    /// creating a `String`.
    public mutating func digits(_ value: UInt64, minimumCount: Int) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var position = buffer.count
            var rest = value
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0 || buffer.count - position < minimumCount
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
        }
    }

    public mutating func number(_ value: Double) { raw(value.isFinite ? String(value) : "null") }

    /// Exact decimals are strings in their shortest form, exactly as `FixedPoint.encode(to:)`
    /// writes them (`"23141.57"`, `"-0.5"`, `"3"`), without creating a `String`.
    public mutating func decimal(_ value: FixedPoint) {
        bytes.append(UInt8(ascii: "\""))
        if value.rawValue < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.rawValue.magnitude
        let scale = UInt64(FixedPoint.scale)
        digits(magnitude / scale, minimumCount: 1)
        var fraction = magnitude % scale
        if fraction != 0 {
            var count = FixedPoint.fractionDigits
            while fraction % 10 == 0 {
                fraction /= 10
                count -= 1
            }
            bytes.append(UInt8(ascii: "."))
            digits(fraction, minimumCount: count)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// Writes `[e0,e1,…]` with `body` writing each element.
    public mutating func array<C: Collection>(_ items: C, _ body: (inout JSONOutput, C.Element) -> Void) {
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
