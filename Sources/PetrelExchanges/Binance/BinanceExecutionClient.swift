import Foundation
import Logging
import PetrelCore
import PetrelRuntime
import Synchronization

/// Binance spot as an ``ExecutionClient`` (EXCHANGE-APIS.md §1.6): orders carry Petrel's client order id
/// as `newClientOrderId`, so a lost answer is resolved by a query and a repeated submit never makes a
/// second order.
///
/// Order updates and fills come from the WebSocket API's user-data subscription when ``userDataURL`` is
/// set, with a REST pass (`openOrders`, `myTrades`) after every (re)subscription and every
/// ``safetyPollInterval`` as a safety net; without it, or while it is down, they are polled over REST every
/// ``pollInterval``. Each change and each fill is reported once, whichever way it came.
public final class BinanceExecutionClient: ExecutionClient {
    public let venue = "binance"
    let client: BinanceClient
    /// How often ``updates()`` asks the venue over REST while no user-data subscription is live.
    public let pollInterval: Duration
    /// How often it still asks while the subscription is live.
    public let safetyPollInterval: Duration
    /// The WebSocket API for the user-data subscription (`nil`: REST polling only).
    public let userDataURL: String?

    struct State {
        /// Binance's order ids → Petrel's client ids (fills name orders by Binance's id).
        var clientIDs: [Int64: ClientOrderID] = [:]
        /// Symbols with orders from this client (what ``updates()`` polls).
        var symbols: Set<Symbol> = []
        /// The latest state of every order this client has seen.
        var orders: [ClientOrderID: VenueOrder] = [:]
        /// Client ids being submitted (their events may come before the answer).
        var submitting: Set<ClientOrderID> = []
        /// Binance order ids found not to be Petrel's (asked once).
        var foreign: Set<Int64> = []
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - userDataURL: ``BinanceUserDataStream/liveURL``, ``BinanceUserDataStream/testnetURL`` or another;
    ///     `nil` polls over REST only.
    public init(
        client: BinanceClient, pollInterval: Duration = .seconds(2), userDataURL: String? = nil,
        safetyPollInterval: Duration = .seconds(30)
    ) {
        self.client = client
        self.pollInterval = pollInterval
        self.userDataURL = userDataURL
        self.safetyPollInterval = safetyPollInterval
    }

    /// Binance's spelling of an order (§1.6): type, time in force, prices.
    static func parameters(_ order: Order) -> [(String, String)] {
        var parameters: [(String, String)] = [
            ("symbol", order.symbol.venueSpelling(.concatenated)), ("side", order.side == .buy ? "BUY" : "SELL"),
        ]
        switch order.type {
        case .market:
            parameters.append(("type", "MARKET"))
        case .limit where order.timeInForce == .postOnly:
            parameters.append(("type", "LIMIT_MAKER"))
        case .limit:
            parameters += [("type", "LIMIT"), ("timeInForce", order.timeInForce.rawValue.uppercased())]
        case .stopMarket:
            parameters.append(("type", "STOP_LOSS"))
        case .stopLimit:
            let force = order.timeInForce == .postOnly ? "GTC" : order.timeInForce.rawValue.uppercased()
            parameters += [("type", "STOP_LOSS_LIMIT"), ("timeInForce", force)]
        }
        parameters.append(("quantity", order.quantity.description))
        if let price = order.price { parameters.append(("price", price.description)) }
        if let stop = order.stopPrice { parameters.append(("stopPrice", stop.description)) }
        parameters += [("newClientOrderId", order.clientOrderID.rawValue), ("newOrderRespType", "RESULT")]
        return parameters
    }

    public func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder {
        // Binance refuses a duplicate `newClientOrderId` only among open orders: an id this client has
        // seen is looked up first, so a filled or cancelled order is answered, never placed again.
        if state.withLock({ $0.orders[order.clientOrderID] != nil }),
            let existing = try await self.order(order.clientOrderID, symbol: order.symbol)
        {
            return existing
        }
        state.withLock {
            $0.symbols.insert(order.symbol)
            $0.submitting.insert(order.clientOrderID)
        }
        defer { _ = state.withLock { $0.submitting.remove(order.clientOrderID) } }
        let body: Data
        do {
            body = try await client.signed("POST", "/api/v3/order", Self.parameters(order), changes: true)
        } catch .rejected(let why) where why.contains("Duplicate order sent") {
            // The venue already has this id: answer with that order, never a second one.
            guard let existing = try await self.order(order.clientOrderID, symbol: order.symbol) else {
                throw .rejected(why)
            }
            return existing
        }
        // Binance answered, so it acted on the order: an answer that cannot be read leaves it unknown.
        let placed: VenueOrder
        do {
            placed = try BinanceDecoding.order(body, symbol: order.symbol, "order")
        } catch {
            throw .unknownOutcome("binance order \(order.clientOrderID): the answer could not be read (\(error))")
        }
        return try remember(placed)
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder {
        let body = try await client.signed(
            "DELETE", "/api/v3/order",
            [("symbol", symbol.venueSpelling(.concatenated)), ("origClientOrderId", id.rawValue)], changes: true)
        var cancelled = try BinanceDecoding.order(body, symbol: symbol, "cancel")
        // The cancel's own answer names the cancel request as `clientOrderId`; the order is `origClientOrderId`.
        cancelled.clientOrderID = id
        return try remember(cancelled)
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder? {
        do {
            let body = try await client.signed(
                "GET", "/api/v3/order",
                [("symbol", symbol.venueSpelling(.concatenated)), ("origClientOrderId", id.rawValue)], changes: false)
            return try remember(try BinanceDecoding.order(body, symbol: symbol, "order"))
        } catch .rejected(let why) where why.contains("-2013") {
            return nil
        }
    }

    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [VenueOrder] {
        let parameters = symbol.map { [("symbol", $0.venueSpelling(.concatenated))] } ?? []
        let body = try await client.signed("GET", "/api/v3/openOrders", parameters, changes: false)
        var symbols: [String: Symbol] = [:]
        if symbol == nil {
            for instrument in try await client.instruments() { symbols[instrument.id] = instrument.symbol }
        }
        var result: [VenueOrder] = []
        for case let entry as [String: Any] in try BinanceDecoding.array(body, "openOrders") {
            guard let id = entry["symbol"] as? String, let market = symbol ?? symbols[id],
                let order = try? BinanceDecoding.order(entry, symbol: market, "openOrders")
            else { continue }
            result.append(try remember(order))
        }
        return result
    }

    /// Fills from `myTrades`. Binance answers a time range of at most 24 hours, so the first trade at or
    /// after `since` is found window by window (from the oldest trade when `since` is more than 90 days
    /// back), and everything after it is read by trade id, 1,000 at a time.
    public func fills(symbol: Symbol, since: Int64) async throws(ExecutionError) -> [Fill] {
        let id = symbol.venueSpelling(.concatenated)
        let day: Int64 = 86_400_000
        let now = client.offset.venueTime(local: client.now())
        var from: Int64?
        if now - since > 90 * day {
            from = 0
        } else {
            var start = max(0, since)
            while from == nil, start <= now {
                let end = min(start + day - 1, now)
                let page = try await trades(
                    id, [("startTime", String(start)), ("endTime", String(end)), ("limit", "1")])
                from = page.first.flatMap { ($0["id"] as? NSNumber)?.int64Value }
                start = end + 1
            }
        }
        guard var next = from else { return [] }
        var fills: [Fill] = []
        while true {
            let page = try await trades(id, [("fromId", String(next)), ("limit", "1000")])
            for trade in page {
                guard let orderID = (trade["orderId"] as? NSNumber)?.int64Value,
                    let clientID = try await clientOrderID(orderID, symbol: symbol)
                else { continue }
                fills.append(try BinanceDecoding.fill(trade, symbol: symbol, clientOrderID: clientID))
            }
            guard page.count == 1_000, let last = page.last.flatMap({ ($0["id"] as? NSNumber)?.int64Value }) else {
                break
            }
            next = last + 1
        }
        return fills.filter { $0.timestamp >= since }
    }

    /// One `myTrades` request of `symbol`.
    func trades(_ symbol: String, _ parameters: [(String, String)]) async throws(ExecutionError) -> [[String: Any]] {
        let body = try await client.signed("GET", "/api/v3/myTrades", [("symbol", symbol)] + parameters, changes: false)
        return try BinanceDecoding.array(body, "myTrades").compactMap { $0 as? [String: Any] }
    }

    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        try await client.balances()
    }

    public func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        try await client.instrumentRules(symbol)
    }

    /// Order changes and new fills of the symbols this client has traded: from the user-data subscription
    /// when there is one, and from REST passes (open orders are read; an order that left the open list is
    /// queried once for its final state; fills come from `myTrades`). Each change and each fill is
    /// reported once.
    public func updates() -> AsyncStream<ExecutionUpdate> {
        let (stream, continuation) = AsyncStream<ExecutionUpdate>.makeStream()
        let log = VenueUpdateLog(continuation)
        var tasks = [Task { [self] in await poll(log) }]
        if let userDataURL {
            tasks.append(Task { [self] in await subscribe(userDataURL, log) })
        }
        let running = tasks
        continuation.onTermination = { _ in for task in running { task.cancel() } }
        return stream
    }

    /// REST passes: every ``pollInterval`` while no subscription is live, every ``safetyPollInterval``
    /// while one is, and at once when one (re)starts.
    func poll(_ log: VenueUpdateLog) async {
        var since = client.now() - 60_000
        while !Task.isCancelled {
            do {
                since = try await log.restPass(
                    self, symbols: state.withLock({ $0.symbols }).sorted(),
                    known: { state.withLock { Array($0.orders.values) } }, since: since)
                await log.wait(log.isLive ? safetyPollInterval : pollInterval)
            } catch ExecutionError.rateLimited(let wait, _) {
                try? await Task.sleep(for: .milliseconds(wait))
            } catch {
                await log.wait(pollInterval)
            }
        }
        log.finish()
    }

    /// The user-data subscription, reopened with back-off (1 s doubling to 30 s) whenever it drops.
    func subscribe(_ url: String, _ log: VenueUpdateLog) async {
        let stream = BinanceUserDataStream(url: url, client: client) { [weak self] id in
            self?.state.withLock { $0.symbols.first { $0.venueSpelling(.concatenated) == id } }
        }
        var backoff: Int64 = 1_000
        while !Task.isCancelled {
            do {
                for try await event in stream.events() {
                    switch event {
                    case .subscribed:
                        backoff = 1_000
                        log.setLive(true)
                    case .order(let order):
                        // An order of this account that this client did not place is not reported.
                        guard isOurs(order.clientOrderID) else { continue }
                        _ = try? remember(order)
                        log.report(order)
                    case .fill(let fill):
                        guard isOurs(fill.clientOrderID) else { continue }
                        log.report(fill)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                client.logger.warning(
                    "binance user data: \(client.redaction.apply("\(error)")); polling over REST until it is back")
            }
            log.setLive(false)
            if Task.isCancelled { return }
            try? await Task.sleep(for: .milliseconds(backoff))
            backoff = min(30_000, backoff * 2)
        }
    }

    /// Whether this client placed (or is placing) the order.
    func isOurs(_ id: ClientOrderID) -> Bool {
        state.withLock { $0.orders[id] != nil || $0.submitting.contains(id) }
    }

    /// Records an order this client has seen: its Binance id and its latest state.
    func remember(_ order: VenueOrder) throws(ExecutionError) -> VenueOrder {
        state.withLock {
            if let venueID = order.venueOrderID.flatMap(Int64.init) { $0.clientIDs[venueID] = order.clientOrderID }
            $0.symbols.insert(order.symbol)
            $0.orders[order.clientOrderID] = order
        }
        return order
    }

    /// The client id of Binance order `orderID`: remembered, or asked for (`nil` when it is not a
    /// client id Petrel could have made: not this client's order).
    func clientOrderID(_ orderID: Int64, symbol: Symbol) async throws(ExecutionError) -> ClientOrderID? {
        if let known = state.withLock({ $0.clientIDs[orderID] }) { return known }
        if state.withLock({ $0.foreign.contains(orderID) }) { return nil }
        let body = try await client.signed(
            "GET", "/api/v3/order", [("symbol", symbol.venueSpelling(.concatenated)), ("orderId", String(orderID))],
            changes: false)
        guard let order = try? BinanceDecoding.order(body, symbol: symbol, "order") else {
            _ = state.withLock { $0.foreign.insert(orderID) }
            return nil
        }
        return try remember(order).clientOrderID
    }
}
