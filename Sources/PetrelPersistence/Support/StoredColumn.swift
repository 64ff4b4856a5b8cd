import Foundation
import PetrelCore

/// Turns stored column values back into domain values, and checks values before they are written; a row
/// that holds something else is reported with its table, row and column, never trapped on.
enum StoredColumn {
    /// An enum from its raw text.
    static func value<Value: RawRepresentable & CaseIterable>(
        _ raw: String, _ column: String, row: String
    ) throws(DatabaseFailure) -> Value where Value.RawValue == String {
        try value(raw, column, row: row, allowed: Value.allCases.map(\.rawValue))
    }

    /// An enum from its raw text, `allowed` naming the raw values in the message.
    static func value<Value: RawRepresentable>(
        _ raw: String, _ column: String, row: String, allowed: [String]
    ) throws(DatabaseFailure) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: raw) else {
            throw bad(column, row: row, "holds '\(raw)', expected one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// A symbol from its canonical text (`BTC/USDT`).
    static func symbol(_ text: String, _ column: String, row: String) throws(DatabaseFailure) -> Symbol {
        do {
            return try Symbol(parsing: text)
        } catch {
            throw bad(column, row: row, "holds '\(text)', not a symbol")
        }
    }

    /// A client order id.
    static func clientOrderID(_ text: String, _ column: String, row: String) throws(DatabaseFailure) -> ClientOrderID {
        do {
            return try ClientOrderID(text)
        } catch {
            throw bad(column, row: row, "holds '\(text)', not a client order id")
        }
    }

    /// A count stored as a 64-bit integer.
    static func count(_ value: Int64, _ column: String, row: String) throws(DatabaseFailure) -> Int {
        guard let count = Int(exactly: value), count >= 0 else {
            throw bad(column, row: row, "holds \(value), not a count")
        }
        return count
    }

    /// A JSON document decoded as `Value`.
    static func json<Value: Decodable>(
        _ text: String, as type: Value.Type, _ column: String, row: String
    ) throws(DatabaseFailure) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw bad(column, row: row, "holds JSON that is not a \(Value.self): \(error)")
        }
    }

    /// `value` as the JSON text stored in `column` (keys sorted, so equal values store equal text).
    static func jsonText(_ value: some Encodable, _ column: String) throws(DatabaseFailure) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw DatabaseFailure("\(column): cannot encode the value as JSON: \(error)")
        }
    }

    /// Refuses NaN before it is written (SQLite would store it as NULL, making the row unreadable).
    static func storable(_ value: Double, _ column: String) throws(DatabaseFailure) -> Double {
        guard !value.isNaN else { throw DatabaseFailure("\(column): NaN cannot be stored; nothing was written") }
        return value
    }

    private static func bad(_ column: String, row: String, _ problem: String) -> DatabaseFailure {
        DatabaseFailure("bad row \(row): column \(column) \(problem)")
    }
}
