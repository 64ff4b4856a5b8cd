import Foundation
import HTTPTypes
import Hummingbird
import PetrelCore
import Synchronization

/// One order in the fake OKX's book.
struct FakeOKXOrder: Sendable {
    var id: Int64
    var clientID: String
    var instID: String
    var type: String
    var side: String
    var posSide: String
    var ordType: String
    /// Contracts (swaps), base (spot), or quote currency for a spot market order with `tgtCcy` `quote_ccy`.
    var size: FixedPoint
    var quoteSized: Bool
    var price: FixedPoint?
    var reduceOnly: Bool
    var tdMode: String
    var filled: FixedPoint = .zero
    var average: FixedPoint?
    var fee: FixedPoint = .zero
    var feeCurrency = ""
    var state = "live"
    var created: Int64
    var updated: Int64

    var isOpen: Bool { state == "live" || state == "partially_filled" }
}

/// One execution in the fake OKX.
struct FakeOKXFill: Sendable {
    var billID: Int64
    var tradeID: Int64
    var orderID: Int64
    var clientID: String
    var instID: String
    var type: String
    var side: String
    var posSide: String
    var price: FixedPoint
    /// Contracts (swaps) or base.
    var size: FixedPoint
    /// Negative: charged (OKX's sign).
    var fee: FixedPoint
    var feeCurrency: String
    var maker: Bool
    var time: Int64
}

/// A swap position: contracts (signed in net mode) and their average price.
struct FakeOKXPosition: Sendable {
    var contracts: FixedPoint = .zero
    var average: FixedPoint = .zero
}

/// The fake OKX's trading side (EXCHANGE-APIS.md §2.6–2.7): orders by `clOrdId` with OKX's checks and
/// per-item `sCode`s (51000 parameter, 51001 instrument, 51008 balance, 51016 duplicate clOrdId, 51020 and
/// 51121 size, 51169 nothing to reduce), a matching engine (market orders take the best bid or ask, marketable
/// limits fill at once, others rest until ``setPrice(_:bid:ask:last:)`` crosses them, post-only orders that
/// would take are cancelled), spot balances (fee 0.1 % of what is received), swap positions in contracts in
/// net or long/short mode (fee 0.05 % of notional in USDT, realized profit on reduction), leverage and the
/// fill history newest first.
extension FakeOKX {
    static let spotFee = FixedPoint("0.001")!
    static let swapFee = FixedPoint("0.0005")!

    func routeOrders(_ router: Router<BasicRequestContext>) {
        router.post("/api/v5/trade/order") { request, _ in
            await self.answer(request, signed: true) { _, body in try self.placeOrder(body) }
        }
        router.post("/api/v5/trade/cancel-order") { request, _ in
            await self.answer(request, signed: true) { _, body in try self.cancelOrder(body) }
        }
        router.get("/api/v5/trade/order") { request, _ in
            await self.answer(request, signed: true) { query, _ in try self.queryOrder(query) }
        }
        router.get("/api/v5/trade/orders-pending") { request, _ in
            await self.answer(request, signed: true) { query, _ in self.pendingOrders(query) }
        }
        router.get("/api/v5/trade/fills-history") { request, _ in
            await self.answer(request, signed: true) { query, _ in try self.fillHistory(query) }
        }
        router.get("/api/v5/trade/fills") { request, _ in
            await self.answer(request, signed: true) { query, _ in try self.fillHistory(query, days: 3) }
        }
        router.get("/api/v5/account/config") { request, _ in
            await self.answer(request, signed: true) { _, _ in
                #"[{"uid":"44705892343619584","acctLv":"2","posMode":"\#(self.state.withLock { $0.positionMode })","autoLoan":false}]"#
            }
        }
        router.post("/api/v5/account/set-leverage") { request, _ in
            await self.answer(request, signed: true) { _, body in try self.setLeverage(body) }
        }
        router.get("/api/v5/account/positions") { request, _ in
            await self.answer(request, signed: true) { _, _ in self.positions() }
        }
    }

    /// A failed item of a trade request: HTTP 200, code `1`, the item's `sCode` and `sMsg`.
    struct ItemFailure: Error {
        var clientID: String
        var code: String
        var message: String
    }

    // MARK: Scripting and inspection

    /// `net_mode` (default) or `long_short_mode`.
    public func setPositionMode(_ mode: String) { state.withLock { $0.positionMode = mode } }

    /// Every order the fake holds (any state).
    public var orderCount: Int { state.withLock { $0.orders.count } }

    /// The fake's orders with this `clOrdId` (a duplicate check: never more than one).
    public func orders(clientID: String) -> Int {
        state.withLock { $0.orders.filter { $0.clientID == clientID }.count }
    }

    /// The `sz` (as sent) and state of the order with this `clOrdId`.
    public func order(clientID: String) -> (size: String, state: String, posSide: String, tdMode: String)? {
        state.withLock { state in
            state.orders.first { $0.clientID == clientID }.map {
                ($0.size.description, $0.state, $0.posSide, $0.tdMode)
            }
        }
    }

    /// The leverage last set for `instID` (with its margin mode and, in long/short isolated, position side).
    public func leverage(_ instID: String, mode: String = "cross", side: String = "") -> String? {
        state.withLock { $0.leverage["\(instID)|\(mode)|\(side)"] }
    }

    /// A swap position in contracts (`net`: signed; `long`/`short`: each side's size).
    public func position(_ instID: String, side: String = "net") -> FixedPoint {
        state.withLock { $0.positions["\(instID)|\(side)"]?.contracts ?? .zero }
    }

    /// Available and frozen balance of a currency.
    public func balance(_ currency: String) -> (available: FixedPoint, frozen: FixedPoint) {
        state.withLock { $0.balances[currency] ?? (.zero, .zero) }
    }

    /// Moves the book of `id`; resting limit orders it crosses fill at their price.
    public func setPrice(_ id: String, bid: String, ask: String, last: String) {
        state.withLock { state in
            guard let index = state.instruments.firstIndex(where: { $0.id == id }) else { return }
            state.instruments[index].bid = bid
            state.instruments[index].ask = ask
            state.instruments[index].last = last
            let instrument = state.instruments[index]
            let time = Int64(Date().timeIntervalSince1970 * 1_000) + state.clockSkew
            for order in state.orders.indices where state.orders[order].instID == id && state.orders[order].isOpen {
                let o = state.orders[order]
                guard let price = o.price, o.ordType != "market",
                    o.side == "buy" ? price >= FixedPoint(ask)! : price <= FixedPoint(bid)!
                else { continue }
                Self.fill(&state, order, instrument, price: price, maker: true, now: time)
            }
        }
    }

    // MARK: Requests

    func placeOrder(_ body: [String: Any]) throws -> String {
        func field(_ key: String) throws -> String {
            guard let value = body[key] as? String, !value.isEmpty else {
                throw Refusal(status: .badRequest, code: "50014", message: "Parameter \(key) can not be empty.")
            }
            return value
        }
        let clientID = body["clOrdId"] as? String ?? ""
        func fail(_ code: String, _ message: String) -> ItemFailure {
            ItemFailure(clientID: clientID, code: code, message: message)
        }
        let instID = try field("instId")
        let tdMode = try field("tdMode")
        let side = try field("side")
        let ordType = try field("ordType")
        guard let size = FixedPoint(try field("sz")), size.isPositive else { throw fail("51000", "Parameter sz error") }
        guard side == "buy" || side == "sell" else { throw fail("51000", "Parameter side error") }
        guard ["market", "limit", "post_only", "ioc", "fok"].contains(ordType) else {
            throw fail("51000", "Parameter ordType error")
        }
        guard clientID.count <= 32, clientID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw fail("51000", "Parameter clOrdId error")
        }
        let reduceOnly = body["reduceOnly"] as? Bool ?? false
        return try state.withLock { state in
            let time = Int64(Date().timeIntervalSince1970 * 1_000) + state.clockSkew
            guard let instrument = state.instruments.first(where: { $0.id == instID }), instrument.state == "live"
            else { throw fail("51001", "Instrument ID or Spread ID doesn't exist.") }
            let swap = instrument.type == "SWAP"
            guard swap ? ["cross", "isolated"].contains(tdMode) : tdMode == "cash" else {
                throw fail("51000", "Parameter tdMode error")
            }
            if !clientID.isEmpty, state.orders.contains(where: { $0.clientID == clientID }) {
                throw fail("51016", "Duplicated clOrdId")
            }
            var posSide = body["posSide"] as? String ?? ""
            if swap {
                if state.positionMode == "long_short_mode" {
                    guard posSide == "long" || posSide == "short" else {
                        throw fail("51000", "Parameter posSide error")
                    }
                    guard !reduceOnly else { throw fail("51000", "Parameter reduceOnly error") }
                } else {
                    guard posSide.isEmpty || posSide == "net" else { throw fail("51000", "Parameter posSide error") }
                    posSide = "net"
                }
            }
            let quoteSized =
                !swap && ordType == "market"
                && (body["tgtCcy"] as? String ?? (side == "buy" ? "quote_ccy" : "base_ccy")) == "quote_ccy"
            if !quoteSized {
                guard size.isMultiple(ofStep: FixedPoint(instrument.lotSize)!) else {
                    throw fail("51121", "Order quantity must be a multiple of the lot size.")
                }
                guard size >= FixedPoint(instrument.minSize)! else {
                    throw fail("51020", "Order quantity must be greater than or equal to the minimum order quantity.")
                }
            }
            var price: FixedPoint?
            if ordType != "market" {
                guard let text = body["px"] as? String, let px = FixedPoint(text), px.isPositive,
                    px.isMultiple(ofStep: FixedPoint(instrument.tickSize)!)
                else { throw fail("51000", "Parameter px error") }
                price = px
            }
            let reference =
                price ?? FixedPoint(
                    side == "buy" ? (instrument.ask ?? instrument.last) : (instrument.bid ?? instrument.last))!
            if swap {
                let key = "\(instID)|\(posSide)"
                let held = state.positions[key]?.contracts ?? .zero
                let reduces =
                    posSide == "net"
                    ? (side == "buy" ? held.isNegative : held.isPositive) : (posSide == "long") == (side == "sell")
                if reduceOnly || (posSide != "net" && reduces) {
                    guard reduces, held.magnitude >= size else {
                        throw fail(
                            "51169",
                            "Order failed because you don't have any positions in this direction for this contract to reduce or close."
                        )
                    }
                } else {
                    let lever = FixedPoint(
                        state.leverage["\(instID)|\(tdMode)|\(posSide == "net" ? "" : posSide)"] ?? "10")!
                    let margin =
                        (try? size.multiplied(by: FixedPoint(instrument.contractValue)!).multiplied(by: reference)
                            .divided(by: lever)) ?? .zero
                    guard (state.balances["USDT"]?.available ?? .zero) >= margin else {
                        throw fail("51008", "Order failed. Insufficient USDT margin in account")
                    }
                }
            } else {
                let cost = quoteSized ? size : side == "buy" ? ((try? size.multiplied(by: reference)) ?? .zero) : size
                let currency = side == "buy" ? "USDT" : instrument.base
                guard (state.balances[currency]?.available ?? .zero) >= cost else {
                    throw fail("51008", "Order failed. Insufficient \(currency) balance in account")
                }
                if ordType != "market" {
                    state.balances[currency]!.available -= cost
                    state.balances[currency]!.frozen += cost
                }
            }
            state.nextID += 1
            let order = FakeOKXOrder(
                id: state.nextID, clientID: clientID, instID: instID, type: instrument.type, side: side,
                posSide: posSide, ordType: ordType, size: size, quoteSized: quoteSized, price: price,
                reduceOnly: reduceOnly, tdMode: tdMode, created: time, updated: time)
            state.orders.append(order)
            let index = state.orders.count - 1
            let ask = FixedPoint(instrument.ask ?? instrument.last)!
            let bid = FixedPoint(instrument.bid ?? instrument.last)!
            let crosses = price.map { side == "buy" ? $0 >= ask : $0 <= bid } ?? true
            if ordType == "post_only" && crosses || (ordType == "ioc" || ordType == "fok") && !crosses {
                Self.release(&state, index, instrument)
                state.orders[index].state = "canceled"
            } else if crosses {
                Self.fill(&state, index, instrument, price: side == "buy" ? ask : bid, maker: false, now: time)
            }
            return
                #"[{"clOrdId":"\#(clientID)","ordId":"\#(order.id)","tag":"","ts":"\#(time)","sCode":"0","sMsg":"Order placed"}]"#
        }
    }

    /// Returns a resting spot order's frozen funds.
    static func release(_ state: inout State, _ index: Int, _ instrument: Instrument) {
        let o = state.orders[index]
        guard o.type == "SPOT", o.ordType != "market" else { return }
        let remaining = o.size - o.filled
        let currency = o.side == "buy" ? "USDT" : instrument.base
        let amount = o.side == "buy" ? ((try? remaining.multiplied(by: o.price ?? .zero)) ?? .zero) : remaining
        state.balances[currency, default: (.zero, .zero)].frozen -= amount
        state.balances[currency, default: (.zero, .zero)].available += amount
    }

    /// Fills what is left of order `index` at `price`.
    static func fill(
        _ state: inout State, _ index: Int, _ instrument: Instrument, price: FixedPoint, maker: Bool, now: Int64
    ) {
        var o = state.orders[index]
        let rested = o.ordType != "market"
        var size = o.size - o.filled
        if o.quoteSized { size = (try? size.divided(by: price, rounding: .down)) ?? .zero }
        let buy = o.side == "buy"
        var fee: FixedPoint
        let feeCurrency: String
        if o.type == "SPOT" {
            let value = (try? size.multiplied(by: price)) ?? .zero
            if buy {
                fee = (try? size.multiplied(by: spotFee)) ?? .zero
                feeCurrency = instrument.base
                if rested {
                    let locked = (try? size.multiplied(by: o.price ?? price)) ?? .zero
                    state.balances["USDT", default: (.zero, .zero)].frozen -= locked
                    state.balances["USDT", default: (.zero, .zero)].available += locked - value
                } else {
                    state.balances["USDT", default: (.zero, .zero)].available -= value
                }
                state.balances[instrument.base, default: (.zero, .zero)].available += size - fee
            } else {
                fee = (try? value.multiplied(by: spotFee)) ?? .zero
                feeCurrency = "USDT"
                if rested {
                    state.balances[instrument.base, default: (.zero, .zero)].frozen -= size
                } else {
                    state.balances[instrument.base, default: (.zero, .zero)].available -= size
                }
                state.balances["USDT", default: (.zero, .zero)].available += value - fee
            }
        } else {
            let base = (try? size.multiplied(by: FixedPoint(instrument.contractValue)!)) ?? .zero
            let notional = (try? base.multiplied(by: price)) ?? .zero
            fee = (try? notional.multiplied(by: swapFee)) ?? .zero
            feeCurrency = "USDT"
            let key = "\(o.instID)|\(o.posSide)"
            var position = state.positions[key] ?? FakeOKXPosition()
            // Net mode: signed contracts; long/short mode: each side's size, positive.
            let delta = o.posSide == "net" ? (buy ? size : -size) : ((o.posSide == "long") == buy ? size : -size)
            let long =
                o.posSide == "net"
                ? position.contracts.isPositive || (position.contracts.isZero && buy) : o.posSide == "long"
            let reduces =
                !position.contracts.isZero
                && (o.posSide == "net" ? (position.contracts.isPositive != buy) : delta.isNegative)
            var realized = FixedPoint.zero
            if reduces {
                let closed =
                    (try? min(size, position.contracts.magnitude).multiplied(by: FixedPoint(instrument.contractValue)!))
                    ?? .zero
                let move = long ? price - position.average : position.average - price
                realized = (try? closed.multiplied(by: move)) ?? .zero
            } else {
                let old = (try? position.contracts.magnitude.multiplied(by: position.average)) ?? .zero
                let added = (try? size.multiplied(by: price)) ?? .zero
                position.average = (try? (old + added).divided(by: position.contracts.magnitude + size)) ?? price
            }
            position.contracts += delta
            if position.contracts.isZero { position.average = .zero }
            state.positions[key] = position
            state.balances["USDT", default: (.zero, .zero)].available += realized - fee
        }
        let previous = o.average.map { (try? $0.multiplied(by: o.filled)) ?? .zero } ?? .zero
        o.filled += size
        if o.quoteSized { o.size = o.filled }
        o.average = (try? (previous + ((try? size.multiplied(by: price)) ?? .zero)).divided(by: o.filled)) ?? price
        o.fee -= fee
        o.feeCurrency = feeCurrency
        o.state = "filled"
        o.updated = now
        state.orders[index] = o
        state.nextID += 1
        state.fills.append(
            FakeOKXFill(
                billID: state.nextID, tradeID: state.nextID, orderID: o.id, clientID: o.clientID, instID: o.instID,
                type: o.type, side: o.side, posSide: o.posSide, price: price, size: size, fee: -fee,
                feeCurrency: feeCurrency, maker: maker, time: now))
    }

    func cancelOrder(_ body: [String: Any]) throws -> String {
        let clientID = body["clOrdId"] as? String ?? ""
        let orderID = body["ordId"] as? String ?? ""
        guard let instID = body["instId"] as? String, !instID.isEmpty else {
            throw Refusal(status: .badRequest, code: "50014", message: "Parameter instId can not be empty.")
        }
        return try state.withLock { state in
            guard
                let index = state.orders.firstIndex(where: {
                    $0.instID == instID && (clientID.isEmpty ? String($0.id) == orderID : $0.clientID == clientID)
                })
            else {
                throw ItemFailure(
                    clientID: clientID, code: "51400",
                    message: "Cancellation failed as the order has been filled, canceled or does not exist.")
            }
            let order = state.orders[index]
            guard order.isOpen else {
                throw ItemFailure(
                    clientID: clientID, code: order.state == "filled" ? "51402" : "51401",
                    message: order.state == "filled" ? "Order has been completed." : "Order has been canceled.")
            }
            let instrument = state.instruments.first { $0.id == instID }!
            Self.release(&state, index, instrument)
            state.orders[index].state = "canceled"
            state.orders[index].updated = Int64(Date().timeIntervalSince1970 * 1_000) + state.clockSkew
            return
                #"[{"clOrdId":"\#(order.clientID)","ordId":"\#(order.id)","ts":"\#(state.orders[index].updated)","sCode":"0","sMsg":""}]"#
        }
    }

    func queryOrder(_ q: [String: String]) throws -> String {
        guard let instID = q["instId"] else {
            throw Refusal(status: .badRequest, code: "50014", message: "Parameter instId can not be empty.")
        }
        let found = state.withLock { state in
            state.orders.first { order in
                order.instID == instID
                    && (q["clOrdId"].map { order.clientID == $0 } ?? (String(order.id) == q["ordId"]))
            }
        }
        guard let found else { throw Refusal(status: .ok, code: "51603", message: "Order does not exist") }
        return "[" + Self.json(found) + "]"
    }

    func pendingOrders(_ q: [String: String]) -> String {
        let rows = state.withLock { $0.orders }.filter { order in
            order.isOpen && (q["instType"].map { order.type == $0 } ?? true)
                && (q["instId"].map { order.instID == $0 } ?? true)
        }
        return "[" + rows.reversed().map(Self.json).joined(separator: ",") + "]"
    }

    static func json(_ o: FakeOKXOrder) -> String {
        """
        {"instType":"\(o.type)","instId":"\(o.instID)","ordId":"\(o.id)","clOrdId":"\(o.clientID)","tag":"",\
        "px":"\(o.price.map(\.description) ?? "")","sz":"\(o.size)","ordType":"\(o.ordType)","side":"\(o.side)",\
        "posSide":"\(o.posSide)","tdMode":"\(o.tdMode)","tgtCcy":"\(o.quoteSized ? "quote_ccy" : "")",\
        "accFillSz":"\(o.filled)","avgPx":"\(o.average.map(\.description) ?? "")","state":"\(o.state)",\
        "reduceOnly":"\(o.reduceOnly)","fee":"\(o.fee)","feeCcy":"\(o.feeCurrency)","cancelSourceReason":"",\
        "cTime":"\(o.created)","uTime":"\(o.updated)"}
        """
    }

    /// `fills-history` (3 months, `instType` required) or, with `days` 3, `fills` (the last 3 days).
    func fillHistory(_ q: [String: String], days: Int64 = 90) throws -> String {
        guard
            let type = q["instType"] ?? (days == 3 ? q["instId"].map({ $0.hasSuffix("-SWAP") ? "SWAP" : "SPOT" }) : nil)
        else {
            throw Refusal(status: .badRequest, code: "50014", message: "Parameter instType can not be empty.")
        }
        let begin = max(q["begin"].flatMap(Int64.init) ?? 0, serverTime - days * 86_400_000)
        let after = q["after"].flatMap(Int64.init) ?? .max
        let limit = min(100, q["limit"].flatMap(Int.init) ?? 100)
        let rows = state.withLock { $0.fills }.filter { fill in
            fill.type == type && (q["instId"].map { fill.instID == $0 } ?? true) && fill.time >= begin
                && fill.billID < after
        }.sorted { $0.billID > $1.billID }.prefix(limit)
        return "["
            + rows.map { f in
                """
                {"instType":"\(f.type)","instId":"\(f.instID)","tradeId":"\(f.tradeID)","ordId":"\(f.orderID)",\
                "clOrdId":"\(f.clientID)","billId":"\(f.billID)","tag":"","fillPx":"\(f.price)","fillSz":"\(f.size)",\
                "side":"\(f.side)","posSide":"\(f.posSide)","execType":"\(f.maker ? "M" : "T")","feeCcy":"\(f.feeCurrency)",\
                "fee":"\(f.fee)","ts":"\(f.time)","fillTime":"\(f.time)"}
                """
            }.joined(separator: ",") + "]"
    }

    func setLeverage(_ body: [String: Any]) throws -> String {
        let instID = body["instId"] as? String ?? ""
        let mode = body["mgnMode"] as? String ?? ""
        let side = body["posSide"] as? String ?? ""
        guard let lever = body["lever"] as? String, let value = Int(lever), (1...125).contains(value) else {
            throw Refusal(status: .ok, code: "51000", message: "Parameter lever error")
        }
        guard mode == "cross" || mode == "isolated" else {
            throw Refusal(status: .ok, code: "51000", message: "Parameter mgnMode error")
        }
        return try state.withLock { state in
            guard state.instruments.contains(where: { $0.id == instID }) else {
                throw Refusal(status: .ok, code: "51001", message: "Instrument ID or Spread ID doesn't exist.")
            }
            if mode == "isolated", state.positionMode == "long_short_mode", side != "long", side != "short" {
                throw Refusal(status: .ok, code: "51000", message: "Parameter posSide error")
            }
            state.leverage["\(instID)|\(mode)|\(side)"] = lever
            return #"[{"instId":"\#(instID)","lever":"\#(lever)","mgnMode":"\#(mode)","posSide":"\#(side)"}]"#
        }
    }

    func positions() -> String {
        let rows = state.withLock { $0.positions }.filter { !$0.value.contracts.isZero }.sorted { $0.key < $1.key }
            .map { key, position in
                let parts = key.split(separator: "|")
                return
                    #"{"instType":"SWAP","instId":"\#(parts[0])","mgnMode":"cross","posSide":"\#(parts[1])","pos":"\#(position.contracts)","avgPx":"\#(position.average)","upl":"0","lever":"10"}"#
            }
        return "[" + rows.joined(separator: ",") + "]"
    }
}
