import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for Interactive Brokers' Client Portal gateway (EXCHANGE-APIS.md §7) under `/v1/api`:
/// the session (authenticated, brokerage session down, or logged out: 401), `/iserver/accounts` required
/// before market data and orders, stock contract search, snapshots whose first request per conid only
/// subscribes, bar history (with the bar still forming), orders with chained reply-message confirmations,
/// a matching engine on the snapshot prices, trades, and the portfolio ledger and positions of one
/// in-memory account. Faults are scriptable per request: 429, 5xx, malformed JSON, slowness, and an order
/// accepted whose answer never comes in time.
/// Loopback only, plain HTTP (the real gateway's self-signed TLS is not reproduced).
public final class FakeIBKR: Sendable {
    /// A listed stock and its prices.
    public struct Contract: Sendable {
        public var conid: Int64
        public var symbol: String
        public var companyName: String
        public var bid: FixedPoint
        public var ask: FixedPoint
        public var last: FixedPoint
        /// The letter before the last price in snapshots: `C` (previous close) or `H` (halted).
        public var lastMark = ""

        public init(conid: Int64, symbol: String, companyName: String, bid: String, ask: String, last: String) {
            self.conid = conid
            self.symbol = symbol
            self.companyName = companyName
            self.bid = FixedPoint(bid)!
            self.ask = FixedPoint(ask)!
            self.last = FixedPoint(last)!
        }
    }

    /// The gateway's session.
    public enum Session: Sendable {
        /// Logged in; the brokerage session is up.
        case authenticated
        /// Logged in at the gateway, but the brokerage session is not: `auth/status` says
        /// `authenticated: false`, `/iserver` calls answer 401.
        case brokerageDown
        /// Nobody logged in: every call answers 401.
        case loggedOut
    }

    /// A scripted failure for the next request that matches.
    public enum Fault: Sendable {
        /// HTTP 429, with `Retry-After` when seconds are given (the gateway sends none).
        case tooManyRequests(retryAfterSeconds: Int?)
        /// HTTP 503 with an HTML body; nothing is done.
        case serverError
        /// HTTP 200 whose body is not JSON; nothing is done.
        case malformed
        /// The request is carried out, then answered with HTTP 200 and a body that is not JSON.
        case malformedAfterActing
        /// The request is carried out, then the answer waits this long (a client timeout after the
        /// gateway acted).
        case stallAfterActing(milliseconds: Int)
    }

    /// A request as it arrived.
    public struct Recorded: Sendable {
        public var method: String
        /// Without the `/v1/api` prefix.
        public var path: String
        public var query: String
        public var body: String
    }

    struct Order {
        var orderID: Int64
        var conid: Int64
        var side: String
        var type: String
        var tif: String
        var quantity: FixedPoint
        var price: FixedPoint?
        var clientOrderID: String?
        var status = "Submitted"
        var filled = FixedPoint.zero
        var notional = FixedPoint.zero
        var updatedAt: Int64
    }

    struct Trade {
        var executionID: String
        var orderID: Int64
        var clientOrderID: String?
        var conid: Int64
        var side: String
        var size: FixedPoint
        var price: FixedPoint
        var commission: FixedPoint
        var time: Int64
    }

    struct Pending {
        var order: Order
        var remaining: Int
    }

    struct State {
        var session = Session.authenticated
        var accountsQueried = false
        var portfolioAccountsQueried = false
        var contracts: [Contract] = []
        var snapshotCalls: [Int64: Int] = [:]
        var bars: [Int64: [Candle]] = [:]
        var cash: [String: FixedPoint] = [:]
        var positions: [Int64: FixedPoint] = [:]
        var orders: [Order] = []
        var trades: [Trade] = []
        var pending: [String: Pending] = [:]
        var confirmationsNext = 0
        var errorNext: String?
        var faults: [(method: String?, path: String?, fault: Fault)] = []
        var requests: [Recorded] = []
        var next: Int64 = 1
    }

    /// The account the gateway lists.
    public let accountID: String
    /// How many snapshot requests of a conid answer without prices (the first only subscribes).
    public let snapshotWarmup: Int
    let state = Mutex(State())

    public init(accountID: String = "DU1234567", snapshotWarmup: Int = 1) {
        self.accountID = accountID
        self.snapshotWarmup = snapshotWarmup
        state.withLock { state in
            state.contracts = [
                Contract(
                    conid: 265_598, symbol: "AAPL", companyName: "APPLE INC", bid: "189.98", ask: "190.02",
                    last: "190.00")
            ]
            state.cash = ["USD": FixedPoint("100000.00")!]
        }
    }

    // MARK: Test controls

    /// Lists a contract (replacing one with the same conid).
    public func list(_ contract: Contract) {
        state.withLock { state in
            state.contracts.removeAll { $0.conid == contract.conid }
            state.contracts.append(contract)
        }
    }

    /// Moves a contract's prices and matches resting orders against them.
    public func setPrices(conid: Int64, bid: String, ask: String, last: String, lastMark: String = "") {
        state.withLock { state in
            guard let index = state.contracts.firstIndex(where: { $0.conid == conid }) else { return }
            state.contracts[index].bid = FixedPoint(bid)!
            state.contracts[index].ask = FixedPoint(ask)!
            state.contracts[index].last = FixedPoint(last)!
            state.contracts[index].lastMark = lastMark
            for order in state.orders.indices { Self.match(&state, order) }
        }
    }

    /// The account's cash in `currency`.
    public func setCash(_ currency: String, _ amount: String) {
        state.withLock { $0.cash[currency] = FixedPoint(amount)! }
    }

    public func cash(_ currency: String) -> FixedPoint? { state.withLock { $0.cash[currency] } }

    /// Shares held of `conid`.
    public func position(conid: Int64) -> FixedPoint { state.withLock { $0.positions[conid] ?? .zero } }

    public func setSession(_ session: Session) { state.withLock { $0.session = session } }

    /// A new login: the gateway forgets that `/iserver/accounts` was read and every market-data subscription.
    public func restartSession() {
        state.withLock { state in
            state.accountsQueried = false
            state.snapshotCalls = [:]
        }
    }

    /// The next order needs `count` reply confirmations before it is placed.
    public func requireConfirmations(_ count: Int) { state.withLock { $0.confirmationsNext = count } }

    /// The next order is refused with `{"error": text}`.
    public func rejectNextOrder(_ text: String) { state.withLock { $0.errorNext = text } }

    /// The next request whose method is `method` and whose path contains `path` (any when `nil`) fails
    /// with `fault`.
    public func inject(_ fault: Fault, method: String? = nil, path: String? = nil) {
        state.withLock { $0.faults.append((method, path, fault)) }
    }

    /// Every request received, in order.
    public var requests: [Recorded] { state.withLock { $0.requests } }

    /// How many orders the gateway holds with client order id `clientOrderID`.
    public func orders(clientOrderID: String) -> Int {
        state.withLock { $0.orders.filter { $0.clientOrderID == clientOrderID }.count }
    }

    public var orderCount: Int { state.withLock { $0.orders.count } }

    /// The status of the gateway's order with `clientOrderID` (`Submitted`, `Filled`, `Cancelled`, …).
    public func status(clientOrderID: String) -> String? {
        state.withLock { $0.orders.first { $0.clientOrderID == clientOrderID }?.status }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }

    // MARK: Serving

    public func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        let api = "/v1/api"
        router.get("\(api)/iserver/auth/status") { request, _ in
            try await self.answer(request, api, session: .loggedOut) { _ in self.authStatus() }
        }
        router.post("\(api)/tickle") { request, _ in
            try await self.answer(request, api, session: .loggedOut) { _ in self.tickle() }
        }
        router.get("\(api)/iserver/accounts") { request, _ in
            try await self.answer(request, api) { _ in self.accounts() }
        }
        router.get("\(api)/portfolio/accounts") { request, _ in
            try await self.answer(request, api, session: .loggedOut) { _ in self.portfolioAccounts() }
        }
        router.get("\(api)/iserver/secdef/search") { request, _ in
            try await self.answer(request, api) { _ in self.search(request.uri.queryParameters.get("symbol") ?? "") }
        }
        router.get("\(api)/iserver/marketdata/snapshot") { request, _ in
            try await self.answer(request, api, needsAccounts: true) { _ in
                self.snapshot(request.uri.queryParameters.get("conids") ?? "")
            }
        }
        router.get("\(api)/iserver/marketdata/history") { request, _ in
            try await self.answer(request, api, needsAccounts: true) { _ in
                let parameters = request.uri.queryParameters
                return try self.history(
                    conid: parameters.get("conid") ?? "", period: parameters.get("period") ?? "",
                    bar: parameters.get("bar") ?? "")
            }
        }
        router.post("\(api)/iserver/account/:account/orders") { request, context in
            try await self.answer(request, api, needsAccounts: true) {
                try self.place(account: context.parameters.get("account") ?? "", body: $0)
            }
        }
        router.post("\(api)/iserver/reply/:id") { request, context in
            try await self.answer(request, api, needsAccounts: true) {
                try self.reply(context.parameters.get("id") ?? "", body: $0)
            }
        }
        router.delete("\(api)/iserver/account/:account/order/:id") { request, context in
            try await self.answer(request, api, needsAccounts: true) { _ in
                try self.cancel(
                    account: context.parameters.get("account") ?? "", id: context.parameters.get("id") ?? "")
            }
        }
        router.get("\(api)/iserver/account/orders") { request, _ in
            try await self.answer(request, api, needsAccounts: true) { _ in self.liveOrders() }
        }
        router.get("\(api)/iserver/account/order/status/:id") { request, context in
            try await self.answer(request, api, needsAccounts: true) { _ in
                try self.orderStatus(context.parameters.get("id") ?? "")
            }
        }
        router.get("\(api)/iserver/account/trades") { request, _ in
            try await self.answer(request, api, needsAccounts: true) { _ in self.tradesAnswer() }
        }
        router.get("\(api)/portfolio/:account/ledger") { request, context in
            try await self.answer(request, api, session: .loggedOut) { _ in
                try self.ledger(account: context.parameters.get("account") ?? "")
            }
        }
        router.get("\(api)/portfolio/:account/positions/:page") { request, context in
            try await self.answer(request, api, session: .loggedOut) { _ in
                try self.positionsAnswer(account: context.parameters.get("account") ?? "")
            }
        }
        try await LoopbackServer.run(router, body)
    }

    /// A refusal in the gateway's shape: `{"error":"…","statusCode":N}`.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var message: String
    }

    /// Records the request, applies a scripted fault, checks the session (`session` is the state from
    /// which the route answers 401: `/iserver` routes from `brokerageDown`, the others only when logged
    /// out) and the accounts call, then answers with `make`'s body.
    func answer(
        _ request: Request, _ prefix: String, session unauthorizedFrom: Session = .brokerageDown,
        needsAccounts: Bool = false, _ make: @Sendable (Data) throws -> String
    ) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 16)
        let body = Data(bytes.readableBytesView)
        let path = String(request.uri.path.dropFirst(prefix.count))
        let method = "\(request.method)"
        let (fault, session, accountsQueried) = state.withLock { state in
            state.requests.append(
                Recorded(
                    method: method, path: path, query: request.uri.query ?? "",
                    body: String(decoding: body, as: UTF8.self)))
            let index = state.faults.firstIndex {
                ($0.method == nil || $0.method == method) && ($0.path.map { path.contains($0) } ?? true)
            }
            return (index.map { state.faults.remove(at: $0).fault }, state.session, state.accountsQueried)
        }
        switch fault {
        case .tooManyRequests(let seconds)?:
            var headers: HTTPFields = [.contentType: "text/html"]
            if let seconds { headers[.retryAfter] = String(seconds) }
            return Self.response(.tooManyRequests, "<html><body>429 Too Many Requests</body></html>", headers)
        case .serverError?:
            return Self.response(
                .serviceUnavailable, "<html><body>503 Service Unavailable</body></html>", [.contentType: "text/html"])
        case .malformed?:
            return Self.response(.ok, #"[{"order_id":"#)
        case .stallAfterActing?, .malformedAfterActing?, nil:
            break
        }
        let answer: Response
        do {
            let refused = session == .loggedOut || (session == .brokerageDown && unauthorizedFrom == .brokerageDown)
            if refused { throw Refusal(status: .unauthorized, message: "not authenticated") }
            if needsAccounts, !accountsQueried {
                throw Refusal(status: .badRequest, message: "Bad Request: please query /iserver/accounts first")
            }
            answer = Self.response(.ok, try make(body))
        } catch let refusal as Refusal {
            answer = Self.response(
                refusal.status, #"{"error":"\#(refusal.message)","statusCode":\#(refusal.status.code)}"#)
        }
        if case .stallAfterActing(let milliseconds)? = fault { try? await Task.sleep(for: .milliseconds(milliseconds)) }
        if case .malformedAfterActing? = fault { return Self.response(.ok, #"[{"order_id":"#) }
        return answer
    }

    static func response(
        _ status: HTTPResponse.Status, _ body: String, _ headers: HTTPFields = [.contentType: "application/json"]
    )
        -> Response
    {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func authStatus() -> String {
        let up = state.withLock { $0.session == .authenticated }
        return
            #"{"authenticated":\#(up),"competing":false,"connected":\#(up),"message":"\#(up ? "" : "no brokerage session")","MAC":"00:00:5E:00:53:01","serverInfo":{"serverName":"FakeGateway","serverVersion":"Build 10.25.0p"}}"#
    }

    func tickle() -> String {
        let up = state.withLock { $0.session == .authenticated }
        return
            #"{"session":"fake-session","ssoExpires":460000,"collission":false,"userId":1,"iserver":{"authStatus":{"authenticated":\#(up),"competing":false,"connected":\#(up)}}}"#
    }

    func accounts() -> String {
        state.withLock { $0.accountsQueried = true }
        let id = accountID
        return
            #"{"accounts":["\#(id)"],"acctProps":{"\#(id)":{"hasChildAccounts":false,"supportsCashQty":true,"supportsFractions":false}},"aliases":{"\#(id)":"\#(id)"},"selectedAccount":"\#(id)","isPaper":true}"#
    }

    func portfolioAccounts() -> String {
        state.withLock { $0.portfolioAccountsQueried = true }
        return
            #"[{"id":"\#(accountID)","accountId":"\#(accountID)","currency":"USD","type":"DEMO","desc":"\#(accountID)"}]"#
    }

    /// The stock, preceded by a same-symbol entry that is not a stock (the client must pick the `STK` one).
    func search(_ symbol: String) -> String {
        guard let contract = state.withLock({ $0.contracts.first { $0.symbol == symbol.uppercased() } }) else {
            return #"{"error":"No symbol found"}"#
        }
        return """
            [{"conid":"\(contract.conid + 1_000_000_000)","companyHeader":"\(contract.companyName) - BOND","companyName":"\(contract.companyName)",\
            "symbol":"\(contract.symbol)","description":"BOND","restricted":null,"sections":[{"secType":"BOND"}]},\
            {"conid":"\(contract.conid)","companyHeader":"\(contract.companyName) - NASDAQ","companyName":"\(contract.companyName)",\
            "symbol":"\(contract.symbol)","description":"NASDAQ","restricted":null,\
            "sections":[{"secType":"STK"},{"secType":"OPT","months":"JAN26;FEB26","exchange":"SMART"}]}]
            """
    }

    /// Per conid: the first ``snapshotWarmup`` requests only subscribe (`conid`, `conidEx`); then the fields.
    func snapshot(_ conids: String) -> String {
        let now = Self.now
        let rows = conids.split(separator: ",").compactMap { Int64($0) }.compactMap { conid -> String? in
            state.withLock { state -> String? in
                guard let contract = state.contracts.first(where: { $0.conid == conid }) else { return nil }
                state.snapshotCalls[conid, default: 0] += 1
                guard state.snapshotCalls[conid]! > snapshotWarmup else {
                    return #"{"conid":\#(conid),"conidEx":"\#(conid)"}"#
                }
                return
                    #"{"conid":\#(conid),"conidEx":"\#(conid)","_updated":\#(now),"server_id":"q0","6119":"q0","31":"\#(contract.lastMark)\#(contract.last.formatted(minimumFractionDigits: 2))","55":"\#(contract.symbol)","84":"\#(contract.bid.formatted(minimumFractionDigits: 2))","86":"\#(contract.ask.formatted(minimumFractionDigits: 2))"}"#
            }
        }
        return "[" + rows.joined(separator: ",") + "]"
    }
}
