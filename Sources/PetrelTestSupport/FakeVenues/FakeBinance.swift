import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for Binance spot's REST API (EXCHANGE-APIS.md §1) for adapter tests: exchange
/// rules, klines, tickers and the signed account read, checking API key, HMAC signature and timestamp
/// window the way Binance does, with scriptable faults. Loopback only.
public final class FakeBinance: Sendable {
    /// One listed instrument.
    public struct Instrument: Sendable {
        public var id: String
        public var base: String
        public var quote: String
        public var status = "TRADING"
        public var tickSize = "0.01000000"
        public var stepSize = "0.00001000"
        public var minQty = "0.00001000"
        public var maxQty = "9000.00000000"
        public var minNotional = "5.00000000"
        /// `NOTIONAL` (current) or `MIN_NOTIONAL` (legacy).
        public var notionalFilter = "NOTIONAL"
        public var bid = "100.00"
        public var ask = "100.02"
        public var last = "100.01"
        public var quoteVolume = "1000000.00"

        public init(
            id: String, base: String, quote: String, status: String = "TRADING", quoteVolume: String = "1000000.00"
        ) {
            self.id = id
            self.base = base
            self.quote = quote
            self.status = status
            self.quoteVolume = quoteVolume
        }
    }

    /// A scripted failure for the next request whose path matches.
    public enum Fault: Sendable {
        /// HTTP 429 with `Retry-After` seconds and error -1003.
        case tooManyRequests(retryAfterSeconds: Int)
        /// HTTP 418 (IP ban) with `Retry-After` seconds.
        case banned(retryAfterSeconds: Int)
        /// HTTP 503 with an HTML body.
        case serverError
        /// HTTP 200 whose body is not JSON.
        case malformed
        /// The request is carried out, then answered with HTTP 200 and a body that is not JSON.
        case malformedAfterAccepting
        /// Answers after this many milliseconds (longer than the client waits: a timeout).
        case slow(milliseconds: Int)
    }

    /// A request as it arrived.
    public struct Recorded: Sendable {
        public var method: String
        public var path: String
        /// The raw query string.
        public var query: String
        public var apiKey: String?
    }

    struct State {
        var instruments: [Instrument] = []
        var klines: [String: [Candle]] = [:]
        var balances: [String: (free: String, locked: String)] = [:]
        var faults: [(path: String?, fault: Fault)] = []
        var requests: [Recorded] = []
        var clockSkew: Int64 = 0
        var weight = 0
        var orders: [FakeOrder] = []
        var trades: [FakeTrade] = []
        var nextID: Int64 = 1
        var streamConnections: [Int: StreamConnection] = [:]
        var nextStreamConnection = 0
        var streamConnectionsOpened: [[String]] = []
        var streamsSilenced = false
        var userStreams: [Int: UserStream] = [:]
        var userStreamsOpened = 0
        var reportedOrders: [Int64: String] = [:]
        var reportedTrades = Set<Int64>()
        var executionReportsSent = 0
    }

    public let apiKey: String
    public let secret: String
    let state = Mutex(State())

    /// - Parameters:
    ///   - apiKey: the key signed requests must carry in `X-MBX-APIKEY`.
    ///   - secret: the HMAC key their signatures are checked with.
    public init(apiKey: String = "fake-binance-api-key-0123456789", secret: String = "fake-binance-secret-abcdefghij") {
        self.apiKey = apiKey
        self.secret = secret
    }

    /// Lists instruments (replacing any with the same id).
    public func list(_ instruments: [Instrument]) {
        state.withLock { state in
            for instrument in instruments {
                state.instruments.removeAll { $0.id == instrument.id }
                state.instruments.append(instrument)
            }
        }
    }

    /// Changes one listed instrument (a filter change, a delisting).
    public func update(_ id: String, _ change: (inout Instrument) -> Void) {
        state.withLock { state in
            if let index = state.instruments.firstIndex(where: { $0.id == id }) { change(&state.instruments[index]) }
        }
    }

    /// The klines of `id` at `interval` (closed ones; open times ascending).
    public func setKlines(_ id: String, interval: String, _ candles: [Candle]) {
        state.withLock { $0.klines["\(id)|\(interval)"] = candles }
    }

    /// The account's balances.
    public func setBalances(_ balances: [String: (free: String, locked: String)]) {
        state.withLock { $0.balances = balances }
    }

    /// Moves the venue's clock by `milliseconds` against the real one.
    public func setClockSkew(_ milliseconds: Int64) { state.withLock { $0.clockSkew = milliseconds } }

    /// The next request to `path` (any path when `nil`) fails with `fault`.
    public func inject(_ fault: Fault, path: String? = nil) { state.withLock { $0.faults.append((path, fault)) } }

    /// Every request received, in order.
    public var requests: [Recorded] { state.withLock { $0.requests } }

    var serverTime: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) + state.withLock { $0.clockSkew } }

    /// Runs `body` with the fake listening on a loopback port; `body` gets the base URL (`http://…`; the
    /// market streams are on the same port: `ws://…`).
    /// - Parameter streamPingMilliseconds: how often the streams ping (Binance: every 20 s); a connection
    ///   that does not answer with a pong before the next ping is closed.
    public func run(streamPingMilliseconds: Int = 20_000, _ body: @Sendable (String) async throws -> Void)
        async throws
    {
        let router = Router(context: BasicWebSocketRequestContext.self)
        addStreamRoutes(to: router)
        addUserDataRoutes(to: router)
        router.get("/api/v3/ping") { request, _ in try await self.answer(request) { _ in "{}" } }
        router.get("/api/v3/time") { request, _ in
            try await self.answer(request) { _ in #"{"serverTime":\#(self.serverTime)}"# }
        }
        router.get("/api/v3/exchangeInfo") { request, _ in try await self.answer(request) { self.exchangeInfo($0) } }
        router.get("/api/v3/klines") { request, _ in try await self.answer(request) { try self.klines($0) } }
        router.get("/api/v3/ticker/24hr") { request, _ in try await self.answer(request) { try self.tickers($0) } }
        router.get("/api/v3/ticker/bookTicker") { request, _ in
            try await self.answer(request) { try self.bookTickers($0) }
        }
        router.get("/api/v3/account") { request, _ in
            try await self.answer(request, signed: true) { _ in self.account() }
        }
        router.post("/api/v3/order") { request, _ in
            try await self.answer(request, signed: true) { try self.newOrder($0) }
        }
        router.get("/api/v3/order") { request, _ in
            try await self.answer(request, signed: true) { try self.queryOrder($0) }
        }
        router.delete("/api/v3/order") { request, _ in
            try await self.answer(request, signed: true) { try self.cancelOrder($0) }
        }
        router.get("/api/v3/openOrders") { request, _ in
            try await self.answer(request, signed: true) { self.openOrders($0) }
        }
        router.get("/api/v3/myTrades") { request, _ in
            try await self.answer(request, signed: true) { try self.myTrades($0) }
        }
        try await Self.serve(router, pingMilliseconds: streamPingMilliseconds, body)
    }

    /// Serves `router` (HTTP and WebSocket upgrades) on a free loopback port while `body` runs with the
    /// base URL, then stops it.
    static func serve(
        _ router: Router<BasicWebSocketRequestContext>, pingMilliseconds: Int,
        _ body: @Sendable (String) async throws -> Void
    ) async throws {
        try await LoopbackServer.run(
            { running in
                Application(
                    router: router,
                    server: .http1WebSocketUpgrade(
                        webSocketRouter: router,
                        configuration: HTTP1WebSocketUpgradeChannel.Configuration(
                            ws: WebSocketServerConfiguration(
                                maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .milliseconds(pingMilliseconds)),
                                closeTimeout: .seconds(2)))),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: running)
            }, body)
    }

    /// Binance's error body.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var code: Int
        var message: String
        var headers: HTTPFields = [:]
    }

    func answer(
        _ request: Request, signed: Bool = false, _ make: ([String: String]) throws -> String
    ) async throws -> Response {
        let query = request.uri.query ?? ""
        let key = request.headers[HTTPField.Name("X-MBX-APIKEY")!]
        let fault = state.withLock { state -> Fault? in
            state.requests.append(
                Recorded(method: "\(request.method)", path: request.uri.path, query: query, apiKey: key))
            state.weight += 1
            guard let index = state.faults.firstIndex(where: { $0.path == nil || $0.path == request.uri.path }) else {
                return nil
            }
            return state.faults.remove(at: index).fault
        }
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-MBX-USED-WEIGHT-1M")!] = String(state.withLock { $0.weight })
        switch fault {
        case .tooManyRequests(let seconds)?:
            headers[.retryAfter] = String(seconds)
            return Self.response(
                .tooManyRequests, headers,
                #"{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}"#
            )
        case .banned(let seconds)?:
            headers[.retryAfter] = String(seconds)
            return Self.response(
                HTTPResponse.Status(code: 418, reasonPhrase: "I'm a teapot"), headers,
                #"{"code":-1003,"msg":"Way too much request weight used; IP banned until \#(serverTime + Int64(seconds) * 1_000)."}"#
            )
        case .serverError?:
            headers[.contentType] = "text/html"
            return Self.response(.serviceUnavailable, headers, "<html><body>503 Service Unavailable</body></html>")
        case .malformed?:
            return Self.response(.ok, headers, "{\"symbols\": [")
        case .slow(let milliseconds)?:
            try await Task.sleep(for: .milliseconds(milliseconds))
        case .malformedAfterAccepting?, nil:
            break
        }
        do {
            if signed { try verify(query: query, key: key) }
            let parameters = Self.decode(query)
            let answer = try make(parameters)
            publishExecutionReports()
            if case .malformedAfterAccepting? = fault { return Self.response(.ok, headers, #"{"symbol":"BTC"#) }
            return Self.response(.ok, headers, answer)
        } catch let refusal as Refusal {
            headers.append(contentsOf: refusal.headers)
            return Self.response(refusal.status, headers, #"{"code":\#(refusal.code),"msg":"\#(refusal.message)"}"#)
        }
    }

    static func response(_ status: HTTPResponse.Status, _ headers: HTTPFields, _ body: String) -> Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The query's parameters, percent-decoded.
    static func decode(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            result[parts[0].removingPercentEncoding ?? parts[0]] = value.removingPercentEncoding ?? value
        }
        return result
    }

    /// Binance's checks of a signed request: the key, the signature over the raw query as received,
    /// and the timestamp window.
    func verify(query: String, key: String?) throws {
        guard let key, !key.isEmpty else {
            throw Refusal(status: .unauthorized, code: -2014, message: "API-key format invalid.")
        }
        guard key == apiKey else {
            throw Refusal(
                status: .unauthorized, code: -2015, message: "Invalid API-key, IP, or permissions for action.")
        }
        guard let range = query.range(of: "&signature=") else {
            throw Refusal(
                status: .badRequest, code: -1102,
                message: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")
        }
        let payload = String(query[..<range.lowerBound])
        let given = String(query[range.upperBound...])
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data(payload.utf8), using: SymmetricKey(data: Data(secret.utf8))
        )
        .map { String(format: "%02x", $0) }.joined()
        guard given.lowercased() == expected else {
            throw Refusal(status: .badRequest, code: -1022, message: "Signature for this request is not valid.")
        }
        let parameters = Self.decode(payload)
        guard let timestamp = parameters["timestamp"].flatMap(Int64.init) else {
            throw Refusal(
                status: .badRequest, code: -1102,
                message: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.")
        }
        let window = parameters["recvWindow"].flatMap(Int64.init) ?? 5_000
        let now = serverTime
        guard timestamp < now + 1_000, now - timestamp <= window else {
            throw Refusal(
                status: .badRequest, code: -1021, message: "Timestamp for this request is outside of the recvWindow.")
        }
    }

    func exchangeInfo(_ parameters: [String: String]) -> String {
        var wanted: Set<String>?
        if let one = parameters["symbol"] { wanted = [one] }
        if let many = parameters["symbols"], let data = many.data(using: .utf8),
            let list = try? JSONSerialization.jsonObject(with: data) as? [String]
        {
            wanted = Set(list)
        }
        let instruments = state.withLock { $0.instruments }.filter { wanted?.contains($0.id) ?? true }
        let symbols = instruments.map { i in
            """
            {"symbol":"\(i.id)","status":"\(i.status)","baseAsset":"\(i.base)","baseAssetPrecision":8,"quoteAsset":"\(i.quote)",\
            "quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS_LIMIT","TAKE_PROFIT_LIMIT"],\
            "isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"filters":[\
            {"filterType":"PRICE_FILTER","minPrice":"\(i.tickSize)","maxPrice":"1000000.00000000","tickSize":"\(i.tickSize)"},\
            {"filterType":"LOT_SIZE","minQty":"\(i.minQty)","maxQty":"\(i.maxQty)","stepSize":"\(i.stepSize)"},\
            {"filterType":"\(i.notionalFilter)","minNotional":"\(i.minNotional)","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}],\
            "permissions":[],"permissionSets":[["SPOT"]]}
            """
        }
        return """
            {"timezone":"UTC","serverTime":\(serverTime),"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}],\
            "exchangeFilters":[],"symbols":[\(symbols.joined(separator: ","))]}
            """
    }

    func instrument(_ parameters: [String: String]) throws -> Instrument {
        guard let id = parameters["symbol"], let instrument = state.withLock({ $0.instruments.first { $0.id == id } })
        else {
            throw Refusal(status: .badRequest, code: -1121, message: "Invalid symbol.")
        }
        return instrument
    }

    func klines(_ parameters: [String: String]) throws -> String {
        let instrument = try instrument(parameters)
        guard let interval = parameters["interval"], let frame = Timeframe(rawValue: interval) else {
            throw Refusal(status: .badRequest, code: -1120, message: "Invalid interval.")
        }
        let start = parameters["startTime"].flatMap(Int64.init) ?? Int64.min
        let end = parameters["endTime"].flatMap(Int64.init) ?? Int64.max
        let limit = min(1_000, parameters["limit"].flatMap(Int.init) ?? 500)
        let all = state.withLock { $0.klines["\(instrument.id)|\(interval)"] ?? [] }
        let matching = all.filter { $0.timestamp >= start && $0.timestamp <= end }
        // Without startTime Binance answers the latest klines (up to endTime, or now).
        let page = parameters["startTime"] == nil ? matching.suffix(limit) : matching.prefix(limit)
        let rows = page.map { c in
            #"[\#(c.timestamp),"\#(c.open)","\#(c.high)","\#(c.low)","\#(c.close)","\#(c.volume)",\#(c.timestamp + frame.milliseconds - 1),"0",1,"0","0","0"]"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    func tickers(_ parameters: [String: String]) throws -> String {
        func ticker(_ i: Instrument) -> String {
            """
            {"symbol":"\(i.id)","lastPrice":"\(i.last)","bidPrice":"\(i.bid)","bidQty":"1.00000000","askPrice":"\(i.ask)",\
            "askQty":"2.00000000","quoteVolume":"\(i.quoteVolume)","closeTime":\(serverTime)}
            """
        }
        if parameters["symbol"] != nil { return ticker(try instrument(parameters)) }
        return "[" + state.withLock { $0.instruments }.map(ticker).joined(separator: ",") + "]"
    }

    /// `ticker/bookTicker`: one symbol (`symbol`), a list (`symbols=["A","B"]`) or all.
    func bookTickers(_ parameters: [String: String]) throws -> String {
        func ticker(_ i: Instrument) -> String {
            #"{"symbol":"\#(i.id)","bidPrice":"\#(i.bid)","bidQty":"1.00000000","askPrice":"\#(i.ask)","askQty":"2.00000000"}"#
        }
        if parameters["symbol"] != nil { return ticker(try instrument(parameters)) }
        var listed = state.withLock { $0.instruments }
        if let list = parameters["symbols"] {
            let ids = list.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard ids.allSatisfy({ id in listed.contains { $0.id == id } }) else {
                throw Refusal(status: .badRequest, code: -1121, message: "Invalid symbol.")
            }
            listed = listed.filter { ids.contains($0.id) }
        }
        return "[" + listed.map(ticker).joined(separator: ",") + "]"
    }

    func account() -> String {
        let balances = state.withLock { $0.balances }.sorted { $0.key < $1.key }.map {
            #"{"asset":"\#($0.key)","free":"\#($0.value.free)","locked":"\#($0.value.locked)"}"#
        }
        return
            #"{"makerCommission":10,"takerCommission":10,"canTrade":true,"accountType":"SPOT","balances":[\#(balances.joined(separator: ","))],"permissions":["SPOT"]}"#
    }
}
