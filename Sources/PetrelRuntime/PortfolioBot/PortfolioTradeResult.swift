/// How one decided trade ended: its trade-history row as stored and what each leg did.
public struct PortfolioTradeResult: Sendable, Hashable {
    /// The trade-history row, with the status it was settled to (PENDING for a dry run or a trade
    /// whose order outcome is not known yet).
    public var record: TradeHistoryRecord
    /// The legs that were attempted, in order; a leg not attempted (after a failed first leg) is absent.
    public var legs: [PortfolioLegResult]
    /// Why the trade failed or is still PENDING; `nil` for an executed trade.
    public var reason: String?

    /// Creates a result.
    /// - Parameters:
    ///   - record: the stored row.
    ///   - legs: the attempted legs.
    ///   - reason: why it failed or is still pending.
    public init(record: TradeHistoryRecord, legs: [PortfolioLegResult], reason: String?) {
        self.record = record
        self.legs = legs
        self.reason = reason
    }

    /// EXECUTED, FAILED or PENDING.
    public var status: TradeStatus { record.status }
}
