import PetrelCore

/// Hand-written JSON for the small values a paper account save writes at every candle: the last
/// quotes, new fills and the ledger. `JSONEncoder` costs 5–10 µs per call however small the value
/// (a profile of a paper bot put a third of its CPU there); this writes the same JSON that their
/// `Codable` conformances produce (decimals as exact strings, enums as raw values), so
/// `JSONDecoder` reads it back to equal values (`PaperCheckpointTests` checks every save).
enum PaperJSONWriter {
    /// `{"BTC/USDT":{"ask":"…",…},…}` in key order.
    static func quotes(_ quotes: [String: Quote]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in quotes.keys.sorted().enumerated() {
            guard let quote = quotes[key] else { continue }
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            self.quote(quote, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func quote(_ quote: Quote, into out: inout [UInt8]) {
        var object = ObjectWriter(into: out)
        object.decimal("ask", quote.ask)
        if let size = quote.askSize { object.decimal("askSize", size) }
        object.decimal("bid", quote.bid)
        if let size = quote.bidSize { object.decimal("bidSize", size) }
        object.decimal("last", quote.last)
        object.string("symbol", quote.symbol.description)
        object.integer("timestamp", quote.timestamp)
        out = object.finish()
    }

    /// One fill as its `Codable` form.
    static func fill(_ fill: Fill, into out: inout [UInt8]) {
        var object = ObjectWriter(into: out)
        object.string("clientOrderID", fill.clientOrderID.rawValue)
        object.decimal("fee", fill.fee)
        object.string("feeAsset", fill.feeAsset)
        object.string("liquidity", fill.liquidity.rawValue)
        object.decimal("price", fill.price)
        object.decimal("quantity", fill.quantity)
        object.string("side", fill.side.rawValue)
        object.string("symbol", fill.symbol.description)
        object.integer("timestamp", fill.timestamp)
        object.string("tradeID", fill.tradeID)
        out = object.finish()
    }

    /// A paper order as its `Codable` form (the order inside it too).
    static func paperOrder(_ paper: PaperOrder, into out: inout [UInt8]) {
        var object = ObjectWriter(into: out)
        object.raw("order") { order(paper.order, into: &$0) }
        if let reason = paper.reason { object.string("reason", reason) }
        object.decimal("reserved", paper.reserved)
        object.string("reservedAsset", paper.reservedAsset)
        object.raw("sequence") { $0.append(contentsOf: String(paper.sequence).utf8) }
        object.bool("triggered", paper.triggered)
        out = object.finish()
    }

    static func order(_ order: Order, into out: inout [UInt8]) {
        var object = ObjectWriter(into: out)
        object.string("clientOrderID", order.clientOrderID.rawValue)
        object.integer("createdAt", order.createdAt)
        object.decimal("fees", order.fees)
        object.decimal("filledNotional", order.filledNotional)
        object.decimal("filledQuantity", order.filledQuantity)
        if let price = order.price { object.decimal("price", price) }
        object.decimal("quantity", order.quantity)
        object.bool("reduceOnly", order.reduceOnly)
        if let reason = order.rejectReason { object.string("rejectReason", reason) }
        object.string("side", order.side.rawValue)
        object.string("status", order.status.rawValue)
        if let stop = order.stopPrice { object.decimal("stopPrice", stop) }
        object.string("symbol", order.symbol.description)
        if let tag = order.tag { object.string("tag", tag) }
        object.string("timeInForce", order.timeInForce.rawValue)
        object.string("type", order.type.rawValue)
        object.integer("updatedAt", order.updatedAt)
        if let venueID = order.venueOrderID { object.string("venueOrderID", venueID) }
        out = object.finish()
    }

    /// `{"balances":{"USDT":{"free":"…","locked":"…"},…}}`.
    static func ledger(_ ledger: PortfolioLedger) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"balances":{"#.utf8)
        for (index, asset) in ledger.balances.keys.sorted().enumerated() {
            let balance = ledger.balance(asset)
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(asset, into: &out)
            out.append(UInt8(ascii: ":"))
            var object = ObjectWriter(into: out)
            object.decimal("free", balance.free)
            object.decimal("locked", balance.locked)
            out = object.finish()
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Writes `{"key":value,…}` into a byte buffer.
    struct ObjectWriter {
        private var out: [UInt8]
        private var first = true

        init(into out: [UInt8]) {
            self.out = out
            self.out.append(UInt8(ascii: "{"))
        }

        private mutating func key(_ key: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            PaperJSONWriter.string(key, into: &out)
            out.append(UInt8(ascii: ":"))
        }

        mutating func string(_ key: String, _ value: String) {
            self.key(key)
            PaperJSONWriter.string(value, into: &out)
        }

        mutating func decimal(_ key: String, _ value: FixedPoint) {
            self.key(key)
            PaperJSONWriter.string(value.description, into: &out)
        }

        mutating func integer(_ key: String, _ value: Int64) {
            self.key(key)
            out.append(contentsOf: String(value).utf8)
        }

        mutating func bool(_ key: String, _ value: Bool) {
            self.key(key)
            out.append(contentsOf: (value ? "true" : "false").utf8)
        }

        /// A value written by `body` straight into the buffer.
        mutating func raw(_ key: String, _ body: (inout [UInt8]) -> Void) {
            self.key(key)
            body(&out)
        }

        consuming func finish() -> [UInt8] {
            out.append(UInt8(ascii: "}"))
            return out
        }
    }
}
