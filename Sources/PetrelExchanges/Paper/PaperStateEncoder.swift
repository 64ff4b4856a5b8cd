import Foundation
import PetrelCore
import PetrelRuntime

/// Writes a ``PaperExchangeState`` as the exact bytes `JSONEncoder` with `.sortedKeys` gives, but
/// encodes only the orders and fills that changed since its last call.
///
/// The paper exchange saves its whole account after every candle's quotes and every accepted submit
/// or cancel. Encoding every order and fill ever made with `JSONEncoder` each time made a bot's
/// per-candle cost grow with its trade history (≈ 80 % of a 1,000-bot fleet's CPU after a few hundred
/// candles). Orders and fills are immutable once closed, so their JSON is kept and reused as long as
/// the value is unchanged (checked by equality, so a changed or restored state is always re-encoded).
///
/// - Complexity: O(changed orders and fills) encodes plus O(n) comparisons and byte copies per call,
///   n the orders and fills in the state.
struct PaperStateEncoder {
    struct EncodedOrder {
        var order: PaperOrder
        /// `"id":{…}`
        var bytes: [UInt8]
    }

    struct EncodedFill {
        var fill: Fill
        var bytes: [UInt8]
    }

    private let encoder: JSONEncoder
    private var orders: [String: EncodedOrder] = [:]
    /// Keys of ``orders`` in the order `JSONEncoder` sorts them (UTF-8 bytes).
    private var sortedKeys: [String] = []
    private var fills: [EncodedFill] = []
    private var lastSize = 1_024

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    /// The state's JSON.
    /// - Throws: what `JSONEncoder` throws.
    mutating func encode(_ state: PaperExchangeState) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(lastSize + lastSize / 8)
        out.append(contentsOf: #"{"fills":["#.utf8)
        if fills.count > state.fills.count { fills.removeAll() }
        for (index, fill) in state.fills.enumerated() {
            if index < fills.count {
                if fills[index].fill != fill { fills[index] = EncodedFill(fill: fill, bytes: try bytes(of: fill)) }
            } else {
                fills.append(EncodedFill(fill: fill, bytes: try bytes(of: fill)))
            }
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: fills[index].bytes)
        }
        out.append(contentsOf: #"],"lastQuotes":"#.utf8)
        out.append(contentsOf: try bytes(of: state.lastQuotes))
        out.append(contentsOf: #","ledger":"#.utf8)
        out.append(contentsOf: try bytes(of: state.ledger))
        out.append(contentsOf: #","openOrderIDs":"#.utf8)
        out.append(contentsOf: try bytes(of: state.openOrderIDs))
        out.append(contentsOf: #","orderSequence":"#.utf8)
        out.append(contentsOf: String(state.orderSequence).utf8)
        out.append(contentsOf: #","orders":{"#.utf8)
        try updateOrders(state.orders)
        for (index, key) in sortedKeys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: orders[key]!.bytes)
        }
        out.append(contentsOf: #"},"tradeSequence":"#.utf8)
        out.append(contentsOf: String(state.tradeSequence).utf8)
        out.append(UInt8(ascii: "}"))
        lastSize = out.count
        return out
    }

    /// Re-encodes the orders that are new or changed and keeps the keys sorted.
    private mutating func updateOrders(_ current: [String: PaperOrder]) throws {
        var keysChanged = false
        for (key, paper) in current {
            if let cached = orders[key], cached.order == paper { continue }
            if orders[key] == nil { keysChanged = true }
            var entry = try bytes(of: key)
            entry.append(UInt8(ascii: ":"))
            entry.append(contentsOf: try bytes(of: paper))
            orders[key] = EncodedOrder(order: paper, bytes: entry)
        }
        if orders.count != current.count {
            orders = orders.filter { current[$0.key] != nil }
            keysChanged = true
        }
        if keysChanged {
            sortedKeys = orders.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    private func bytes(of value: some Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }
}
