import Foundation
import HTTPTypes
import PetrelCore
import Synchronization

/// One order in the fake's book.
struct FakeOrder: Sendable {
    var id: Int64
    var clientID: String
    var symbol: String
    var side: String
    var type: String
    var timeInForce: String?
    var quantity: FixedPoint
    var price: FixedPoint?
    var stopPrice: FixedPoint?
    var executed: FixedPoint = .zero
    var quoteExecuted: FixedPoint = .zero
    var status = "NEW"
    var time: Int64
    var updateTime: Int64

    var isOpen: Bool { status == "NEW" || status == "PARTIALLY_FILLED" }
}

/// One execution in the fake.
struct FakeTrade: Sendable {
    var id: Int64
    var orderID: Int64
    var symbol: String
    var isBuyer: Bool
    var price: FixedPoint
    var quantity: FixedPoint
    var commission: FixedPoint
    var commissionAsset: String
    var isMaker: Bool
    var time: Int64
}

/// The fake's matching engine: market orders take the book's best price at once, marketable limit orders
/// fill at their price or better, others rest (their funds locked) until ``FakeBinance/setPrices(_:bid:ask:last:)``
/// crosses them; stops trigger on the last price. Commission 0.1 % of what is received. Orders are checked
/// against the symbol's filters and the balances the way Binance answers (-1013, -2010).
extension FakeBinance {
    static let commissionRate = FixedPoint("0.001")!

    /// Every order the fake holds (any status).
    public var orderCount: Int { state.withLock { $0.orders.count } }

    /// The fake's orders with this client id (a duplicate check: never more than one).
    public func orders(clientID: String) -> Int {
        state.withLock { $0.orders.filter { $0.clientID == clientID }.count }
    }

    /// Moves the book of `id`; resting orders it crosses fill.
    public func setPrices(_ id: String, bid: String, ask: String, last: String) {
        state.withLock { state in
            guard let index = state.instruments.firstIndex(where: { $0.id == id }) else { return }
            state.instruments[index].bid = bid
            state.instruments[index].ask = ask
            state.instruments[index].last = last
            let instrument = state.instruments[index]
            for orderIndex in state.orders.indices
            where state.orders[orderIndex].symbol == id && state.orders[orderIndex].isOpen {
                Self.match(&state, orderIndex, instrument, maker: true, now: Self.time(state))
            }
        }
        publishExecutionReports()
    }

    /// A balance now (free, locked) as decimal text.
    public func balance(_ asset: String) -> (free: String, locked: String)? { state.withLock { $0.balances[asset] } }

    func newOrder(_ p: [String: String]) throws -> String {
        try state.withLock { (state) throws -> String in
            guard let id = p["symbol"], let instrument = state.instruments.first(where: { $0.id == id }) else {
                throw Refusal(status: .badRequest, code: -1121, message: "Invalid symbol.")
            }
            guard instrument.status == "TRADING" else {
                throw Refusal(status: .badRequest, code: -1013, message: "Market is closed.")
            }
            let clientID = p["newClientOrderId"] ?? "fake\(state.nextID)"
            if state.orders.contains(where: { $0.clientID == clientID && $0.isOpen }) {
                throw Refusal(status: .badRequest, code: -2010, message: "Duplicate order sent.")
            }
            guard let side = p["side"], ["BUY", "SELL"].contains(side), let type = p["type"],
                ["MARKET", "LIMIT", "LIMIT_MAKER", "STOP_LOSS", "STOP_LOSS_LIMIT"].contains(type)
            else {
                throw Refusal(
                    status: .badRequest, code: -1102,
                    message: "Mandatory parameter 'side' or 'type' was not sent, was empty/null, or malformed.")
            }
            guard let quantity = p["quantity"].flatMap(FixedPoint.init), quantity.isPositive else {
                throw Refusal(
                    status: .badRequest, code: -1102,
                    message: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.")
            }
            let price = p["price"].flatMap(FixedPoint.init)
            let stop = p["stopPrice"].flatMap(FixedPoint.init)
            if ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT"].contains(type), price == nil {
                throw Refusal(
                    status: .badRequest, code: -1102,
                    message: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.")
            }
            if type.hasPrefix("STOP"), stop == nil {
                throw Refusal(
                    status: .badRequest, code: -1102,
                    message: "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.")
            }
            let step = FixedPoint(instrument.stepSize)!
            let tick = FixedPoint(instrument.tickSize)!
            guard quantity >= FixedPoint(instrument.minQty)!, quantity <= FixedPoint(instrument.maxQty)!,
                (try? quantity.rounded(toStep: step, rule: .down)) == quantity
            else {
                throw Refusal(status: .badRequest, code: -1013, message: "Filter failure: LOT_SIZE")
            }
            for value in [price, stop].compactMap({ $0 }) where (try? value.rounded(toStep: tick, rule: .down)) != value
            {
                throw Refusal(status: .badRequest, code: -1013, message: "Filter failure: PRICE_FILTER")
            }
            let reference = price ?? FixedPoint(side == "BUY" ? instrument.ask : instrument.bid)!
            guard mul(quantity, reference) >= FixedPoint(instrument.minNotional)! else {
                throw Refusal(status: .badRequest, code: -1013, message: "Filter failure: \(instrument.notionalFilter)")
            }
            let ask = FixedPoint(instrument.ask)!
            let bid = FixedPoint(instrument.bid)!
            if type == "LIMIT_MAKER", let price, side == "BUY" ? price >= ask : price <= bid {
                throw Refusal(status: .badRequest, code: -2010, message: "Order would immediately match and take.")
            }
            // Funds: a buy needs the quote at the reference price, a sell needs the base.
            let (asset, needed) =
                side == "BUY" ? (instrument.quote, mul(quantity, reference)) : (instrument.base, quantity)
            let free = state.balances[asset].flatMap { FixedPoint($0.free) } ?? .zero
            guard free >= needed else {
                throw Refusal(
                    status: .badRequest, code: -2010, message: "Account has insufficient balance for requested action.")
            }
            let now = Self.time(state)
            let order = FakeOrder(
                id: state.nextID, clientID: clientID, symbol: id, side: side, type: type,
                timeInForce: p["timeInForce"], quantity: quantity, price: price, stopPrice: stop, time: now,
                updateTime: now)
            state.nextID += 1
            state.orders.append(order)
            Self.adjust(&state, asset, free: -needed, locked: needed)
            Self.match(&state, state.orders.count - 1, instrument, maker: false, now: now)
            return Self.json(state.orders[state.orders.count - 1], transact: true)
        }
    }

    /// Fills order `index` if the book allows it now; an IOC remainder expires.
    static func match(_ state: inout State, _ index: Int, _ instrument: Instrument, maker: Bool, now: Int64) {
        var order = state.orders[index]
        let ask = FixedPoint(instrument.ask)!
        let bid = FixedPoint(instrument.bid)!
        let last = FixedPoint(instrument.last)!
        let buy = order.side == "BUY"
        var fillPrice: FixedPoint?
        switch order.type {
        case "MARKET":
            fillPrice = buy ? ask : bid
        case "LIMIT", "LIMIT_MAKER":
            if let price = order.price, buy ? ask <= price : bid >= price {
                fillPrice = maker ? price : (buy ? ask : bid)
            }
        case "STOP_LOSS":
            if let stop = order.stopPrice, buy ? last >= stop : last <= stop { fillPrice = buy ? ask : bid }
        default:
            if let stop = order.stopPrice, let price = order.price, buy ? last >= stop : last <= stop,
                buy ? ask <= price : bid >= price
            {
                fillPrice = price
            }
        }
        let reserved = buy ? mul(order.quantity, order.price ?? ask) : order.quantity
        guard let price = fillPrice else {
            if order.timeInForce == "IOC" || order.timeInForce == "FOK" {
                order.status = "EXPIRED"
                order.updateTime = now
                adjust(&state, buy ? instrument.quote : instrument.base, free: reserved, locked: -reserved)
            }
            state.orders[index] = order
            return
        }
        let quantity = order.quantity - order.executed
        let notional = mul(quantity, price)
        let commission = mul(buy ? quantity : notional, commissionRate)
        order.executed = order.quantity
        order.quoteExecuted = order.quoteExecuted + notional
        order.status = "FILLED"
        order.updateTime = now
        state.orders[index] = order
        // Release the reservation, pay, receive net of commission.
        if buy {
            adjust(&state, instrument.quote, free: reserved - notional, locked: -reserved)
            adjust(&state, instrument.base, free: quantity - commission, locked: .zero)
        } else {
            adjust(&state, instrument.base, free: .zero, locked: -reserved)
            adjust(&state, instrument.quote, free: notional - commission, locked: .zero)
        }
        state.trades.append(
            FakeTrade(
                id: state.nextID, orderID: order.id, symbol: order.symbol, isBuyer: buy, price: price,
                quantity: quantity,
                commission: commission, commissionAsset: buy ? instrument.base : instrument.quote, isMaker: maker,
                time: now))
        state.nextID += 1
    }

    /// The venue's clock, read inside the state's lock.
    static func time(_ state: State) -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) + state.clockSkew }

    static func adjust(_ state: inout State, _ asset: String, free: FixedPoint, locked: FixedPoint) {
        let current = state.balances[asset] ?? ("0", "0")
        let newFree = (FixedPoint(current.free) ?? .zero) + free
        let newLocked = (FixedPoint(current.locked) ?? .zero) + locked
        state.balances[asset] = (newFree.description, newLocked.description)
    }

    func found(_ state: State, _ p: [String: String]) throws -> Int {
        let index = state.orders.lastIndex { order in
            order.symbol == p["symbol"]
                && (p["origClientOrderId"].map { order.clientID == $0 } ?? p["orderId"].map { String(order.id) == $0 }
                    ?? false)
        }
        guard let index else { throw Refusal(status: .badRequest, code: -2013, message: "Order does not exist.") }
        return index
    }

    func queryOrder(_ p: [String: String]) throws -> String {
        try state.withLock { (state) throws -> String in Self.json(state.orders[try found(state, p)], transact: false) }
    }

    func cancelOrder(_ p: [String: String]) throws -> String {
        try state.withLock { (state) throws -> String in
            let index: Int
            do {
                index = try found(state, p)
            } catch {
                throw Refusal(status: .badRequest, code: -2011, message: "Unknown order sent.")
            }
            var order = state.orders[index]
            guard order.isOpen else { throw Refusal(status: .badRequest, code: -2011, message: "Unknown order sent.") }
            guard let instrument = state.instruments.first(where: { $0.id == order.symbol }) else {
                throw Refusal(status: .badRequest, code: -1121, message: "Invalid symbol.")
            }
            let buy = order.side == "BUY"
            let reserved = buy ? mul(order.quantity, order.price ?? FixedPoint(instrument.ask)!) : order.quantity
            Self.adjust(&state, buy ? instrument.quote : instrument.base, free: reserved, locked: -reserved)
            order.status = "CANCELED"
            order.updateTime = Self.time(state)
            state.orders[index] = order
            var text = Self.json(order, transact: true)
            // The cancel's answer: the order as origClientOrderId, the cancel request as clientOrderId.
            text = text.replacingOccurrences(
                of: #""clientOrderId":"\#(order.clientID)""#,
                with: #""origClientOrderId":"\#(order.clientID)","clientOrderId":"cancel\#(order.id)""#)
            return text
        }
    }

    func openOrders(_ p: [String: String]) -> String {
        let open = state.withLock { $0.orders }.filter { order in
            order.isOpen && (p["symbol"].map { order.symbol == $0 } ?? true)
        }
        return "[" + open.map { Self.json($0, transact: false) }.joined(separator: ",") + "]"
    }

    func myTrades(_ p: [String: String]) throws -> String {
        guard let symbol = p["symbol"] else {
            throw Refusal(
                status: .badRequest, code: -1102,
                message: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")
        }
        let start = p["startTime"].flatMap(Int64.init) ?? Int64.min
        let end = p["endTime"].flatMap(Int64.init) ?? Int64.max
        if p["startTime"] != nil, p["endTime"] != nil, end - start >= 86_400_000 {
            throw Refusal(
                status: .badRequest, code: -1127, message: "More than 24 hours between startTime and endTime.")
        }
        let from = p["fromId"].flatMap(Int64.init) ?? Int64.min
        let limit = min(1_000, p["limit"].flatMap(Int.init) ?? 500)
        let trades = state.withLock { $0.trades }.filter {
            $0.symbol == symbol && $0.time >= start && $0.time <= end && $0.id >= from
        }
        .prefix(limit)
        return "["
            + trades.map { t in
                #"{"symbol":"\#(t.symbol)","id":\#(t.id),"orderId":\#(t.orderID),"orderListId":-1,"price":"\#(t.price)","qty":"\#(t.quantity)","quoteQty":"\#(mul(t.price, t.quantity))","commission":"\#(t.commission)","commissionAsset":"\#(t.commissionAsset)","time":\#(t.time),"isBuyer":\#(t.isBuyer),"isMaker":\#(t.isMaker),"isBestMatch":true}"#
            }.joined(separator: ",") + "]"
    }

    static func json(_ o: FakeOrder, transact: Bool) -> String {
        var members = [
            #""symbol":"\#(o.symbol)""#, #""orderId":\#(o.id)"#, #""orderListId":-1"#,
            #""clientOrderId":"\#(o.clientID)""#,
            #""price":"\#(o.price ?? .zero)""#, #""origQty":"\#(o.quantity)""#, #""executedQty":"\#(o.executed)""#,
            #""cummulativeQuoteQty":"\#(o.quoteExecuted)""#, #""status":"\#(o.status)""#,
            #""timeInForce":"\#(o.timeInForce ?? "GTC")""#, #""type":"\#(o.type)""#, #""side":"\#(o.side)""#,
            #""stopPrice":"\#(o.stopPrice ?? .zero)""#, #""workingTime":\#(o.time)"#,
            #""selfTradePreventionMode":"NONE""#,
        ]
        members.append(
            transact
                ? #""transactTime":\#(o.updateTime)"#
                : #""time":\#(o.time),"updateTime":\#(o.updateTime),"isWorking":true"#)
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// `a × b` rounded to the fixed-point scale (the fake's amounts are far from overflowing).
func mul(_ a: FixedPoint, _ b: FixedPoint) -> FixedPoint { (try? a.multiplied(by: b)) ?? .zero }
