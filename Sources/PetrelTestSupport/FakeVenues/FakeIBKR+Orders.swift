import Foundation
import HTTPTypes
import PetrelCore
import Synchronization

extension FakeIBKR {
    /// `POST /iserver/account/{accountId}/orders`: checks the account and the order, refuses a scripted
    /// error or a repeated `cOID` with an error object, asks for the scripted confirmations (reply
    /// messages), else places the order and matches it at once.
    func place(account: String, body: Data) throws -> String {
        guard account == accountID else {
            throw Refusal(status: .badRequest, message: "Bad Request: accountId is not valid: \(account)")
        }
        guard case .object(let root)? = try? JSONValue.parse(body), case .array(let list)? = root["orders"],
            list.count == 1, case .object(let fields)? = list.first
        else { throw Refusal(status: .badRequest, message: "Bad Request: expected {\"orders\":[{…}]}") }
        func text(_ key: String) -> String? {
            switch fields[key] {
            case .string(let value)?: return value
            case .number(_, let value)?: return value
            default: return nil
            }
        }
        guard let conid = text("conid").flatMap({ Int64($0) }),
            state.withLock({ state in state.contracts.contains { $0.conid == conid } })
        else { throw Refusal(status: .badRequest, message: "Bad Request: unknown conid \(text("conid") ?? "-")") }
        guard let side = text("side"), ["BUY", "SELL"].contains(side), let type = text("orderType"),
            ["LMT", "MKT", "STP"].contains(type), let tif = text("tif"), ["DAY", "GTC", "IOC"].contains(tif),
            let quantity = text("quantity").flatMap({ FixedPoint($0) }), quantity.isPositive
        else { throw Refusal(status: .badRequest, message: "Bad Request: invalid side, orderType, tif or quantity") }
        let price = text("price").flatMap { FixedPoint($0) }
        if type != "MKT", price == nil {
            throw Refusal(status: .badRequest, message: "Bad Request: \(type) order needs a price")
        }
        let clientOrderID = text("cOID")
        return try state.withLock { state in
            if let error = state.errorNext {
                state.errorNext = nil
                return #"{"error":"\#(error)"}"#
            }
            if let clientOrderID,
                state.orders.contains(where: { $0.clientOrderID == clientOrderID })
                    || state.pending.values.contains(where: { $0.order.clientOrderID == clientOrderID })
            {
                return #"{"error":"Local order ID \#(clientOrderID) is already registered."}"#
            }
            guard quantity.rawValue % FixedPoint.scale == 0 else {
                throw Refusal(
                    status: .badRequest, message: "Bad Request: fractional quantity \(quantity) is not allowed")
            }
            let order = Order(
                orderID: 1_800_000_000 + state.next, conid: conid, side: side, type: type, tif: tif, quantity: quantity,
                price: price, clientOrderID: clientOrderID, updatedAt: Self.now)
            state.next += 1
            let confirmations = state.confirmationsNext
            state.confirmationsNext = 0
            if confirmations > 0 { return Self.ask(&state, Pending(order: order, remaining: confirmations)) }
            return Self.accept(&state, order)
        }
    }

    /// A reply message to confirm; its id is single-use.
    static func ask(_ state: inout State, _ pending: Pending) -> String {
        let id = UUID().uuidString.lowercased()
        state.pending[id] = pending
        let warnings = [
            "You are submitting an order without market data. We strongly recommend against this.",
            "This order will be directly routed to NASDAQ. Direct routing to an exchange may result in a higher execution price.",
            "The following order size exceeds the Size Limit of 500.",
        ]
        let message = warnings[(pending.remaining - 1) % warnings.count]
        return
            #"[{"id":"\#(id)","message":["\#(message)"],"isSuppressed":false,"messageIds":["o\#(354 + pending.remaining)"]}]"#
    }

    /// Places the order: matches it and answers the gateway's success shape.
    static func accept(_ state: inout State, _ order: Order) -> String {
        state.orders.append(order)
        let index = state.orders.count - 1
        match(&state, index)
        if state.orders[index].status == "Submitted", state.orders[index].tif == "IOC" {
            state.orders[index].status = "Cancelled"
        }
        return
            #"[{"order_id":"\#(order.orderID)","order_status":"\#(state.orders[index].status)","encrypt_message":"1"}]"#
    }

    /// `POST /iserver/reply/{replyId}` with `{"confirmed":true}`: the next warning, or the order placed.
    /// An unknown or already used reply id is refused.
    func reply(_ id: String, body: Data) throws -> String {
        let confirmed: Bool
        if case .object(let fields)? = try? JSONValue.parse(body), case .bool(let flag)? = fields["confirmed"] {
            confirmed = flag
        } else {
            throw Refusal(status: .badRequest, message: "Bad Request: expected {\"confirmed\":true}")
        }
        return try state.withLock { state in
            guard var pending = state.pending.removeValue(forKey: id) else {
                throw Refusal(
                    status: .badRequest, message: "Bad Request: reply id \(id) is unknown or was already used")
            }
            guard confirmed else { return #"[{"error":"Order was not confirmed and has been cancelled"}]"# }
            pending.remaining -= 1
            if pending.remaining > 0 { return Self.ask(&state, pending) }
            return Self.accept(&state, pending.order)
        }
    }

    /// Fills a working order the prices reach: market at once (buy at the ask, sell at the bid), limit when
    /// the ask (buy) or bid (sell) reaches the limit, at that ask or bid; stop when the last trade reaches
    /// the stop, then as a market order. Commission: USD 0.005 a share, at least USD 1.
    static func match(_ state: inout State, _ index: Int) {
        let order = state.orders[index]
        guard order.status == "Submitted" || order.status == "PreSubmitted",
            let contract = state.contracts.first(where: { $0.conid == order.conid })
        else { return }
        let buy = order.side == "BUY"
        let touch = buy ? contract.ask : contract.bid
        let fills: Bool
        switch order.type {
        case "MKT": fills = true
        case "LMT": fills = buy ? touch <= order.price! : touch >= order.price!
        default: fills = buy ? contract.last >= order.price! : contract.last <= order.price!
        }
        guard fills, touch.isPositive else { return }
        let size = order.quantity - order.filled
        let value = try! touch.multiplied(by: size)
        let commission = Swift.max(FixedPoint("1.00")!, try! FixedPoint("0.005")!.multiplied(by: size))
        let now = Self.now
        state.orders[index].filled = order.quantity
        state.orders[index].notional = order.notional + value
        state.orders[index].status = "Filled"
        state.orders[index].updatedAt = now
        state.trades.append(
            Trade(
                executionID: String(format: "0000e0d5.%08x.01.01", state.next), orderID: order.orderID,
                clientOrderID: order.clientOrderID, conid: order.conid, side: order.side, size: size, price: touch,
                commission: commission, time: now))
        state.next += 1
        state.cash["USD", default: .zero] += buy ? -(value + commission) : value - commission
        state.positions[order.conid, default: .zero] += buy ? size : -size
    }

    /// `DELETE /iserver/account/{accountId}/order/{orderId}`.
    func cancel(account: String, id: String) throws -> String {
        guard account == accountID else {
            throw Refusal(status: .badRequest, message: "Bad Request: accountId is not valid: \(account)")
        }
        return try state.withLock { state in
            guard let index = state.orders.firstIndex(where: { "\($0.orderID)" == id }) else {
                throw Refusal(status: .badRequest, message: "OrderID \(id) doesn't exist")
            }
            guard state.orders[index].status == "Submitted" || state.orders[index].status == "PreSubmitted" else {
                return #"{"error":"OrderID \#(id) cannot be cancelled: it is \#(state.orders[index].status)"}"#
            }
            state.orders[index].status = "Cancelled"
            state.orders[index].updatedAt = Self.now
            return
                #"{"msg":"Request was submitted","order_id":\#(id),"conid":\#(state.orders[index].conid),"account":"\#(accountID)"}"#
        }
    }

    /// `GET /iserver/account/orders`: every order of the session, quantities as JSON numbers.
    func liveOrders() -> String {
        let rows = state.withLock { state in
            state.orders.map { order -> String in
                let ticker = state.contracts.first { $0.conid == order.conid }?.symbol ?? ""
                let names = ["LMT": ("LIMIT", "Limit"), "MKT": ("MARKET", "Market"), "STP": ("STOP", "Stop")][
                    order.type]!
                let price =
                    order.type == "LMT"
                    ? #","price":"\#(order.price!.formatted(minimumFractionDigits: 2))""#
                    : order.type == "STP" ? #","auxPrice":"\#(order.price!.formatted(minimumFractionDigits: 2))""# : ""
                let average =
                    order.filled.isPositive
                    ? #","avgPrice":"\#((try? order.notional.divided(by: order.filled)) ?? .zero)""# : ""
                let reference = order.clientOrderID.map { #","order_ref":"\#($0)""# } ?? ""
                return """
                    {"acct":"\(accountID)","conid":\(order.conid),"orderId":\(order.orderID),"cashCcy":"USD",\
                    "sizeAndFills":"\(order.filled)/\(order.quantity)","description1":"\(ticker)","ticker":"\(ticker)",\
                    "secType":"STK","listingExchange":"NASDAQ.NMS","remainingQuantity":\((order.quantity - order.filled).formatted(minimumFractionDigits: 1)),\
                    "filledQuantity":\(order.filled.formatted(minimumFractionDigits: 1)),"totalSize":\(order.quantity.formatted(minimumFractionDigits: 1)),\
                    "status":"\(order.status)","origOrderType":"\(names.0)","orderType":"\(names.1)","side":"\(order.side)",\
                    "timeInForce":"\(order.tif)","lastExecutionTime_r":\(order.updatedAt)\(price)\(average)\(reference)}
                    """
            }
        }
        return #"{"orders":[\#(rows.joined(separator: ","))],"snapshot":true}"#
    }

    /// `GET /iserver/account/order/status/{orderId}`.
    func orderStatus(_ id: String) throws -> String {
        try state.withLock { state in
            guard let order = state.orders.first(where: { "\($0.orderID)" == id }) else {
                throw Refusal(status: .badRequest, message: "OrderID \(id) doesn't exist")
            }
            let ticker = state.contracts.first { $0.conid == order.conid }?.symbol ?? ""
            let type = ["LMT": "LIMIT", "MKT": "MARKET", "STP": "STOP"][order.type]!
            let average = order.filled.isPositive ? (try? order.notional.divided(by: order.filled)) ?? .zero : .zero
            let limit = order.type == "LMT" ? #","limit_price":"\#(order.price!)""# : ""
            let stop = order.type == "STP" ? #","stop_price":"\#(order.price!)""# : ""
            return """
                {"order_id":\(order.orderID),"conid":\(order.conid),"symbol":"\(ticker)","side":"\(order.side.prefix(1))",\
                "order_status":"\(order.status)","order_type":"\(type)","size":"\(order.quantity.formatted(minimumFractionDigits: 1))",\
                "cum_fill":"\(order.filled.formatted(minimumFractionDigits: 1))","average_price":"\(average)","tif":"\(order.tif)"\(limit)\(stop)}
                """
        }
    }

    /// `GET /iserver/account/trades`: sizes and net amounts as JSON numbers, prices as strings.
    func tradesAnswer() -> String {
        let rows = state.withLock { state in
            state.trades.map { trade -> String in
                let ticker = state.contracts.first { $0.conid == trade.conid }?.symbol ?? ""
                let reference = trade.clientOrderID.map { #","order_ref":"\#($0)""# } ?? ""
                let net = (try? trade.price.multiplied(by: trade.size)) ?? .zero
                return """
                    {"execution_id":"\(trade.executionID)","symbol":"\(ticker)","side":"\(trade.side.prefix(1))",\
                    "order_description":"\(trade.side == "BUY" ? "Bot" : "Sold") \(trade.size) @ \(trade.price) on ISLAND",\
                    "trade_time_r":\(trade.time),"size":\(trade.size.formatted(minimumFractionDigits: 1)),"price":"\(trade.price)",\
                    "submitter":"user","exchange":"ISLAND","commission":"\(trade.commission.formatted(minimumFractionDigits: 2))",\
                    "net_amount":\(net),"account":"\(accountID)","accountCode":"\(accountID)","sec_type":"STK",\
                    "listing_exchange":"NASDAQ.NMS","conid":\(trade.conid),"conidEx":"\(trade.conid)","clearing_id":"IB",\
                    "clearing_name":"IB","liquidation_trade":"0"\(reference)}
                    """
            }
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    /// `GET /portfolio/{accountId}/ledger`: one entry per currency and the `BASE` sum, numbers as JSON numbers.
    func ledger(account: String) throws -> String {
        guard account == accountID else {
            throw Refusal(status: .badRequest, message: "Bad Request: account \(account)")
        }
        let cash = state.withLock { $0.cash }
        let total = cash.values.reduce(FixedPoint.zero, +)
        func entry(_ key: String, _ amount: FixedPoint) -> String {
            """
            "\(key)":{"commoditymarketvalue":0.0,"futuremarketvalue":0.0,"settledcash":\(amount),"exchangerate":1,\
            "sessionid":1,"cashbalance":\(amount),"corporatebondsmarketvalue":0.0,"warrantsmarketvalue":0.0,\
            "netliquidationvalue":\(amount),"interest":0,"unrealizedpnl":0.0,"stockmarketvalue":0.0,"moneyfunds":0.0,\
            "currency":"\(key)","realizedpnl":0.0,"funds":0.0,"acctcode":"\(accountID)","issueroptionsmarketvalue":0.0,\
            "key":"LedgerList","timestamp":\(Self.now / 1_000),"severity":0}
            """
        }
        let rows = cash.sorted { $0.key < $1.key }.map { entry($0.key, $0.value) } + [entry("BASE", total)]
        return "{" + rows.joined(separator: ",") + "}"
    }

    /// `GET /portfolio/{accountId}/positions/0`.
    func positionsAnswer(account: String) throws -> String {
        guard account == accountID else {
            throw Refusal(status: .badRequest, message: "Bad Request: account \(account)")
        }
        let rows = state.withLock { state in
            state.positions.sorted { $0.key < $1.key }.filter { !$0.value.isZero }.map { conid, shares -> String in
                let contract = state.contracts.first { $0.conid == conid }
                let ticker = contract?.symbol ?? ""
                return """
                    {"acctId":"\(accountID)","conid":\(conid),"contractDesc":"\(ticker)","position":\(shares.formatted(minimumFractionDigits: 1)),\
                    "mktPrice":\(contract?.last ?? .zero),"currency":"USD","ticker":"\(ticker)","assetClass":"STK"}
                    """
            }
        }
        return "[" + rows.joined(separator: ",") + "]"
    }
}
