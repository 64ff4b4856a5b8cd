import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for OKX's v5 REST API (EXCHANGE-APIS.md §2) for adapter tests: server time,
/// instruments (spot and swaps), history candles newest first, tickers, the signed balance read and,
/// in `FakeOKX+Orders.swift`, orders with a matching engine, fills, positions, the account's position
/// mode and leverage. It checks key, passphrase, Base64 HMAC signature (over the body too) and the
/// 30-second timestamp window the way OKX does, answers with its `{code,msg,data}` envelope and per-item
/// `sCode`, and has scriptable faults. Loopback only.
public final class FakeOKX: Sendable {
    /// One listed instrument: `SPOT` (`BTC-USDT`) or a linear USDT `SWAP` (`BTC-USDT-SWAP`).
    public struct Instrument: Sendable {
        public var id: String
        public var type: String
        public var base: String
        public var state = "live"
        public var tickSize = "0.1"
        /// Spot: base currency; swaps: contracts.
        public var lotSize = "0.00000001"
        public var minSize = "0.00001"
        /// Base currency per contract (swaps).
        public var contractValue = "0.01"
        public var last = "100.0"
        /// Best bid and ask (market orders fill here; `nil`: the last price).
        public var bid: String?
        public var ask: String?
        /// 24-hour volume: spot in the quote currency, swaps in the base currency (as OKX reports them).
        public var volume24h = "1000"

        public init(id: String, type: String, base: String, state: String = "live", volume24h: String = "1000") {
            self.id = id
            self.type = type
            self.base = base
            self.state = state
            self.volume24h = volume24h
            if type == "SWAP" {
                lotSize = "0.01"
                minSize = "0.01"
            }
        }
    }

    /// A request as it arrived.
    public struct Recorded: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var headers: [String: String]
    }

    /// A scripted failure for the next request to a path.
    public enum Fault: Sendable {
        /// HTTP 503 with an HTML body, before anything is done.
        case serverError
        /// HTTP 200 whose body is not JSON, before anything is done.
        case malformed
        /// The request is carried out, then the answer comes after this many milliseconds (longer than
        /// the client waits: a timeout after OKX accepted it).
        case slowAfterAccepting(milliseconds: Int)
        /// The request is carried out, then answered with HTTP 200 and a body that is not JSON.
        case malformedAfterAccepting
    }

    struct State {
        var instruments: [Instrument] = []
        var candles: [String: [(Candle, confirmed: Bool)]] = [:]
        var balances: [String: (available: FixedPoint, frozen: FixedPoint)] = [:]
        var requests: [Recorded] = []
        var clockSkew: Int64 = 0
        var rateLimitNext = 0
        var faults: [(path: String, fault: Fault)] = []
        var orders: [FakeOKXOrder] = []
        var fills: [FakeOKXFill] = []
        var positions: [String: FakeOKXPosition] = [:]
        var positionMode = "net_mode"
        var leverage: [String: String] = [:]
        var nextID: Int64 = 600_000_000_000
    }

    public let apiKey: String
    public let secret: String
    public let passphrase: String
    let state = Mutex(State())

    public init(
        apiKey: String = "fake-okx-key-0123456789", secret: String = "fake-okx-secret-ABCDEFGHIJ",
        passphrase: String = "fake-okx-passphrase"
    ) {
        self.apiKey = apiKey
        self.secret = secret
        self.passphrase = passphrase
    }

    public func list(_ instruments: [Instrument]) { state.withLock { $0.instruments += instruments } }

    /// Adds a closed candle of `id` at `bar` (a new bar in a running market), before the forming one if any.
    public func appendCandle(_ id: String, bar: String, _ candle: Candle) {
        state.withLock { state in
            var all = state.candles["\(id)|\(bar)"] ?? []
            let forming = all.last.flatMap { $0.confirmed ? nil : $0 }
            if forming != nil { all.removeLast() }
            all.append((candle, true))
            if let forming, forming.0.timestamp > candle.timestamp { all.append(forming) }
            state.candles["\(id)|\(bar)"] = all
        }
    }

    /// Candles of `id` at OKX's `bar` (`1H`, `1m`, …), oldest first; `forming` adds one unconfirmed after them.
    public func setCandles(_ id: String, bar: String, _ candles: [Candle], forming: Candle? = nil) {
        state.withLock { state in
            state.candles["\(id)|\(bar)"] = candles.map { ($0, true) } + (forming.map { [($0, false)] } ?? [])
        }
    }

    public func setBalances(_ balances: [String: (available: String, frozen: String)]) {
        state.withLock {
            $0.balances = balances.mapValues { (FixedPoint($0.available) ?? .zero, FixedPoint($0.frozen) ?? .zero) }
        }
    }

    /// The next request to `path` fails with `fault`.
    public func inject(_ fault: Fault, path: String) { state.withLock { $0.faults.append((path, fault)) } }

    public func setClockSkew(_ milliseconds: Int64) { state.withLock { $0.clockSkew = milliseconds } }

    /// The next `count` requests answer HTTP 429 with code 50011.
    public func rateLimitNext(_ count: Int = 1) { state.withLock { $0.rateLimitNext += count } }

    public var requests: [Recorded] { state.withLock { $0.requests } }

    var serverTime: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) + state.withLock { $0.clockSkew } }

    /// Runs `body` with the fake listening on a loopback port; `body` gets the base URL.
    public func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/api/v5/public/time") { request, _ in
            self.answer(request) { _ in #"[{"ts":"\#(self.serverTime)"}]"# }
        }
        router.get("/api/v5/public/instruments") { request, _ in self.answer(request) { try self.instruments($0) } }
        router.get("/api/v5/market/history-candles") { request, _ in self.answer(request) { try self.candles($0) } }
        router.get("/api/v5/market/candles") { request, _ in self.answer(request) { try self.candles($0) } }
        router.get("/api/v5/market/tickers") { request, _ in self.answer(request) { self.tickers($0) } }
        router.get("/api/v5/market/ticker") { request, _ in self.answer(request) { try self.ticker($0) } }
        router.get("/api/v5/account/balance") { request, _ in
            self.answer(request, signed: true) { _ in self.balance() }
        }
        routeOrders(router)
        try await LoopbackServer.run(router, body)
    }

    /// OKX's refusal: an HTTP status, a code and a message.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var code: String
        var message: String
    }

    func answer(_ request: Request, signed: Bool = false, _ make: ([String: String]) throws -> String) -> Response {
        answer(request, body: "", signed: signed) { query, _ in try make(query) }
    }

    /// Answers a request with a JSON body (`POST`): `make` gets the query and the body's fields.
    func answer(
        _ request: Request, signed: Bool, _ make: @Sendable ([String: String], [String: Any]) throws -> String
    ) async -> Response {
        let collected = try? await request.body.collect(upTo: 1 << 20)
        let body = collected.map { String(buffer: $0) } ?? ""
        let fault = state.withLock { state -> Fault? in
            guard let index = state.faults.firstIndex(where: { $0.path == request.uri.path }) else { return nil }
            let fault = state.faults.remove(at: index).fault
            switch fault {
            case .slowAfterAccepting, .malformedAfterAccepting: return fault
            default: break
            }
            // Recorded here: the request arrived, though nothing is done with it.
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            state.requests.append(
                Recorded(
                    method: "\(request.method)", path: request.uri.path, query: request.uri.query ?? "",
                    headers: headers))
            return fault
        }
        switch fault {
        case .serverError?:
            return Self.response(.serviceUnavailable, "<html><body>503 Service Temporarily Unavailable</body></html>")
        case .malformed?:
            return Self.response(.ok, #"{"code":"0","data":[{"ordId":"#)
        case .malformedAfterAccepting?:
            _ = answer(request, body: body, signed: signed, make)
            return Self.response(.ok, #"{"code":"0","data":[{"ordId":"#)
        case .slowAfterAccepting(let milliseconds)?:
            let response = answer(request, body: body, signed: signed, make)
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return response
        case nil:
            return answer(request, body: body, signed: signed, make)
        }
    }

    func answer(
        _ request: Request, body: String, signed: Bool, _ make: ([String: String], [String: Any]) throws -> String
    ) -> Response {
        let query = request.uri.query ?? ""
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let limited = state.withLock { state -> Bool in
            state.requests.append(
                Recorded(method: "\(request.method)", path: request.uri.path, query: query, headers: headers))
            guard state.rateLimitNext > 0 else { return false }
            state.rateLimitNext -= 1
            return true
        }
        if limited { return Self.response(.tooManyRequests, #"{"msg":"Too Many Requests","code":"50011"}"#) }
        do {
            if signed {
                try verify(
                    method: "\(request.method)", path: request.uri.path, query: query, body: body, headers: headers)
            }
            let fields: [String: Any]
            if body.isEmpty {
                fields = [:]
            } else {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
                    throw Refusal(status: .badRequest, code: "50002", message: "Json data format error")
                }
                fields = object
            }
            let data = try make(FakeBinance.decode(query), fields)
            return Self.response(.ok, #"{"code":"0","msg":"","data":\#(data)}"#)
        } catch let refusal as Refusal {
            return Self.response(refusal.status, #"{"code":"\#(refusal.code)","msg":"\#(refusal.message)","data":[]}"#)
        } catch let failure as ItemFailure {
            return Self.response(
                .ok,
                #"{"code":"1","msg":"All operations failed","data":[{"clOrdId":"\#(failure.clientID)","ordId":"","tag":"","ts":"\#(serverTime)","sCode":"\#(failure.code)","sMsg":"\#(failure.message)"}]}"#
            )
        } catch {
            return Self.response(.internalServerError, #"{"code":"50000","msg":"\#(error)"}"#)
        }
    }

    static func response(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// OKX's checks of a signed request (§2.2).
    func verify(method: String, path: String, query: String, body: String, headers: [String: String]) throws {
        guard let key = headers["ok-access-key"], !key.isEmpty else {
            throw Refusal(
                status: .unauthorized, code: "50103", message: "Request header OK-ACCESS-KEY can not be empty.")
        }
        guard key == apiKey else {
            throw Refusal(status: .unauthorized, code: "50111", message: "Invalid OK-ACCESS-KEY.")
        }
        guard headers["ok-access-passphrase"] == passphrase else {
            throw Refusal(status: .unauthorized, code: "50105", message: "Invalid OK-ACCESS-PASSPHRASE.")
        }
        guard let timestamp = headers["ok-access-timestamp"], let sign = headers["ok-access-sign"],
            let time = CivilDate.parseTimestamp(timestamp) ?? Self.parseMilliseconds(timestamp)
        else {
            throw Refusal(status: .unauthorized, code: "50113", message: "Invalid Sign.")
        }
        let requestPath = path + (query.isEmpty ? "" : "?" + query)
        let expected = Data(
            HMAC<SHA256>.authenticationCode(
                for: Data((timestamp + method + requestPath + body).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        ).base64EncodedString()
        guard sign == expected else { throw Refusal(status: .unauthorized, code: "50113", message: "Invalid Sign.") }
        guard abs(serverTime - time) <= 30_000 else {
            throw Refusal(status: .unauthorized, code: "50102", message: "Timestamp request expired.")
        }
    }

    /// `2020-12-08T09:08:57.715Z` as Unix ms.
    public static func parseMilliseconds(_ text: String) -> Int64? {
        guard text.hasSuffix("Z"), let dot = text.lastIndex(of: ".") else { return nil }
        guard let seconds = CivilDate.parseTimestamp(String(text[..<dot]) + "Z"),
            let millis = Int64(text[text.index(after: dot)..<text.index(before: text.endIndex)])
        else { return nil }
        return seconds + millis
    }

    func instruments(_ p: [String: String]) throws -> String {
        guard let type = p["instType"], ["SPOT", "SWAP", "FUTURES", "OPTION", "MARGIN"].contains(type) else {
            throw Refusal(status: .badRequest, code: "50014", message: "Parameter instType can not be empty.")
        }
        var listed = state.withLock { $0.instruments }.filter { $0.type == type }
        if let id = p["instId"] {
            listed = listed.filter { $0.id == id }
            if listed.isEmpty {
                throw Refusal(status: .ok, code: "51001", message: "Instrument ID does not exist.")
            }
        }
        let rows = listed.map { i in
            i.type == "SPOT"
                ? """
                {"instId":"\(i.id)","instType":"SPOT","baseCcy":"\(i.base)","quoteCcy":"USDT","ctVal":"","ctMult":"","ctType":"",\
                "ctValCcy":"","settleCcy":"","lotSz":"\(i.lotSize)","minSz":"\(i.minSize)","tickSz":"\(i.tickSize)","state":"\(i.state)",\
                "lever":"10","instIdCode":1}
                """
                : """
                {"instId":"\(i.id)","instType":"SWAP","baseCcy":"","quoteCcy":"","ctVal":"\(i.contractValue)","ctMult":"1",\
                "ctType":"linear","ctValCcy":"\(i.base)","settleCcy":"USDT","uly":"\(i.base)-USDT","instFamily":"\(i.base)-USDT",\
                "lotSz":"\(i.lotSize)","minSz":"\(i.minSize)","tickSz":"\(i.tickSize)","state":"\(i.state)","lever":"100",\
                "maxMktSz":"12000","instIdCode":10459}
                """
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    func candles(_ p: [String: String]) throws -> String {
        guard let id = p["instId"], let bar = p["bar"] else {
            throw Refusal(status: .badRequest, code: "50014", message: "Parameter instId can not be empty.")
        }
        guard state.withLock({ $0.instruments.contains { $0.id == id } }) else {
            throw Refusal(status: .ok, code: "51001", message: "Instrument ID does not exist.")
        }
        let before = p["after"].flatMap(Int64.init) ?? .max
        let limit = min(100, p["limit"].flatMap(Int.init) ?? 100)
        let all = state.withLock { $0.candles["\(id)|\(bar)"] ?? [] }
        let page = all.filter { $0.0.timestamp < before }.suffix(limit).reversed()
        let rows = page.map { candle, confirmed in
            let c = candle
            return
                #"["\#(c.timestamp)","\#(c.open)","\#(c.high)","\#(c.low)","\#(c.close)","\#(c.volume)","0","0","\#(confirmed ? "1" : "0")"]"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    func tickers(_ p: [String: String]) -> String {
        let type = p["instType"] ?? ""
        let rows = state.withLock { $0.instruments }.filter { $0.type == type }.map(tickerJSON)
        return "[" + rows.joined(separator: ",") + "]"
    }

    func ticker(_ p: [String: String]) throws -> String {
        guard let instrument = state.withLock({ $0.instruments }).first(where: { $0.id == p["instId"] }) else {
            throw Refusal(status: .ok, code: "51001", message: "Instrument ID or Spread ID doesn't exist.")
        }
        return "[" + tickerJSON(instrument) + "]"
    }

    func tickerJSON(_ i: Instrument) -> String {
        #"{"instType":"\#(i.type)","instId":"\#(i.id)","last":"\#(i.last)","askPx":"\#(i.ask ?? i.last)","bidPx":"\#(i.bid ?? i.last)","volCcy24h":"\#(i.volume24h)","vol24h":"1","ts":"\#(serverTime)"}"#
    }

    func balance() -> String {
        let details = state.withLock { $0.balances }.sorted { $0.key < $1.key }.map {
            let total = $0.value.available + $0.value.frozen
            return
                #"{"ccy":"\#($0.key)","availBal":"\#($0.value.available)","frozenBal":"\#($0.value.frozen)","cashBal":"\#(total)","eq":"\#(total)"}"#
        }
        return #"[{"totalEq":"0","uTime":"\#(serverTime)","details":[\#(details.joined(separator: ","))]}]"#
    }
}
