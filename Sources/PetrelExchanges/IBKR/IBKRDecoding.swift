import Foundation
import PetrelCore
import PetrelRuntime

/// The gateway's JSON read as a tree that keeps every number's decimal text (``JSONValue``): IBKR sends
/// quantities, balances and some prices as JSON numbers (`"filledQuantity":10.0`, `"cashbalance":1234.56`),
/// and those must become exact decimals without passing through `Double`.
enum IBKRDecoding {
    /// The body as a JSON tree.
    /// - Throws: ``ExecutionError/retryable(_:)`` naming the endpoint, or, for a request that changed
    ///   something, ``ExecutionError/unknownOutcome(_:)`` (the gateway may have acted before it garbled).
    static func json(_ body: Data, _ what: String, changes: Bool = false) throws(ExecutionError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            let text = String(decoding: body.prefix(120), as: UTF8.self)
            let why = "ibkr \(what): the answer is not JSON: \(text)"
            throw changes ? .unknownOutcome(why) : .retryable(why)
        }
    }

    /// A member as text: a string as it is, a number as its exact decimal text.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .number(_, let text)?: return text
        default: return nil
        }
    }

    static func integer(_ value: JSONValue?) -> Int64? {
        text(value).flatMap { Int64($0) }
    }

    static func bool(_ value: JSONValue?) -> Bool? {
        if case .bool(let flag)? = value { return flag }
        return nil
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// A decimal member, string or number.
    /// - Throws: ``ExecutionError/retryable(_:)`` naming `what` when it is missing or not a decimal.
    static func decimal(_ value: JSONValue?, _ what: String) throws(ExecutionError) -> FixedPoint {
        guard let text = text(value), let number = exactDecimal(text) else {
            throw .retryable("ibkr: \(what) is not a decimal (\(value.map { "\($0)" } ?? "missing"))")
        }
        return number
    }

    /// A decimal member, or `nil` when it is absent or empty.
    static func optionalDecimal(_ value: JSONValue?, _ what: String) throws(ExecutionError) -> FixedPoint? {
        guard let text = text(value), !text.isEmpty else { return nil }
        return try decimal(value, what)
    }

    /// Decimal text as a ``FixedPoint``. Digits past the 8th fractional one are rounded half-even there:
    /// the gateway prints some values from binary doubles (`190.05000000000001`) and computed averages
    /// (`190.0533333333`), which have no exact 8-digit form; everything else is exact.
    static func exactDecimal(_ text: String) -> FixedPoint? {
        if let exact = FixedPoint(text) { return exact }
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let fraction = text[text.index(after: dot)...]
        guard fraction.count > FixedPoint.fractionDigits, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            let kept = FixedPoint(String(text[..<dot]) + "." + fraction.prefix(FixedPoint.fractionDigits))
        else { return nil }
        let rest = fraction.dropFirst(FixedPoint.fractionDigits)
        let first = rest.first.flatMap { $0.wholeNumberValue } ?? 0
        let beyond = rest.dropFirst().contains { $0 != "0" }
        let up = first > 5 || (first == 5 && (beyond || kept.rawValue % 2 != 0))
        guard up else { return kept }
        let step = FixedPoint(rawValue: text.hasPrefix("-") ? -1 : 1)
        return try? kept.adding(step)
    }

    /// A snapshot field (`"190.50"`, `"C190.50"`, `"H190.50"`, `"1,190.50"`): the price and the letter
    /// that prefixed it. IBKR marks a last price that is the previous close with `C` and a halted
    /// instrument's with `H`; the letter is reported, the number is the price.
    static func snapshotPrice(_ value: JSONValue?) -> (price: FixedPoint, mark: Character?)? {
        guard var text = text(value)?.replacingOccurrences(of: ",", with: ""), !text.isEmpty else { return nil }
        var mark: Character?
        while let first = text.first, first.isLetter {
            mark = mark ?? first
            text.removeFirst()
        }
        guard let price = exactDecimal(text) else { return nil }
        return (price, mark)
    }

    /// The gateway's error text (`{"error":"…"}`), if the value is one.
    static func errorText(_ value: JSONValue?) -> String? {
        switch value {
        case .object(let members)?:
            return text(members["error"])
        case .array(let items)? where items.count == 1:
            return errorText(items.first)
        default:
            return nil
        }
    }
}
