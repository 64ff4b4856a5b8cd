import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

extension IBKRClient {
    /// One order as `POST /iserver/account/{accountId}/orders` takes it.
    public struct OrderTicket: Sendable, Hashable {
        public var conid: Int64
        /// `LMT`, `MKT` or `STP`.
        public var orderType: String
        /// `BUY` or `SELL`.
        public var side: String
        /// `DAY`, `GTC` or `IOC`.
        public var tif: String
        public var quantity: Quantity
        /// The limit price (`LMT`) or the stop price (`STP`, as IBKR takes it in `price`).
        public var price: Price?
        /// Petrel's client order id; IBKR echoes it as `order_ref`.
        public var clientOrderID: String

        public init(
            conid: Int64, orderType: String, side: String, tif: String, quantity: Quantity, price: Price?,
            clientOrderID: String
        ) {
            self.conid = conid
            self.orderType = orderType
            self.side = side
            self.tif = tif
            self.quantity = quantity
            self.price = price
            self.clientOrderID = clientOrderID
        }

        /// The request body; numbers are written from their exact decimal text.
        public var body: String {
            let price = price.map { #","price":\#($0)"# } ?? ""
            return
                #"{"orders":[{"conid":\#(conid),"orderType":"\#(orderType)"\#(price),"side":"\#(side)","tif":"\#(tif)","quantity":\#(quantity),"cOID":"\#(clientOrderID)"}]}"#
        }
    }

    /// The gateway's answer once an order is placed.
    public struct PlacedOrder: Sendable, Hashable {
        public var orderID: String
        public var status: String
        /// The warnings confirmed on the way (`POST /iserver/reply/{id}`), in order.
        public var confirmedMessages: [String]
    }

    /// Places an order, confirming the gateway's warnings (reply messages) as they come, at most
    /// ``maxConfirmations`` of them.
    /// - Throws: ``ExecutionError/rejected(_:)`` with the gateway's text for an error object, or naming the
    ///   messages when more confirmations are asked for; ``ExecutionError/unknownOutcome(_:)`` when an
    ///   answer is lost or a 5xx comes (the order may exist: look it up by client order id).
    public func placeOrder(_ ticket: OrderTicket) async throws(ExecutionError) -> PlacedOrder {
        let account = try await account()
        var answer = try await send(
            "POST", "/iserver/account/\(account)/orders", body: ticket.body, changes: true, needsAccounts: true)
        var confirmed: [String] = []
        var replies = 0
        while true {
            if let error = IBKRDecoding.errorText(answer) {
                throw .rejected("ibkr order \(ticket.clientOrderID): \(error)")
            }
            guard
                case .object(let first)? = IBKRDecoding.array(answer).first ?? (answer.objectValue.map { .object($0) })
            else { throw .unknownOutcome("ibkr order \(ticket.clientOrderID): unexpected answer \(answer)") }
            if let orderID = IBKRDecoding.text(first["order_id"]) {
                return PlacedOrder(
                    orderID: orderID, status: IBKRDecoding.text(first["order_status"]) ?? "",
                    confirmedMessages: confirmed)
            }
            guard let replyID = IBKRDecoding.text(first["id"]) else {
                throw .unknownOutcome("ibkr order \(ticket.clientOrderID): unexpected answer \(answer)")
            }
            let messages = IBKRDecoding.array(first["message"]).compactMap { IBKRDecoding.text($0) }
            guard replies < maxConfirmations else {
                throw .rejected(
                    "ibkr order \(ticket.clientOrderID): still asks for confirmation after \(replies): \(messages.joined(separator: " | "))"
                )
            }
            replies += 1
            confirmed += messages
            answer = try await send(
                "POST", "/iserver/reply/\(replyID)", body: #"{"confirmed":true}"#, changes: true, needsAccounts: true)
        }
    }

    /// `DELETE /iserver/account/{accountId}/order/{orderId}`.
    /// - Throws: ``ExecutionError/rejected(_:)`` with the gateway's text when it refuses.
    public func cancelOrder(_ orderID: String) async throws(ExecutionError) {
        let account = try await account()
        let answer = try await send(
            "DELETE", "/iserver/account/\(account)/order/\(orderID)", changes: true, needsAccounts: true)
        if let error = IBKRDecoding.errorText(answer) { throw .rejected("ibkr cancel of order \(orderID): \(error)") }
    }

    /// An order as the gateway lists it.
    public struct LiveOrder: Sendable, Hashable {
        public var orderID: String
        /// `order_ref`: the `cOID` it was placed with, if any.
        public var clientOrderID: String?
        public var conid: Int64?
        public var ticker: String?
        /// `BUY` or `SELL`.
        public var side: String
        /// `LMT`, `MKT`, `STP`, or the gateway's wording (`Limit`, `Market`, `Stop`).
        public var orderType: String
        /// `PreSubmitted`, `Submitted`, `Filled`, `Cancelled`, `PendingCancel`, `Inactive`, …
        public var status: String
        public var quantity: Quantity
        public var filledQuantity: Quantity
        public var price: Price?
        public var stopPrice: Price?
        public var averagePrice: Price?
        /// Unix ms of the last execution, when given.
        public var updatedAt: Int64?
    }

    /// `GET /iserver/account/orders`: the session's orders (open ones and those that ended today).
    public func liveOrders() async throws(ExecutionError) -> [LiveOrder] {
        let answer = try await send("GET", "/iserver/account/orders", needsAccounts: true)
        var orders: [LiveOrder] = []
        for case .object(let entry) in IBKRDecoding.array(answer.objectValue?["orders"]) {
            guard let id = IBKRDecoding.text(entry["orderId"]) else { continue }
            let what = "orders[\(id)]"
            let filled = try IBKRDecoding.optionalDecimal(entry["filledQuantity"], "\(what).filledQuantity") ?? .zero
            let remaining = try IBKRDecoding.optionalDecimal(entry["remainingQuantity"], "\(what).remainingQuantity")
            let total = try IBKRDecoding.optionalDecimal(entry["totalSize"], "\(what).totalSize")
            let type = IBKRDecoding.text(entry["origOrderType"]) ?? IBKRDecoding.text(entry["orderType"]) ?? ""
            let isStop = type.uppercased().hasPrefix("ST")
            let price = try IBKRDecoding.optionalDecimal(entry["price"], "\(what).price")
            let aux = try IBKRDecoding.optionalDecimal(entry["auxPrice"], "\(what).auxPrice")
            orders.append(
                LiveOrder(
                    orderID: id, clientOrderID: IBKRDecoding.text(entry["order_ref"]),
                    conid: IBKRDecoding.integer(entry["conid"]), ticker: IBKRDecoding.text(entry["ticker"]),
                    side: IBKRDecoding.text(entry["side"]) ?? "", orderType: type,
                    status: IBKRDecoding.text(entry["status"]) ?? "",
                    quantity: total ?? (filled + (remaining ?? .zero)), filledQuantity: filled,
                    price: isStop ? nil : price, stopPrice: isStop ? (aux ?? price) : nil,
                    averagePrice: try IBKRDecoding.optionalDecimal(entry["avgPrice"], "\(what).avgPrice"),
                    updatedAt: IBKRDecoding.integer(entry["lastExecutionTime_r"])))
        }
        return orders
    }

    /// `GET /iserver/account/order/status/{orderId}`: one order's state, including one no longer listed.
    /// - Returns: the order (without `order_ref`, which this answer does not carry), or `nil` when the
    ///   gateway does not know the id.
    public func orderStatus(_ orderID: String) async throws(ExecutionError) -> LiveOrder? {
        let answer: JSONValue
        do {
            answer = try await send("GET", "/iserver/account/order/status/\(orderID)", needsAccounts: true)
        } catch {
            if case .rejected = error { return nil }
            throw error
        }
        guard case .object(let entry) = answer, IBKRDecoding.errorText(answer) == nil else { return nil }
        let what = "order status \(orderID)"
        let size = try IBKRDecoding.decimal(entry["size"], "\(what).size")
        let type = IBKRDecoding.text(entry["order_type"]) ?? ""
        let side = IBKRDecoding.text(entry["side"]) ?? ""
        return LiveOrder(
            orderID: orderID, clientOrderID: nil, conid: IBKRDecoding.integer(entry["conid"]),
            ticker: IBKRDecoding.text(entry["symbol"]), side: side.hasPrefix("S") ? "SELL" : "BUY", orderType: type,
            status: IBKRDecoding.text(entry["order_status"]) ?? "", quantity: size,
            filledQuantity: try IBKRDecoding.optionalDecimal(entry["cum_fill"], "\(what).cum_fill") ?? .zero,
            price: try IBKRDecoding.optionalDecimal(entry["limit_price"], "\(what).limit_price"),
            stopPrice: try IBKRDecoding.optionalDecimal(entry["stop_price"], "\(what).stop_price"),
            averagePrice: try IBKRDecoding.optionalDecimal(entry["average_price"], "\(what).average_price"),
            updatedAt: nil)
    }

    /// One execution from `GET /iserver/account/trades`.
    public struct Trade: Sendable, Hashable {
        public var executionID: String
        /// `order_ref`: the order's `cOID`, if it had one.
        public var clientOrderID: String?
        public var orderID: String?
        public var conid: Int64?
        public var symbol: String?
        /// `BUY` or `SELL` (the gateway writes `B`/`S`).
        public var side: String
        public var size: Quantity
        public var price: Price
        public var commission: Money
        /// `trade_time_r`, Unix ms.
        public var time: Int64
    }

    /// `GET /iserver/account/trades`: the account's executions of the last days (the gateway keeps about
    /// a week).
    public func trades() async throws(ExecutionError) -> [Trade] {
        let answer = try await send("GET", "/iserver/account/trades", needsAccounts: true)
        var trades: [Trade] = []
        for case .object(let entry) in IBKRDecoding.array(answer) {
            guard let id = IBKRDecoding.text(entry["execution_id"]) else { continue }
            let what = "trades[\(id)]"
            let side = IBKRDecoding.text(entry["side"]) ?? ""
            trades.append(
                Trade(
                    executionID: id, clientOrderID: IBKRDecoding.text(entry["order_ref"]),
                    orderID: IBKRDecoding.text(entry["order_id"]), conid: IBKRDecoding.integer(entry["conid"]),
                    symbol: IBKRDecoding.text(entry["symbol"]), side: side.hasPrefix("S") ? "SELL" : "BUY",
                    size: try IBKRDecoding.decimal(entry["size"], "\(what).size"),
                    price: try IBKRDecoding.decimal(entry["price"], "\(what).price"),
                    commission: try IBKRDecoding.optionalDecimal(entry["commission"], "\(what).commission") ?? .zero,
                    time: IBKRDecoding.integer(entry["trade_time_r"]) ?? 0))
        }
        return trades
    }

    /// Cash of one currency from the ledger.
    public struct CashBalance: Sendable, Hashable {
        /// `cashbalance`: all cash of the currency, settled or not.
        public var cash: Money
        /// `settledcash`.
        public var settled: Money
    }

    /// `GET /portfolio/{accountId}/ledger`: cash per currency (the `BASE` entry, a sum in the base
    /// currency, is left out).
    public func ledger() async throws(ExecutionError) -> [String: CashBalance] {
        let account = try await portfolioAccount()
        guard case .object(let ledger) = try await send("GET", "/portfolio/\(account)/ledger") else {
            throw .retryable("ibkr ledger: expected a JSON object")
        }
        var balances: [String: CashBalance] = [:]
        for (key, value) in ledger where key != "BASE" {
            guard case .object(let entry) = value else { continue }
            let currency = IBKRDecoding.text(entry["currency"]) ?? key
            let cash = try IBKRDecoding.decimal(entry["cashbalance"], "ledger.\(key).cashbalance")
            balances[currency] = CashBalance(
                cash: cash,
                settled: try IBKRDecoding.optionalDecimal(entry["settledcash"], "ledger.\(key).settledcash") ?? cash)
        }
        return balances
    }

    /// `GET /portfolio/{accountId}/positions/0`: shares held, by ticker (the first page, 100 positions).
    public func positions() async throws(ExecutionError) -> [String: Quantity] {
        let account = try await portfolioAccount()
        var positions: [String: Quantity] = [:]
        for case .object(let entry) in IBKRDecoding.array(try await send("GET", "/portfolio/\(account)/positions/0")) {
            guard let ticker = IBKRDecoding.text(entry["ticker"]) ?? IBKRDecoding.text(entry["contractDesc"]) else {
                continue
            }
            positions[ticker] = try IBKRDecoding.decimal(entry["position"], "positions.\(ticker).position")
        }
        return positions
    }

    /// The account, after `GET /portfolio/accounts` was read once (the portfolio endpoints want it first).
    func portfolioAccount() async throws(ExecutionError) -> String {
        let account = try await account()
        if !state.withLock({ $0.portfolioAccountsRead }) {
            _ = try await send("GET", "/portfolio/accounts")
            state.withLock { $0.portfolioAccountsRead = true }
        }
        return account
    }
}
