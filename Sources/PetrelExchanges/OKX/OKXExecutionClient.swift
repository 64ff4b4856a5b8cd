import Foundation
import Logging
import PetrelCore
import PetrelRuntime
import Synchronization

/// OKX v5 as an ``ExecutionClient`` (EXCHANGE-APIS.md §2.6–2.7): spot (`tdMode` `cash`) and USDT-margined
/// perpetual swaps (`cross` or `isolated` margin), with Petrel's client order id as `clOrdId`
/// (``OKXOrderID``), so a lost answer is resolved by a query and a repeated submit never makes a second
/// order.
///
/// - Swap quantities are contracts at OKX: an order's base quantity must be a whole number of lots
///   (`lotSz` × `ctVal`); orders and fills read back are converted to base quantities.
/// - Before the first order of a swap, the account's position mode is read (`/api/v5/account/config`):
///   in net mode no `posSide` is sent (exits are `reduceOnly`); in long/short mode buys open longs and
///   reduce-only sells close them, sells open shorts and reduce-only buys close them. A configured
///   leverage is set once per swap (`/api/v5/account/set-leverage`).
/// - Stop orders are OKX algo orders, which this client does not place: ``supportsStopOrders`` is
///   `false`, so the bot watches its stops itself.
/// - Updates are polled over REST every ``pollInterval`` (open orders, the final state of orders that
///   left them, and fills); the private WebSocket channel is not used.
public final class OKXExecutionClient: ExecutionClient {
    public let venue = "okx"
    let client: OKXClient
    /// How often ``updates()`` asks OKX.
    public let pollInterval: Duration
    /// Margin mode of swap orders.
    public let marginMode: MarginMode
    /// Leverage set on each swap before its first order (`nil`: the account's setting is kept).
    public let leverage: Int?

    /// A swap's margin mode (`tdMode`).
    public enum MarginMode: String, Sendable, CaseIterable {
        case cross, isolated
    }

    struct State {
        var instruments: [String: OKXInstrument] = [:]
        var symbols: Set<Symbol> = []
        var orders: [ClientOrderID: VenueOrder] = [:]
        /// `long_short_mode` or `net_mode`, once read.
        var positionMode: String?
        var leveraged: Set<String> = []
    }

    private let state = Mutex(State())

    public var supportsStopOrders: Bool { false }

    /// How long an order request stays valid at OKX (`expTime`, ms after it is signed): less than the order
    /// manager's 5-second visibility window, after which it may send the order again.
    static let orderDeadline: Int64 = 4_000

    /// - Parameters:
    ///   - marginMode: for swaps (spot orders are always `cash`).
    ///   - leverage: 1 to 125, set on each swap before its first order; `nil` keeps the account's.
    public init(
        client: OKXClient, pollInterval: Duration = .seconds(2), marginMode: MarginMode = .cross, leverage: Int? = nil
    ) {
        self.client = client
        self.pollInterval = pollInterval
        self.marginMode = marginMode
        self.leverage = leverage
    }

    /// The instrument of `symbol`, read once.
    func instrument(_ symbol: Symbol) async throws(ExecutionError) -> OKXInstrument {
        let id = OKXClient.instrumentID(symbol)
        if let known = state.withLock({ $0.instruments[id] }) { return known }
        let instrument = try await client.instrument(symbol)
        state.withLock { $0.instruments[id] = instrument }
        return instrument
    }

    /// The instrument of an OKX id seen in a listing (`nil`: a kind Petrel does not trade).
    func instrument(id: String, type: String) async throws(ExecutionError) -> OKXInstrument? {
        if let known = state.withLock({ $0.instruments[id] }) { return known }
        guard let instrument = try await client.instruments(type: type, id: id).first(where: { $0.id == id }) else {
            return nil
        }
        state.withLock { $0.instruments[id] = instrument }
        return instrument
    }

    /// The body of `POST /api/v5/trade/order` for `order`.
    func orderBody(_ order: Order, _ instrument: OKXInstrument, positionMode: String?) throws(ExecutionError)
        -> String
    {
        var fields = [
            ("instId", instrument.id), ("tdMode", instrument.isSwap ? marginMode.rawValue : "cash"),
            ("clOrdId", try OKXOrderID.encode(order.clientOrderID)), ("side", order.side.rawValue),
        ]
        var flags: [(String, Bool)] = []
        if instrument.isSwap {
            if positionMode == "long_short_mode" {
                // Long/short mode: the side of the position, not reduceOnly, says open or close.
                fields.append(("posSide", (order.side == .buy) != order.reduceOnly ? "long" : "short"))
            } else if order.reduceOnly {
                flags.append(("reduceOnly", true))
            }
        }
        switch order.type {
        case .market:
            fields.append(("ordType", "market"))
            // A spot market buy is sized in the quote currency unless told otherwise.
            if !instrument.isSwap { fields.append(("tgtCcy", "base_ccy")) }
        case .limit:
            let types: [TimeInForce: String] = [.gtc: "limit", .postOnly: "post_only", .ioc: "ioc", .fok: "fok"]
            fields.append(("ordType", types[order.timeInForce] ?? "limit"))
            guard let price = order.price else { throw .rejected("okx: a limit order needs a price") }
            fields.append(("px", price.description))
        case .stopMarket, .stopLimit:
            throw .rejected(
                "okx: stop orders are algo orders at OKX, which Petrel does not place; the bot watches its stops itself"
            )
        }
        let size = instrument.isSwap ? try instrument.contracts(forBase: order.quantity) : order.quantity
        fields.append(("sz", size.description))
        return OKXOrderDecoding.body(fields, flags: flags)
    }

    public func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder {
        // An id this client has seen is looked up first: it is answered, never placed again, even where
        // OKX would take a finished order's clOrdId once more.
        if state.withLock({ $0.orders[order.clientOrderID] != nil }),
            let existing = try await self.order(order.clientOrderID, symbol: order.symbol)
        {
            return existing
        }
        let instrument = try await instrument(order.symbol)
        // An exit never waits on a leverage change (a refused one must not keep a position open).
        let positionMode = instrument.isSwap ? try await prepare(instrument, setLeverage: !order.reduceOnly) : nil
        let body = try orderBody(order, instrument, positionMode: positionMode)
        state.withLock { _ = $0.symbols.insert(order.symbol) }
        let data: [Any]
        do {
            // `expTime`: OKX drops the request if it arrives later than this, so a delayed first send can
            // never land after the order manager sent it again (it asks after 5 s, resends after that).
            data = try await client.signed(
                "POST", "/api/v5/trade/order", body: body, changes: true, expiresIn: Self.orderDeadline)
        } catch .rejected(let why) where why.contains("okx 51016") {
            // OKX already has this clOrdId: answer with that order, never a second one (not found yet:
            // unknown, so the order manager asks again instead of forgetting a live order).
            guard let existing = try await self.order(order.clientOrderID, symbol: order.symbol) else {
                throw .unknownOutcome(why)
            }
            return existing
        }
        let venueID = (data.first as? [String: Any]).map { OKXOrderDecoding.text($0, "ordId") }
        // The placement answer has no state; the order's own record does (a market order may be filled).
        if let placed = try? await self.order(order.clientOrderID, symbol: order.symbol) { return placed }
        return remember(
            VenueOrder(
                clientOrderID: order.clientOrderID, venueOrderID: venueID, symbol: order.symbol, side: order.side,
                type: order.type, quantity: order.quantity, price: order.price, stopPrice: nil, status: .accepted,
                filledQuantity: .zero, averageFillPrice: nil, updatedAt: client.offset.venueTime(local: client.now())))
    }

    /// Reads the account's position mode and sets the leverage of a swap, once each.
    /// - Returns: the position mode (`long_short_mode` or `net_mode`).
    func prepare(_ instrument: OKXInstrument, setLeverage: Bool) async throws(ExecutionError) -> String {
        var mode = state.withLock { $0.positionMode }
        if mode == nil {
            let data = try await client.signed("GET", "/api/v5/account/config", changes: false)
            guard let config = data.first as? [String: Any], let read = config["posMode"] as? String else {
                throw .retryable("okx account/config: no posMode")
            }
            state.withLock { $0.positionMode = read }
            mode = read
        }
        let positionMode = mode ?? "net_mode"
        if setLeverage, let leverage, !state.withLock({ $0.leveraged.contains(instrument.id) }) {
            // Isolated margin in long/short mode keeps one leverage per side.
            let sides = marginMode == .isolated && positionMode == "long_short_mode" ? ["long", "short"] : [nil]
            for side in sides {
                var fields = [("instId", instrument.id), ("lever", String(leverage)), ("mgnMode", marginMode.rawValue)]
                if let side { fields.append(("posSide", side)) }
                // Setting the same leverage twice is harmless: a lost answer is simply asked again.
                _ = try await client.signed(
                    "POST", "/api/v5/account/set-leverage", body: OKXOrderDecoding.body(fields), changes: false)
            }
            state.withLock { _ = $0.leveraged.insert(instrument.id) }
        }
        return positionMode
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder {
        let instrument = try await instrument(symbol)
        let body = OKXOrderDecoding.body([("instId", instrument.id), ("clOrdId", try OKXOrderID.encode(id))])
        do {
            _ = try await client.signed("POST", "/api/v5/trade/cancel-order", body: body, changes: true)
        } catch .rejected(let why) where ["51400", "51401", "51402"].contains(where: { why.contains("okx \($0)") }) {
            // Filled, cancelled or unknown already: the order's own record says which.
            guard let order = try await order(id, symbol: symbol) else { throw .rejected(why) }
            return order
        }
        guard let order = try await order(id, symbol: symbol) else {
            throw .retryable("okx: cancelled \(id), but OKX does not find it")
        }
        return order
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder? {
        let instrument = try await instrument(symbol)
        let data: [Any]
        do {
            data = try await client.signed(
                "GET", "/api/v5/trade/order",
                query: [("instId", instrument.id), ("clOrdId", try OKXOrderID.encode(id))], changes: false)
        } catch .rejected(let why) where why.contains("okx 51603") {
            return nil
        }
        guard let entry = data.first as? [String: Any] else { return nil }
        var order = try OKXOrderDecoding.order(entry, instrument: instrument, "order")
        order.clientOrderID = id
        return remember(order)
    }

    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [VenueOrder] {
        var requests: [(type: String, id: String?)] = [("SPOT", nil), ("SWAP", nil)]
        if let symbol {
            let instrument = try await instrument(symbol)
            requests = [(instrument.isSwap ? "SWAP" : "SPOT", instrument.id)]
        }
        var result: [VenueOrder] = []
        for (type, id) in requests {
            var query = [("instType", type)]
            if let id { query.append(("instId", id)) }
            let data = try await client.signed("GET", "/api/v5/trade/orders-pending", query: query, changes: false)
            for case let entry as [String: Any] in data {
                guard let instrument = try await instrument(id: OKXOrderDecoding.text(entry, "instId"), type: type)
                else { continue }
                result.append(remember(try OKXOrderDecoding.order(entry, instrument: instrument, "orders-pending")))
            }
        }
        return result
    }

    /// Fills from `/api/v5/trade/fills` (the last 3 days, the larger rate limit, what the update poll reads)
    /// or, for an older `since`, `/api/v5/trade/fills-history` (the last 3 months); 100 at a time from the
    /// newest back to `since`, returned oldest first.
    public func fills(symbol: Symbol, since: Int64) async throws(ExecutionError) -> [Fill] {
        let instrument = try await instrument(symbol)
        let recent = client.offset.venueTime(local: client.now()) - since < 3 * 86_400_000 - 3_600_000
        let path = recent ? "/api/v5/trade/fills" : "/api/v5/trade/fills-history"
        var fills: [Fill] = []
        var cursor: String?
        while true {
            var query = [
                ("instType", instrument.isSwap ? "SWAP" : "SPOT"), ("instId", instrument.id),
                ("begin", String(max(0, since))), ("limit", "100"),
            ]
            if let cursor { query.append(("after", cursor)) }
            let page = try await client.signed("GET", path, query: query, changes: false)
                .compactMap { $0 as? [String: Any] }
            for entry in page {
                guard let id = OKXOrderID.decode(OKXOrderDecoding.text(entry, "clOrdId")) else { continue }
                fills.append(try OKXOrderDecoding.fill(entry, instrument: instrument, clientOrderID: id))
            }
            let last = page.last.map { OKXOrderDecoding.text($0, "billId") } ?? ""
            guard page.count == 100, !last.isEmpty, last != cursor else { break }
            cursor = last
        }
        return fills.filter { $0.timestamp >= since }.sorted { ($0.timestamp, $0.tradeID) < ($1.timestamp, $1.tradeID) }
    }

    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        try await client.balances()
    }

    public func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        let instrument = try await client.instrument(symbol)
        state.withLock { $0.instruments[instrument.id] = instrument }
        return instrument.rules
    }

    /// Open swap positions in base quantities (`/api/v5/account/positions`): positive long, negative short.
    public func positions() async throws(ExecutionError) -> [Symbol: Quantity] {
        let data = try await client.signed(
            "GET", "/api/v5/account/positions", query: [("instType", "SWAP")], changes: false)
        var result: [Symbol: Quantity] = [:]
        for case let entry as [String: Any] in data {
            guard let instrument = try await instrument(id: OKXOrderDecoding.text(entry, "instId"), type: "SWAP")
            else { continue }
            let contracts = try OKXOrderDecoding.decimal(entry, "pos", "positions")
            // In long/short mode `pos` is positive on both sides; `posSide` says which.
            let signed = OKXOrderDecoding.text(entry, "posSide") == "short" ? -contracts.magnitude : contracts
            result[instrument.symbol, default: .zero] += instrument.base(forContracts: signed)
        }
        return result.filter { !$0.value.isZero }
    }

    /// Order changes and new fills of the symbols this client has traded, polled every ``pollInterval``:
    /// open orders are read, an order that left them is queried once for its final state, and fills come
    /// from the fill history. Each change and each fill is reported once.
    public func updates() -> AsyncStream<ExecutionUpdate> {
        let (stream, continuation) = AsyncStream<ExecutionUpdate>.makeStream()
        let log = VenueUpdateLog(continuation)
        let task = Task { [self] in await poll(log) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func poll(_ log: VenueUpdateLog) async {
        var since = client.now() - 60_000
        while !Task.isCancelled {
            do {
                since = try await log.restPass(
                    self, symbols: state.withLock({ $0.symbols }).sorted(),
                    known: { state.withLock { Array($0.orders.values) } }, since: since)
                await log.wait(pollInterval)
            } catch ExecutionError.rateLimited(let wait, _) {
                try? await Task.sleep(for: .milliseconds(wait))
            } catch {
                client.logger.warning("okx order updates: \(error); asking again in \(pollInterval)")
                await log.wait(pollInterval)
            }
        }
        log.finish()
    }

    /// Records an order this client has seen.
    func remember(_ order: VenueOrder) -> VenueOrder {
        state.withLock {
            $0.symbols.insert(order.symbol)
            $0.orders[order.clientOrderID] = order
        }
        return order
    }
}
