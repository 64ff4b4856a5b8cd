import FluentKit
import PetrelRuntime

/// What a trade-history search keeps (seed 000's trade history with filters).
public struct TradeHistoryFilter: Sendable, Hashable {
    /// Only this status (EXECUTED, FAILED, PENDING).
    public var status: TradeStatus?
    /// Only this bot.
    public var bot: String?
    /// Only trades that give or receive this asset (`BTC`), or, written `BTC-USD`, exactly this pair in
    /// either direction.
    public var pair: String?
    /// Unix ms, inclusive.
    public var from: Int64?
    /// Unix ms, exclusive.
    public var to: Int64?

    public init(
        status: TradeStatus? = nil, bot: String? = nil, pair: String? = nil, from: Int64? = nil, to: Int64? = nil
    ) {
        self.status = status
        self.bot = bot
        self.pair = pair
        self.from = from
        self.to = to
    }
}

/// One page of a trade-history search, newest first.
public struct TradeHistoryPage: Sendable {
    /// Every matching row (all pages).
    public var total: Int
    /// This page's rows with their bot.
    public var rows: [(bot: String, record: TradeHistoryRecord)]
}

extension PetrelDatabase {
    /// Seed 000's trade history across bots, filtered and paged, newest first.
    /// - Parameters:
    ///   - filter: what to keep.
    ///   - offset: rows to skip.
    ///   - limit: rows to return.
    /// - Throws: ``StorageError/storage(_:)``, also for a row that does not read back.
    public func searchTradeHistory(_ filter: TradeHistoryFilter, offset: Int, limit: Int) async throws(StorageError)
        -> TradeHistoryPage
    {
        try await read("searching the trade history", as: DatabaseFailure.storageError) { db in
            func query() -> QueryBuilder<TradeHistoryModel> {
                var query = TradeHistoryModel.query(on: db)
                if let status = filter.status { query = query.filter(\.$status == status.rawValue) }
                if let bot = filter.bot { query = query.filter(\.$botID == bot) }
                if let from = filter.from { query = query.filter(\.$createdAt >= from) }
                if let to = filter.to { query = query.filter(\.$createdAt < to) }
                if let pair = filter.pair?.uppercased() {
                    let parts = pair.split(separator: "-").map(String.init)
                    if parts.count == 2 {
                        query = query.group(.or) { either in
                            either.group(.and) { $0.filter(\.$fromPair == parts[0]).filter(\.$toPair == parts[1]) }
                            either.group(.and) { $0.filter(\.$fromPair == parts[1]).filter(\.$toPair == parts[0]) }
                        }
                    } else {
                        query = query.group(.or) { $0.filter(\.$fromPair == pair).filter(\.$toPair == pair) }
                    }
                }
                return query
            }
            let total = try await query().count()
            let models = try await query().sort(\.$id, .descending).range(offset..<(offset + max(0, limit))).all()
            let rows = try models.map { model throws(DatabaseFailure) in (model.botID, try model.record()) }
            return TradeHistoryPage(total: total, rows: rows)
        }
    }
}
