import Foundation
import PetrelAnalytics
import PetrelCore
import PetrelRuntime

extension BacktestResult {
    /// Deterministic compact JSON: keys sorted, money as exact decimal strings, times as Unix ms.
    /// Same input → byte-identical output; it decodes with `JSONDecoder` into ``BacktestResult``.
    /// - Complexity: O(size of the result); the large arrays are written by hand, the small
    ///   nested objects by `JSONEncoder`.
    public func jsonData() throws -> Data {
        Data(try jsonBytes())
    }

    /// ``jsonData()`` as bytes, for writing a large result without another copy.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = JSONOutput(
            capacity: 256 + trades.count * 420 + orders.count * 300 + equityCurve.count * 40 + journal.count * 160)
        out.raw("{")
        out.key("equityCurve")
        out.array(equityCurve) { out, point in
            out.raw("{")
            out.key("equity"); out.number(point.equity); out.comma()
            out.key("timestamp"); out.integer(point.timestamp)
            out.raw("}")
        }
        out.comma(); out.key("finalCash"); out.decimal(finalCash)
        out.comma(); out.key("finalEquity"); out.decimal(finalEquity)
        out.comma(); out.key("journal")
        out.array(journal) { out, entry in
            out.raw("{")
            out.key("kind"); out.string(entry.kind); out.comma()
            out.key("message"); out.string(entry.message); out.comma()
            if let symbol = entry.symbol { out.key("symbol"); out.string(symbol); out.comma() }
            out.key("timestamp"); out.integer(entry.timestamp)
            out.raw("}")
        }
        out.comma(); out.key("journalDropped"); out.integer(journalDropped)
        out.comma(); out.key("markets"); out.raw(try encoder.encode(markets))
        out.comma(); out.key("openPositions"); out.raw(try encoder.encode(openPositions))
        out.comma(); out.key("orders")
        out.array(orders) { out, order in Self.write(order, into: &out) }
        out.comma(); out.key("settings"); out.raw(try encoder.encode(settings))
        out.comma(); out.key("statistics"); out.raw(try encoder.encode(statistics))
        out.comma(); out.key("strategy"); out.raw(try encoder.encode(strategy))
        out.comma(); out.key("totalFees"); out.decimal(totalFees)
        out.comma(); out.key("trades")
        out.array(trades) { out, trade in Self.write(trade, into: &out) }
        out.comma(); out.key("tradingState"); out.string(tradingState.rawValue)
        out.raw("}\n")
        return out.bytes
    }

    static func write(_ order: OrderRecord, into out: inout JSONOutput) {
        out.raw("{")
        if let average = order.averageFillPrice { out.key("averageFillPrice"); out.decimal(average); out.comma() }
        out.key("clientOrderID"); out.string(order.clientOrderID); out.comma()
        out.key("createdAt"); out.integer(order.createdAt); out.comma()
        out.key("fees"); out.decimal(order.fees); out.comma()
        out.key("filledQuantity"); out.decimal(order.filledQuantity); out.comma()
        if let price = order.price { out.key("price"); out.decimal(price); out.comma() }
        out.key("quantity"); out.decimal(order.quantity); out.comma()
        if let reason = order.reason { out.key("reason"); out.string(reason); out.comma() }
        out.key("reduceOnly"); out.bool(order.reduceOnly); out.comma()
        out.key("side"); out.string(order.side.rawValue); out.comma()
        out.key("status"); out.string(order.status.rawValue); out.comma()
        if let stop = order.stopPrice { out.key("stopPrice"); out.decimal(stop); out.comma() }
        out.key("symbol"); out.string(order.symbol.description); out.comma()
        if let tag = order.tag { out.key("tag"); out.string(tag); out.comma() }
        out.key("type"); out.string(order.type.rawValue); out.comma()
        out.key("updatedAt"); out.integer(order.updatedAt)
        out.raw("}")
    }

    static func write(_ trade: ClosedTrade, into out: inout JSONOutput) {
        out.raw("{")
        out.key("barsHeld"); out.integer(trade.barsHeld); out.comma()
        out.key("direction"); out.string(trade.direction); out.comma()
        out.key("entryPrice"); out.decimal(trade.entryPrice); out.comma()
        out.key("entryReasoning"); out.string(trade.entryReasoning); out.comma()
        out.key("entryTime"); out.integer(trade.entryTime); out.comma()
        out.key("exitPrice"); out.decimal(trade.exitPrice); out.comma()
        out.key("exitReason"); out.string(trade.exitReason); out.comma()
        out.key("exitTime"); out.integer(trade.exitTime); out.comma()
        out.key("fees"); out.decimal(trade.fees); out.comma()
        out.key("grossPnL"); out.decimal(trade.grossPnL); out.comma()
        out.key("netPnL"); out.decimal(trade.netPnL); out.comma()
        out.key("quantity"); out.decimal(trade.quantity); out.comma()
        out.key("returnFraction"); out.number(trade.returnFraction); out.comma()
        out.key("symbol"); out.string(trade.symbol.description)
        out.raw("}")
    }
}
