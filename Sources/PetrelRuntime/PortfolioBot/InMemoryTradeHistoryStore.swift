/// A ``TradeHistoryStore`` in memory: tests, dry runs and single-process paper bots.
///
/// Records are held in id order, so "newest" is the end of the array.
public actor InMemoryTradeHistoryStore: TradeHistoryStore {
    private var rows: [TradeHistoryRecord] = []
    private var lastID: Int64 = 0

    /// Creates an empty store.
    public init() {}

    /// Stores a record with the next id.
    /// - Complexity: O(1) amortised.
    public func append(_ record: TradeHistoryRecord) throws(TradeHistoryError) -> TradeHistoryRecord {
        if let id = record.id { throw .alreadyStored(id: id) }
        lastID += 1
        var stored = record
        stored.id = lastID
        rows.append(stored)
        return stored
    }

    /// Moves a PENDING record to EXECUTED or FAILED.
    /// - Complexity: O(log n).
    public func updateStatus(id: Int64, to status: TradeStatus) throws(TradeHistoryError) -> TradeHistoryRecord {
        guard let index = index(of: id) else { throw .notFound(id: id) }
        let current = rows[index].status
        guard current == .pending, status != .pending else {
            throw .invalidTransition(id: id, from: current, to: status)
        }
        rows[index].status = status
        return rows[index]
    }

    /// The newest records first.
    public func recent(limit: Int) throws(TradeHistoryError) -> [TradeHistoryRecord] {
        guard limit >= 0 else { throw .invalidLimit(limit) }
        return Array(rows.suffix(limit).reversed())
    }

    /// The newest records with `status` first.
    public func records(status: TradeStatus, limit: Int) throws(TradeHistoryError) -> [TradeHistoryRecord] {
        guard limit >= 0 else { throw .invalidLimit(limit) }
        return Array(rows.reversed().lazy.filter { $0.status == status }.prefix(limit))
    }

    /// Keeps the newest `keep` records (all when 0).
    @discardableResult
    public func cleanupOldTrades(keep: Int) throws(TradeHistoryError) -> Int {
        guard keep >= 0 else { throw .invalidKeep(keep) }
        guard keep > 0, rows.count > keep else { return 0 }
        let removed = rows.count - keep
        rows.removeFirst(removed)
        return removed
    }

    /// Number of stored records.
    public var count: Int { rows.count }

    /// Binary search by id (ids increase along the array).
    private func index(of id: Int64) -> Int? {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = rows[middle].id ?? 0
            if candidate == id { return middle }
            if candidate < id { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
