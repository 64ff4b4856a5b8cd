import FluentKit
import PetrelCore
import PetrelRuntime

/// ``OrderStore`` for one bot on the `orders` and `fills` tables (rows with its `bot_id`).
///
/// The unique constraints of the port are checked inside each write's transaction and backed by the
/// table's keys: the client order id across all bots, the venue order id within the bot, the trade id per
/// (bot, symbol).
public struct FluentOrderStore: OrderStore {
    let database: PetrelDatabase
    /// The bot whose orders this store holds.
    public let botID: String

    /// Writes a new order.
    /// - Throws: ``OrderStoreError/duplicateClientOrderID(_:)``,
    ///   ``OrderStoreError/duplicateVenueOrderID(_:existing:)``, ``OrderStoreError/storage(_:)``.
    public func saveIntent(_ order: Order) async throws(OrderStoreError) {
        let bot = botID
        try await database.write("saving order \(order.clientOrderID)", as: Self.error) { tx in
            let id = order.clientOrderID
            guard try await OrderModel.query(on: tx).filter(\.$clientOrderID == id.rawValue).count() == 0 else {
                throw OrderStoreError.duplicateClientOrderID(id)
            }
            try await Self.checkVenueID(of: order, bot: bot, on: tx)
            try await OrderModel(order, bot: bot).create(on: tx)
        }
    }

    /// Replaces the stored state of an order.
    /// - Throws: ``OrderStoreError/unknownOrder(_:)``, ``OrderStoreError/duplicateVenueOrderID(_:existing:)``,
    ///   ``OrderStoreError/storage(_:)``.
    public func updateOrder(_ order: Order) async throws(OrderStoreError) {
        let bot = botID
        try await database.write("updating order \(order.clientOrderID)", as: Self.error) { tx in
            try await Self.update(order, bot: bot, on: tx)
        }
    }

    /// Writes the fill and the order's new state in one transaction.
    /// - Throws: ``OrderStoreError/duplicateTradeID(_:symbol:)`` (nothing changes), the errors of
    ///   ``updateOrder(_:)``, ``OrderStoreError/storage(_:)``.
    public func recordFill(_ fill: Fill, order: Order) async throws(OrderStoreError) {
        let bot = botID
        let symbol = fill.symbol.description
        try await database.write("recording fill \(fill.tradeID) of \(fill.clientOrderID)", as: Self.error) { tx in
            let existing = try await FillModel.query(on: tx).filter(\.$botID == bot)
                .filter(\.$symbol == symbol).filter(\.$tradeID == fill.tradeID).count()
            guard existing == 0 else { throw OrderStoreError.duplicateTradeID(fill.tradeID, symbol: fill.symbol) }
            try await Self.update(order, bot: bot, on: tx)
            if fill.clientOrderID != order.clientOrderID {
                let owner = try await OrderModel.query(on: tx).filter(\.$botID == bot)
                    .filter(\.$clientOrderID == fill.clientOrderID.rawValue).count()
                guard owner > 0 else { throw OrderStoreError.unknownOrder(fill.clientOrderID) }
            }
            try await FillModel(fill, bot: bot).create(on: tx)
        }
    }

    /// Orders not in a terminal status, oldest first.
    /// - Throws: ``OrderStoreError/storage(_:)``, naming a row that does not read back.
    public func unfinishedOrders() async throws(OrderStoreError) -> [Order] {
        let bot = botID
        let open = OrderStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        return try await database.read("reading the unfinished orders of bot \(bot)", as: Self.error) { db in
            try await OrderModel.query(on: db).filter(\.$botID == bot).filter(\.$status ~~ open).sort(\.$id).all()
                .map { model throws(DatabaseFailure) in try model.order() }
        }
    }

    /// One order by client id, or `nil` (also for another bot's order).
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func order(_ id: ClientOrderID) async throws(OrderStoreError) -> Order? {
        let bot = botID
        return try await database.read("reading order \(id)", as: Self.error) { db in
            try await OrderModel.query(on: db).filter(\.$botID == bot).filter(\.$clientOrderID == id.rawValue)
                .first()?.order()
        }
    }

    /// The fills of one order in recording order.
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func fills(of id: ClientOrderID) async throws(OrderStoreError) -> [Fill] {
        let bot = botID
        return try await database.read("reading the fills of order \(id)", as: Self.error) { db in
            try await FillModel.query(on: db).filter(\.$botID == bot).filter(\.$clientOrderID == id.rawValue)
                .sort(\.$id).all().map { model throws(DatabaseFailure) in try model.fill() }
        }
    }

    /// The newest fill timestamp of the bot, or `nil` before its first fill.
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func latestFillTimestamp() async throws(OrderStoreError) -> Int64? {
        let bot = botID
        return try await database.read("reading the last fill time of bot \(bot)", as: Self.error) { db in
            try await FillModel.query(on: db).filter(\.$botID == bot).max(\.$timestamp)
        }
    }

    /// The newest orders first (by creation), at most `limit`.
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func recentOrders(limit: Int) async throws(OrderStoreError) -> [Order] {
        guard limit > 0 else { return [] }
        let bot = botID
        return try await database.read("reading the recent orders of bot \(bot)", as: Self.error) { db in
            try await OrderModel.query(on: db).filter(\.$botID == bot).sort(\.$id, .descending).limit(limit).all()
                .map { model throws(DatabaseFailure) in try model.order() }
        }
    }

    /// The newest fills first (by recording), at most `limit`.
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func recentFills(limit: Int) async throws(OrderStoreError) -> [Fill] {
        guard limit > 0 else { return [] }
        let bot = botID
        return try await database.read("reading the recent fills of bot \(bot)", as: Self.error) { db in
            try await FillModel.query(on: db).filter(\.$botID == bot).sort(\.$id, .descending).limit(limit).all()
                .map { model throws(DatabaseFailure) in try model.fill() }
        }
    }

    /// How many fills the bot has (one `COUNT` query).
    /// - Throws: ``OrderStoreError/storage(_:)``.
    public func fillCount() async throws(OrderStoreError) -> Int {
        let bot = botID
        return try await database.read("counting the fills of bot \(bot)", as: Self.error) { db in
            try await FillModel.query(on: db).filter(\.$botID == bot).count()
        }
    }

    /// Replaces a stored order's state inside a transaction.
    static func update(_ order: Order, bot: String, on tx: any Database) async throws {
        guard
            let stored = try await OrderModel.query(on: tx).filter(\.$botID == bot)
                .filter(\.$clientOrderID == order.clientOrderID.rawValue).first()
        else { throw OrderStoreError.unknownOrder(order.clientOrderID) }
        try await checkVenueID(of: order, bot: bot, on: tx)
        try stored.assign(order)
        try await stored.update(on: tx)
    }

    /// Throws when another order of the bot already has the order's venue id.
    static func checkVenueID(of order: Order, bot: String, on tx: any Database) async throws {
        guard let venueID = order.venueOrderID else { return }
        let owner = try await OrderModel.query(on: tx).filter(\.$botID == bot).filter(\.$venueOrderID == venueID)
            .filter(\.$clientOrderID != order.clientOrderID.rawValue).first()
        guard let owner else { return }
        let existing = try StoredColumn.clientOrderID(
            owner.clientOrderID, "client_order_id", row: "orders[\(owner.id ?? 0)]")
        throw OrderStoreError.duplicateVenueOrderID(venueID, existing: existing)
    }

    static func error(_ error: any Error, while what: String) -> OrderStoreError {
        DatabaseFailure.orderStoreError(error, while: what)
    }
}
