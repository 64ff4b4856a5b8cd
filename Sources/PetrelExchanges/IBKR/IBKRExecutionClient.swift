import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

/// IBKR stocks through the Client Portal gateway as an ``ExecutionClient``.
///
/// - Symbols: a stock is `TICKER/CURRENCY` (`AAPL/USD`); the base is the ticker looked up as an `STK`
///   contract, the quote is the currency cash and fees are counted in (the contract's own currency is
///   not checked). Tickers that are not letters and digits (`BRK B`) cannot be symbols.
/// - Orders carry Petrel's client order id as `cOID`, which IBKR echoes as `order_ref`: a lost answer
///   is resolved by finding that `order_ref`, and a submit of an id whose outcome was unknown looks it up
///   before sending again. A gateway that refuses a repeated `cOID` gets the same lookup.
/// - Types: market (`MKT`, `DAY`), limit (`LMT`, `GTC` or `IOC`), stop-market (`STP`, the stop in
///   `price`). Stop-limit, fill-or-kill and post-only are refused before sending.
/// - Rules: stocks trade in whole shares at a 0.01 tick (US stocks above $1; sub-dollar ticks and
///   `GET /iserver/contract/{conid}/info-and-rules` are not used).
/// - ``updates()`` polls the session's orders and trades every ``pollInterval`` (IBKR allows about one
///   request every 5 s on these two endpoints) and tickles the session every ``tickleInterval``; every
///   other call tickles too when one is due.
public final class IBKRExecutionClient: ExecutionClient {
    public let venue = "ibkr"
    public let client: IBKRClient
    /// How often ``updates()`` reads orders and trades.
    public let pollInterval: Duration
    /// How often the session is kept alive with `POST /tickle` while the client is used.
    public let tickleInterval: Duration

    struct State {
        var sessionChecked = false
        var lastTickle: ContinuousClock.Instant?
        /// Orders this client has seen, by client id.
        var orders: [ClientOrderID: VenueOrder] = [:]
        /// Client ids whose submit ended without an answer: looked up before any resend.
        var uncertain: Set<ClientOrderID> = []
        /// Symbols by conid, for the gateway's answers.
        var symbols: [Int64: Symbol] = [:]
    }

    let state = Mutex(State())

    public init(client: IBKRClient, pollInterval: Duration = .seconds(5), tickleInterval: Duration = .seconds(60)) {
        self.client = client
        self.pollInterval = pollInterval
        self.tickleInterval = tickleInterval
    }

    public var supportsStopOrders: Bool { true }

    /// Checks the session on first use and tickles it when one is due.
    /// - Throws: ``ExecutionError/fatal(_:)`` when nobody is logged in at the gateway.
    func prepare() async throws(ExecutionError) {
        if !state.withLock({ $0.sessionChecked }) {
            try await client.ensureAuthenticated()
            state.withLock {
                $0.sessionChecked = true
                $0.lastTickle = .now
            }
        }
        let due = state.withLock { state -> Bool in
            guard let last = state.lastTickle, ContinuousClock.now - last < tickleInterval else {
                state.lastTickle = .now
                return true
            }
            return false
        }
        if due { try? await client.tickle() }
    }

    /// The conid of a stock symbol.
    func conid(_ symbol: Symbol) async throws(ExecutionError) -> Int64 {
        guard symbol.kind == .spot else { throw .rejected("ibkr trades stocks only, not \(symbol)") }
        let conid = try await client.conid(for: symbol.base)
        state.withLock { $0.symbols[conid] = symbol }
        return conid
    }

    /// IBKR's spelling of an order.
    func ticket(_ order: Order, conid: Int64) throws(ExecutionError) -> IBKRClient.OrderTicket {
        let tif: String
        switch order.timeInForce {
        case .gtc: tif = "GTC"
        case .ioc: tif = "IOC"
        case .fok, .postOnly:
            throw .rejected("ibkr: time in force \(order.timeInForce.rawValue) is not supported (use gtc or ioc)")
        }
        let side = order.side == .buy ? "BUY" : "SELL"
        switch order.type {
        case .market:
            return .init(
                conid: conid, orderType: "MKT", side: side, tif: "DAY", quantity: order.quantity, price: nil,
                clientOrderID: order.clientOrderID.rawValue)
        case .limit:
            return .init(
                conid: conid, orderType: "LMT", side: side, tif: tif, quantity: order.quantity, price: order.price,
                clientOrderID: order.clientOrderID.rawValue)
        case .stopMarket:
            return .init(
                conid: conid, orderType: "STP", side: side, tif: tif == "IOC" ? "GTC" : tif, quantity: order.quantity,
                price: order.stopPrice, clientOrderID: order.clientOrderID.rawValue)
        case .stopLimit:
            throw .rejected("ibkr: stop-limit orders are not supported by this adapter")
        }
    }

    public func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder {
        try await prepare()
        let id = order.clientOrderID
        let seen = state.withLock { $0.orders[id] != nil || $0.uncertain.contains(id) }
        if seen, let existing = try await self.order(id, symbol: order.symbol) {
            state.withLock { _ = $0.uncertain.remove(id) }
            return existing
        }
        let conid = try await conid(order.symbol)
        let ticket = try ticket(order, conid: conid)
        let placed: IBKRClient.PlacedOrder
        do {
            placed = try await client.placeOrder(ticket)
        } catch {
            switch error {
            case .unknownOutcome:
                state.withLock { _ = $0.uncertain.insert(id) }
            case .rejected(let why)
            where why.localizedCaseInsensitiveContains("already registered")
                || why.localizedCaseInsensitiveContains("duplicate"):
                // The gateway already has this cOID: answer with that order, never a second one. Not found
                // yet (the order list lags): unknown, so the order manager asks again instead of forgetting it.
                if let existing = try await self.order(id, symbol: order.symbol) { return existing }
                state.withLock { _ = $0.uncertain.insert(id) }
                throw .unknownOutcome(
                    "ibkr: the gateway already has cOID \(id), but its order list does not show it yet")
            default:
                break
            }
            throw error
        }
        state.withLock { _ = $0.uncertain.remove(id) }
        var placedOrder = VenueOrder(
            clientOrderID: id, venueOrderID: placed.orderID, symbol: order.symbol, side: order.side, type: order.type,
            quantity: order.quantity, price: order.price, stopPrice: order.stopPrice,
            // A "Filled" placement without its fills stays accepted until the fills are read.
            status: Self.status(placed.status, filled: .zero, quantity: order.quantity) == .filled
                ? .accepted : Self.status(placed.status, filled: .zero, quantity: order.quantity),
            filledQuantity: .zero,
            averageFillPrice: nil, updatedAt: client.now())
        // The placement answer has no fills; the order's status has (best effort: the order exists either way).
        if let current = try? await client.orderStatus(placed.orderID) {
            placedOrder = venueOrder(current, id: id, symbol: order.symbol, fallback: placedOrder)
        }
        return remember(placedOrder)
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder {
        try await prepare()
        guard let current = try await order(id, symbol: symbol), let venueID = current.venueOrderID else {
            throw .rejected("ibkr: no order with client id \(id) to cancel")
        }
        if current.status.isTerminal { return current }
        try await client.cancelOrder(venueID)
        var after = (try? await order(id, symbol: symbol)) ?? current
        if !after.status.isTerminal { after.status = .pendingCancel }
        return remember(after)
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder? {
        try await prepare()
        let known = state.withLock { $0.orders[id] }
        if let live = try await client.liveOrders().first(where: { $0.clientOrderID == id.rawValue }) {
            return remember(venueOrder(live, id: id, symbol: symbol, fallback: known))
        }
        // Older than the session's list: its status by IBKR's order id, when this client knows it.
        if let known, let venueID = known.venueOrderID, let status = try await client.orderStatus(venueID) {
            return remember(venueOrder(status, id: id, symbol: symbol, fallback: known))
        }
        return known
    }

    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [VenueOrder] {
        try await prepare()
        var wanted: Int64?
        if let symbol { wanted = try await conid(symbol) }
        var result: [VenueOrder] = []
        for live in try await client.liveOrders() {
            guard let ref = live.clientOrderID, let id = try? ClientOrderID(ref), wanted == nil || live.conid == wanted
            else { continue }
            let order = venueOrder(
                live, id: id, symbol: symbol ?? self.symbol(live.conid, ticker: live.ticker), fallback: nil)
            if order.status.isOpen { result.append(remember(order)) }
        }
        return result
    }

    public func fills(symbol: Symbol, since: Int64) async throws(ExecutionError) -> [Fill] {
        try await prepare()
        let conid = try await conid(symbol)
        return try await client.trades().compactMap { trade in
            guard trade.conid == conid || (trade.conid == nil && trade.symbol == symbol.base), trade.time >= since,
                let ref = trade.clientOrderID, let id = try? ClientOrderID(ref)
            else { return nil }
            return fill(trade, id: id, symbol: symbol)
        }
        .sorted { ($0.timestamp, $0.tradeID) < ($1.timestamp, $1.tradeID) }
    }

    /// Cash per currency from the ledger (`cashbalance`, all free: IBKR holds no cash aside for open stock
    /// orders), and shares held per ticker from the positions.
    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        try await prepare()
        var balances = try await client.ledger().mapValues { PortfolioLedger.Balance(free: $0.cash) }
        for (ticker, shares) in try await client.positions() where !shares.isZero {
            balances[ticker.uppercased()] = PortfolioLedger.Balance(free: shares)
        }
        return balances
    }

    /// Whole shares at a 0.01 tick, at least one share (see the type's notes); the symbol must exist.
    public func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        _ = try await conid(symbol)
        do {
            return try InstrumentRules(
                symbol: symbol, tickSize: FixedPoint(rawValue: 1_000_000), stepSize: .one, minQuantity: .one)
        } catch {
            throw .fatal("ibkr rules for \(symbol): \(error)")
        }
    }

    // MARK: Mapping

    /// Petrel's status for IBKR's.
    static func status(_ text: String, filled: Quantity, quantity: Quantity) -> OrderStatus {
        switch text.lowercased() {
        case "filled": return .filled
        case "cancelled", "apicancelled": return .cancelled
        case "pendingcancel": return .pendingCancel
        case "inactive", "rejected": return .rejected
        default: return filled.isPositive ? (filled >= quantity ? .filled : .partiallyFilled) : .accepted
        }
    }

    static func type(_ text: String) -> OrderType? {
        switch text.uppercased() {
        case "MKT", "MARKET": return .market
        case "LMT", "LIMIT": return .limit
        case "STP", "STOP": return .stopMarket
        default: return nil
        }
    }

    func symbol(_ conid: Int64?, ticker: String?) -> Symbol {
        if let conid, let known = state.withLock({ $0.symbols[conid] }) { return known }
        return (try? Symbol(base: ticker ?? "UNKNOWN", quote: "USD")) ?? (try! Symbol(base: "UNKNOWN", quote: "USD"))
    }

    func venueOrder(_ live: IBKRClient.LiveOrder, id: ClientOrderID, symbol: Symbol, fallback: VenueOrder?)
        -> VenueOrder
    {
        let quantity = live.quantity.isPositive ? live.quantity : fallback?.quantity ?? live.quantity
        return VenueOrder(
            clientOrderID: id, venueOrderID: live.orderID, symbol: symbol,
            side: live.side.uppercased().hasPrefix("S") ? .sell : .buy,
            type: Self.type(live.orderType) ?? fallback?.type ?? .limit, quantity: quantity,
            price: live.price ?? fallback?.price, stopPrice: live.stopPrice ?? fallback?.stopPrice,
            status: Self.status(live.status, filled: live.filledQuantity, quantity: quantity),
            filledQuantity: live.filledQuantity,
            averageFillPrice: live.filledQuantity.isPositive ? live.averagePrice : nil,
            updatedAt: live.updatedAt ?? client.now(),
            reason: Self.status(live.status, filled: live.filledQuantity, quantity: quantity) == .rejected
                ? "ibkr status \(live.status)" : nil)
    }

    func fill(_ trade: IBKRClient.Trade, id: ClientOrderID, symbol: Symbol) -> Fill {
        Fill(
            tradeID: trade.executionID, clientOrderID: id, symbol: symbol, side: trade.side == "SELL" ? .sell : .buy,
            price: trade.price, quantity: trade.size, fee: trade.commission, feeAsset: symbol.quote,
            liquidity: .taker, timestamp: trade.time)
    }

    @discardableResult
    func remember(_ order: VenueOrder) -> VenueOrder {
        state.withLock { $0.orders[order.clientOrderID] = order }
        return order
    }

    // MARK: Updates

    /// Changes of this client's orders and their fills, polled every ``pollInterval`` (orders from the
    /// session's list, fills from the trades); each change and each fill is reported once. The session is
    /// tickled while the stream runs.
    public func updates() -> AsyncStream<ExecutionUpdate> {
        let (stream, continuation) = AsyncStream<ExecutionUpdate>.makeStream()
        let task = Task { [self] in
            let reported = Reported()
            while !Task.isCancelled {
                do {
                    try await poll(continuation, reported)
                    try? await Task.sleep(for: pollInterval)
                } catch {
                    if case .rateLimited(let wait, _)? = error as? ExecutionError {
                        try? await Task.sleep(for: .milliseconds(max(wait, 100)))
                    } else {
                        try? await Task.sleep(for: pollInterval)
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// What ``updates()`` has reported.
    final class Reported: Sendable {
        let state = Mutex<(orders: [ClientOrderID: String], fills: Set<String>)>(([:], []))

        func isNew(_ order: VenueOrder) -> Bool {
            state.withLock {
                let key = "\(order.status.rawValue)|\(order.filledQuantity)"
                guard $0.orders[order.clientOrderID] != key else { return false }
                $0.orders[order.clientOrderID] = key
                return true
            }
        }

        func isNew(_ fill: Fill) -> Bool { state.withLock { $0.fills.insert(fill.tradeID).inserted } }
    }

    func poll(_ continuation: AsyncStream<ExecutionUpdate>.Continuation, _ reported: Reported)
        async throws(ExecutionError)
    {
        try await prepare()
        let mine = state.withLock { $0.orders }
        guard !mine.isEmpty else { return }
        var symbols: [String: Symbol] = [:]
        for live in try await client.liveOrders() {
            guard let ref = live.clientOrderID, let id = try? ClientOrderID(ref), let known = mine[id] else { continue }
            symbols[ref] = known.symbol
            let order = remember(venueOrder(live, id: id, symbol: known.symbol, fallback: known))
            if reported.isNew(order) { continuation.yield(.order(order)) }
        }
        for trade in try await client.trades().sorted(by: { $0.time < $1.time }) {
            guard let ref = trade.clientOrderID, let id = try? ClientOrderID(ref), let known = mine[id] else {
                continue
            }
            let fill = fill(trade, id: id, symbol: symbols[ref] ?? known.symbol)
            if reported.isNew(fill) { continuation.yield(.fill(fill)) }
        }
    }
}
