import PetrelCore

/// Hand-written JSON for what a paper account save writes at every candle and order: the last
/// quotes, fills, balances and orders. `JSONEncoder` costs 5–10 µs per call however small the value
/// (a profile of a paper bot put a third of its CPU there); this writes, through ``JSONOutput``, the
/// JSON their `Codable` conformances produce (decimals as exact strings, enums as raw values, absent
/// optionals left out), so `JSONDecoder` reads it back to equal values (`PaperCheckpointTests` checks
/// every save).
enum PaperJSONWriter {
    /// `{"BTC/USDT":{"ask":"…",…},…}` in key order.
    static func quotes(_ quotes: [String: Quote], into out: inout JSONOutput) {
        out.raw("{")
        for (index, entry) in quotes.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.comma() }
            out.string(entry.key)
            out.raw(":")
            quote(entry.value, into: &out)
        }
        out.raw("}")
    }

    static func quote(_ quote: Quote, into out: inout JSONOutput) {
        out.raw("{")
        out.key("ask")
        out.decimal(quote.ask)
        if let size = quote.askSize {
            out.comma()
            out.key("askSize")
            out.decimal(size)
        }
        out.comma()
        out.key("bid")
        out.decimal(quote.bid)
        if let size = quote.bidSize {
            out.comma()
            out.key("bidSize")
            out.decimal(size)
        }
        out.comma()
        out.key("last")
        out.decimal(quote.last)
        out.comma()
        out.key("symbol")
        out.string(quote.symbol.description)
        out.comma()
        out.key("timestamp")
        out.integer(quote.timestamp)
        out.raw("}")
    }

    /// One fill as its `Codable` form.
    static func fill(_ fill: Fill, into out: inout JSONOutput) {
        out.raw(#"{"clientOrderID":"#)
        out.string(fill.clientOrderID.rawValue)
        out.raw(#","fee":"#)
        out.decimal(fill.fee)
        out.raw(#","feeAsset":"#)
        out.string(fill.feeAsset)
        out.raw(#","liquidity":"#)
        out.string(fill.liquidity.rawValue)
        out.raw(#","price":"#)
        out.decimal(fill.price)
        out.raw(#","quantity":"#)
        out.decimal(fill.quantity)
        out.raw(#","side":"#)
        out.string(fill.side.rawValue)
        out.raw(#","symbol":"#)
        out.string(fill.symbol.description)
        out.raw(#","timestamp":"#)
        out.integer(fill.timestamp)
        out.raw(#","tradeID":"#)
        out.string(fill.tradeID)
        out.raw("}")
    }

    /// A paper order as its `Codable` form (the order inside it too).
    static func paperOrder(_ paper: PaperOrder, into out: inout JSONOutput) {
        out.raw(#"{"order":"#)
        order(paper.order, into: &out)
        if let reason = paper.reason {
            out.raw(#","reason":"#)
            out.string(reason)
        }
        out.raw(#","reserved":"#)
        out.decimal(paper.reserved)
        out.raw(#","reservedAsset":"#)
        out.string(paper.reservedAsset)
        out.raw(#","sequence":"#)
        out.digits(paper.sequence, minimumCount: 1)
        out.raw(#","triggered":"#)
        out.bool(paper.triggered)
        out.raw("}")
    }

    static func order(_ order: Order, into out: inout JSONOutput) {
        out.raw(#"{"clientOrderID":"#)
        out.string(order.clientOrderID.rawValue)
        out.raw(#","createdAt":"#)
        out.integer(order.createdAt)
        out.raw(#","fees":"#)
        out.decimal(order.fees)
        out.raw(#","filledNotional":"#)
        out.decimal(order.filledNotional)
        out.raw(#","filledQuantity":"#)
        out.decimal(order.filledQuantity)
        if let price = order.price {
            out.raw(#","price":"#)
            out.decimal(price)
        }
        out.raw(#","quantity":"#)
        out.decimal(order.quantity)
        out.raw(#","reduceOnly":"#)
        out.bool(order.reduceOnly)
        if let reason = order.rejectReason {
            out.raw(#","rejectReason":"#)
            out.string(reason)
        }
        out.raw(#","side":"#)
        out.string(order.side.rawValue)
        out.raw(#","status":"#)
        out.string(order.status.rawValue)
        if let stop = order.stopPrice {
            out.raw(#","stopPrice":"#)
            out.decimal(stop)
        }
        out.raw(#","symbol":"#)
        out.string(order.symbol.description)
        if let tag = order.tag {
            out.raw(#","tag":"#)
            out.string(tag)
        }
        out.raw(#","timeInForce":"#)
        out.string(order.timeInForce.rawValue)
        out.raw(#","type":"#)
        out.string(order.type.rawValue)
        out.raw(#","updatedAt":"#)
        out.integer(order.updatedAt)
        if let venueID = order.venueOrderID {
            out.raw(#","venueOrderID":"#)
            out.string(venueID)
        }
        out.raw("}")
    }

    /// `{"balances":{"USDT":{"free":"…","locked":"…"},…}}`.
    static func ledger(_ ledger: PortfolioLedger, into out: inout JSONOutput) {
        out.raw(#"{"balances":{"#)
        for (index, entry) in ledger.balances.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.comma() }
            out.string(entry.key)
            out.raw(#":{"free":"#)
            out.decimal(entry.value.free)
            out.raw(#","locked":"#)
            out.decimal(entry.value.locked)
            out.raw("}")
        }
        out.raw("}}")
    }

    /// `["id",…]`, as `JSONEncoder` writes client order ids (single string values).
    static func idList(_ ids: [ClientOrderID], into out: inout JSONOutput) {
        out.array(ids) { out, id in out.string(id.rawValue) }
    }
}
