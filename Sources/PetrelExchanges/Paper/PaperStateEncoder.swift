import PetrelCore
import PetrelRuntime

/// Writes a ``PaperExchangeState`` as JSON that decodes to the same state as `JSONEncoder`'s, but
/// encodes only the parts that changed since its last call.
///
/// The paper exchange saves its whole account after every candle's quotes and every accepted submit
/// or cancel. Encoding every order and fill ever made with `JSONEncoder` each time made a bot's
/// per-candle cost grow with its trade history (≈ 80 % of a 1,000-bot fleet's CPU after a few hundred
/// candles). Here the JSON of each order, of the fills and of the ledger is kept and reused:
///
/// - fills are appended: the ones after the last encoded fill are encoded; the oldest ones the
///   account's history retention forgets are cut off the front (``forget(orders:oldestFills:)``);
/// - orders are written in acceptance order (the object's key order does not matter to a decoder);
///   a new order is announced by the exchange (``encode(_:newOrders:)``); a closed paper order never
///   changes and is only ever removed by the retention, so only the orders still open at the last
///   call are compared with their encoded copy, and only the entries from the first changed one on
///   are written again (open orders are the newest ones). When the order count does not add up (a
///   restored state, an order the exchange did not announce) every order is encoded again;
/// - the last quotes, the ledger and the open order ids are compared with their encoded copy (the
///   quotes change at every candle's save, rarely between it and the submits that follow).
///
/// The JSON itself is written by ``PaperJSONWriter``.
///
/// - Complexity: per call, the encodes of what changed, comparisons of the open orders, and one copy
///   of the output's bytes (bounded by the account's history retention).
struct PaperStateEncoder {
    struct Entry {
        var key: String
        /// The order as last encoded; `nil` once it is closed (it cannot change any more).
        var order: PaperOrder?
        /// Where its `"id":{…}` starts in ``ordersBytes``, and how long it is.
        var offset: Int
        var length: Int
    }

    /// Orders in acceptance order.
    private var entries: [Entry] = []
    private var index: [String: Int] = [:]
    /// Indices of entries whose encoded order is not closed: the only ones that can still change.
    private var live: [Int] = []
    /// The entries joined by commas.
    private var ordersBytes: [UInt8] = []
    private var fillCount = 0
    private var lastFill: Fill?
    /// The encoded fills joined by commas.
    private var fillsBytes: [UInt8] = []
    /// Where each encoded fill starts in ``fillsBytes``.
    private var fillOffsets: [Int] = []
    private var ledger: (value: PortfolioLedger, bytes: [UInt8])?
    private var openOrderIDs: (value: [ClientOrderID], bytes: [UInt8])?
    private var lastQuotes: (value: [String: Quote], bytes: [UInt8])?

    /// The state's JSON.
    /// - Parameters:
    ///   - state: the account.
    ///   - newOrders: ids of the orders accepted since the last call (a hint: a missing one costs a
    ///     full encode, never a wrong result).
    mutating func encode(_ state: PaperExchangeState, newOrders: [ClientOrderID] = []) -> [UInt8] {
        updateFills(state.fills)
        updateOrders(state.orders, newOrders: newOrders)
        if ledger?.value != state.ledger {
            ledger = (state.ledger, Self.json { PaperJSONWriter.ledger(state.ledger, into: &$0) })
        }
        if openOrderIDs?.value != state.openOrderIDs {
            openOrderIDs = (state.openOrderIDs, Self.json { PaperJSONWriter.idList(state.openOrderIDs, into: &$0) })
        }
        // Unchanged between a candle's save and the submits and cancels that follow it.
        if lastQuotes?.value != state.lastQuotes {
            lastQuotes = (state.lastQuotes, Self.json { PaperJSONWriter.quotes(state.lastQuotes, into: &$0) })
        }
        let quotes = lastQuotes?.bytes ?? []
        var out: [UInt8] = []
        out.reserveCapacity(fillsBytes.count + ordersBytes.count + quotes.count + 1_024)
        out.append(contentsOf: #"{"fills":["#.utf8)
        out.append(contentsOf: fillsBytes)
        out.append(contentsOf: #"],"lastQuotes":"#.utf8)
        out.append(contentsOf: quotes)
        out.append(contentsOf: #","ledger":"#.utf8)
        out.append(contentsOf: ledger?.bytes ?? [])
        out.append(contentsOf: #","openOrderIDs":"#.utf8)
        out.append(contentsOf: openOrderIDs?.bytes ?? [])
        out.append(contentsOf: #","orderSequence":"#.utf8)
        out.append(contentsOf: String(state.orderSequence).utf8)
        out.append(contentsOf: #","orders":{"#.utf8)
        out.append(contentsOf: ordersBytes)
        out.append(contentsOf: #"},"tradeSequence":"#.utf8)
        out.append(contentsOf: String(state.tradeSequence).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Encodes the fills appended since the last call (all of them when the list was replaced).
    private mutating func updateFills(_ current: [Fill]) {
        if current.count < fillCount || (fillCount > 0 && current[fillCount - 1] != lastFill) {
            fillCount = 0
            fillsBytes.removeAll()
            fillOffsets.removeAll()
        }
        for fill in current[fillCount...] {
            if !fillsBytes.isEmpty { fillsBytes.append(UInt8(ascii: ",")) }
            fillOffsets.append(fillsBytes.count)
            fillsBytes.append(contentsOf: Self.json { PaperJSONWriter.fill(fill, into: &$0) })
        }
        fillCount = current.count
        lastFill = current.last
    }

    /// Drops what the account's history retention forgot, by moving bytes instead of encoding again:
    /// the closed orders `orders` and the `oldestFills` first fills. Anything that does not add up
    /// (an order still open, more fills than encoded) is caught by the next ``encode(_:newOrders:)``,
    /// which then encodes everything.
    mutating func forget(orders keys: Set<String>, oldestFills: Int) {
        if oldestFills > 0 {
            if oldestFills >= fillCount {
                fillCount = 0
                fillsBytes.removeAll()
                fillOffsets.removeAll()
                lastFill = nil
            } else {
                let cut = fillOffsets[oldestFills]
                fillsBytes.removeSubrange(0..<cut)
                fillOffsets = fillOffsets[oldestFills...].map { $0 - cut }
                fillCount -= oldestFills
            }
        }
        guard !keys.isEmpty else { return }
        guard keys.allSatisfy({ key in index[key].map { entries[$0].order == nil } ?? false }) else {
            // An order the encoder still counts as open: start over at the next encode.
            entries.removeAll()
            index.removeAll()
            live.removeAll()
            ordersBytes.removeAll()
            return
        }
        var kept: [Entry] = []
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ordersBytes.count)
        for entry in entries where !keys.contains(entry.key) {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
            var moved = entry
            moved.offset = bytes.count
            bytes.append(contentsOf: ordersBytes[entry.offset..<entry.offset + entry.length])
            kept.append(moved)
        }
        entries = kept
        ordersBytes = bytes
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        live = entries.indices.filter { entries[$0].order != nil }
    }

    /// Encodes new and changed orders and writes ``ordersBytes`` again from the first changed entry.
    private mutating func updateOrders(_ current: [String: PaperOrder], newOrders: [ClientOrderID]) {
        var fresh: [Int: [UInt8]] = [:]
        var written = entries.count
        for id in newOrders where index[id.rawValue] == nil {
            guard let paper = current[id.rawValue] else { continue }
            fresh[entries.count] = Self.entry(id.rawValue, paper)
            index[id.rawValue] = entries.count
            entries.append(Entry(key: id.rawValue, order: paper, offset: 0, length: 0))
        }
        var consistent = entries.count == current.count
        if consistent {
            for position in live {
                guard let paper = current[entries[position].key] else {
                    consistent = false
                    break
                }
                if paper == entries[position].order { continue }
                entries[position].order = paper
                fresh[position] = Self.entry(entries[position].key, paper)
            }
        }
        if !consistent {
            entries.removeAll()
            index.removeAll()
            fresh.removeAll()
            ordersBytes.removeAll()
            live.removeAll()
            written = 0
            for (key, paper) in current.sorted(by: { $0.value.sequence < $1.value.sequence }) {
                fresh[entries.count] = Self.entry(key, paper)
                index[key] = entries.count
                entries.append(Entry(key: key, order: paper, offset: 0, length: 0))
            }
        }
        guard let first = fresh.keys.min() else { return }
        // Entries before `first` stay in place; the rest are written again, unchanged ones from a copy.
        let start = first == 0 ? 0 : first < written ? entries[first].offset - 1 : ordersBytes.count
        let old = Array(ordersBytes[start...])
        ordersBytes.removeSubrange(start...)
        live.removeAll { $0 >= first }
        for position in first..<entries.count {
            if position > 0 { ordersBytes.append(UInt8(ascii: ",")) }
            let offset = ordersBytes.count
            if let bytes = fresh[position] {
                ordersBytes.append(contentsOf: bytes)
            } else {
                let from = entries[position].offset - start
                ordersBytes.append(contentsOf: old[from..<from + entries[position].length])
            }
            entries[position].offset = offset
            entries[position].length = ordersBytes.count - offset
            if entries[position].order?.order.status.isTerminal == false {
                live.append(position)
            } else {
                entries[position].order = nil
            }
        }
    }

    /// `"key":{…}`, one member of the orders object.
    private static func entry(_ key: String, _ paper: PaperOrder) -> [UInt8] {
        json { out in
            out.string(key)
            out.raw(":")
            PaperJSONWriter.paperOrder(paper, into: &out)
        }
    }

    /// The bytes `body` writes.
    private static func json(_ body: (inout JSONOutput) -> Void) -> [UInt8] {
        var out = JSONOutput(capacity: 256)
        body(&out)
        return out.bytes
    }
}
