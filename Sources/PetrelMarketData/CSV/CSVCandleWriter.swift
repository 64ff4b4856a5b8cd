import PetrelCore

/// How decimals are written to CSV. Values are always exact: digits are only ever padded, never dropped.
public enum CSVDecimalStyle: Sendable, Hashable {
    /// The shortest exact form, as `FixedPoint.description` writes it: `23141.57`, `0.0000533`, `12`.
    case shortest
    /// At least `fractionDigits` (0…8) fractional digits, zero-padded: `.fixed(fractionDigits: 8)`
    /// writes Binance's `23141.57000000`.
    case fixed(fractionDigits: Int)

    var minimumFractionDigits: Int {
        switch self {
        case .shortest: return 0
        case .fixed(let digits): return Swift.max(0, Swift.min(FixedPoint.fractionDigits, digits))
        }
    }
}

/// Writes canonical `timestamp,open,high,low,close,volume` CSV (Unix ms, exact decimals, `\n` endings).
enum CSVCandleWriter {
    /// The header line without its newline.
    static let header = "timestamp,open,high,low,close,volume"
    /// The longest row: a 20-character timestamp, five 21-character decimals, commas and newline.
    private static let maxRowLength = 20 + 5 * 21 + 6

    /// The whole CSV text as bytes.
    /// - Parameters:
    ///   - candles: the rows.
    ///   - style: how decimals are written.
    /// - Complexity: O(n), one growing buffer, no per-row allocation.
    static func encode(_ candles: [Candle], style: CSVDecimalStyle) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(candles.count * (style.minimumFractionDigits >= 8 ? 90 : 60) + 64)
        output.append(contentsOf: header.utf8)
        output.append(10)
        let digits = style.minimumFractionDigits
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxRowLength) { row in
            let base = row.baseAddress!
            for candle in candles {
                var length = writeInteger(candle.timestamp, to: base)
                @inline(__always) func field(_ value: FixedPoint) {
                    base[length] = 44
                    length += 1
                    length += writeDecimal(value.rawValue, minimumFractionDigits: digits, to: base + length)
                }
                field(candle.open)
                field(candle.high)
                field(candle.low)
                field(candle.close)
                field(candle.volume)
                base[length] = 10
                length += 1
                output.append(contentsOf: UnsafeBufferPointer(start: base, count: length))
            }
        }
        return output
    }

    /// Writes a signed integer; returns the byte count.
    @inline(__always)
    private static func writeInteger(_ value: Int64, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 0
        if value < 0 {
            target[0] = 45
            length = 1
        }
        return length + writeUnsigned(value.magnitude, to: target + length)
    }

    @inline(__always)
    private static func writeUnsigned(_ value: UInt64, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        rest = value
        var index = count - 1
        while index >= 0 {
            target[index] = UInt8(truncatingIfNeeded: rest % 10) + 48
            rest /= 10
            index -= 1
        }
        return count
    }

    /// Writes an exact decimal of `raw × 10^-8`; returns the byte count.
    @inline(__always)
    private static func writeDecimal(_ raw: Int64, minimumFractionDigits: Int, to target: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        var length = 0
        if raw < 0 {
            target[0] = 45
            length = 1
        }
        let magnitude = raw.magnitude
        let scale = UInt64(FixedPoint.scale)
        length += writeUnsigned(magnitude / scale, to: target + length)
        var fraction = magnitude % scale
        var fractionDigits = FixedPoint.fractionDigits
        while fractionDigits > minimumFractionDigits && fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        guard fractionDigits > 0 else { return length }
        target[length] = 46
        length += 1
        var index = fractionDigits - 1
        while index >= 0 {
            target[length + index] = UInt8(truncatingIfNeeded: fraction % 10) + 48
            fraction /= 10
            index -= 1
        }
        return length + fractionDigits
    }
}
