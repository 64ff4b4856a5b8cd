/// Why a trade-history operation failed.
public enum TradeHistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A negative `limit` (the WebSocket's `get_recent_trades` passes the user's number through).
    case invalidLimit(Int)
    /// A negative `keep` count.
    case invalidKeep(Int)
    /// A record that already has an id was appended again.
    case alreadyStored(id: Int64)
    /// No record has this id (never stored, or removed by retention).
    case notFound(id: Int64)
    /// Only a PENDING record can change status, and only to EXECUTED or FAILED.
    case invalidTransition(id: Int64, from: TradeStatus, to: TradeStatus)
    /// The backing store failed (database adapters).
    case storage(String)

    public var description: String {
        switch self {
        case .invalidLimit(let limit): return "limit \(limit) must be 0 or more"
        case .invalidKeep(let keep): return "keep \(keep) must be 0 (keep all) or more"
        case .alreadyStored(let id): return "trade \(id) is already stored"
        case .notFound(let id): return "no trade with id \(id)"
        case .invalidTransition(let id, let from, let to):
            return "trade \(id) cannot go from \(from.rawValue) to \(to.rawValue) (only PENDING → EXECUTED or FAILED)"
        case .storage(let why): return "trade history storage failed: \(why)"
        }
    }
}

/// Seed 000's `TradeHistory` table behind a port: the in-memory store here, the FluentKit one in
/// `PetrelPersistence`.
///
/// "Last" and "recent" mean the most recently appended: ids are assigned in increasing order and
/// retention keeps the highest ones.
public protocol TradeHistoryStore: Sendable {
    /// Stores a new record and assigns its id.
    /// - Parameter record: a record whose `id` is `nil`.
    /// - Returns: the record with its id.
    /// - Throws: ``TradeHistoryError/alreadyStored(id:)`` or a storage failure.
    func append(_ record: TradeHistoryRecord) async throws(TradeHistoryError) -> TradeHistoryRecord

    /// Records the outcome of a PENDING trade.
    /// - Parameters:
    ///   - id: the record's id.
    ///   - status: ``TradeStatus/executed`` or ``TradeStatus/failed``.
    /// - Returns: the updated record.
    /// - Throws: ``TradeHistoryError/notFound(id:)`` or ``TradeHistoryError/invalidTransition(id:from:to:)``.
    func updateStatus(id: Int64, to status: TradeStatus) async throws(TradeHistoryError) -> TradeHistoryRecord

    /// The newest records first, at most `limit`.
    /// - Throws: ``TradeHistoryError/invalidLimit(_:)`` for a negative limit.
    func recent(limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord]

    /// The newest records with `status` first, at most `limit` (the admin's status filter).
    /// - Throws: ``TradeHistoryError/invalidLimit(_:)`` for a negative limit.
    func records(status: TradeStatus, limit: Int) async throws(TradeHistoryError) -> [TradeHistoryRecord]

    /// Seed 000's `cleanup_old_trades(keep_count)`: deletes all but the newest `keep` records.
    /// - Parameter keep: records to keep; 0 keeps all.
    /// - Returns: how many were deleted.
    /// - Throws: ``TradeHistoryError/invalidKeep(_:)`` for a negative count.
    @discardableResult
    func cleanupOldTrades(keep: Int) async throws(TradeHistoryError) -> Int
}

extension TradeHistoryStore {
    /// `cleanup_old_trades()` with the seed's default of 100.
    @discardableResult
    public func cleanupOldTrades() async throws(TradeHistoryError) -> Int {
        try await cleanupOldTrades(keep: PortfolioBotSettings.defaultHistoryKeep)
    }

    /// Records a trade's outcome and, when it was executed, applies retention (the seed cleans up
    /// after each executed trade).
    /// - Parameters:
    ///   - id: the PENDING record written before execution.
    ///   - status: EXECUTED or FAILED.
    ///   - keep: the bot's `historyKeep` (0 keeps all).
    /// - Returns: the updated record.
    /// - Throws: as ``updateStatus(id:to:)`` and ``cleanupOldTrades(keep:)``.
    @discardableResult
    public func settle(id: Int64, status: TradeStatus, keep: Int) async throws(TradeHistoryError)
        -> TradeHistoryRecord
    {
        guard keep >= 0 else { throw .invalidKeep(keep) }
        let record = try await updateStatus(id: id, to: status)
        if status == .executed { try await cleanupOldTrades(keep: keep) }
        return record
    }
}
