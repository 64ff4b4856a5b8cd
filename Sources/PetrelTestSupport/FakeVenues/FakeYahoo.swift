import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for Yahoo Finance's chart endpoint (EXCHANGE-APIS.md §4): float prices, Unix-second
/// timestamps, index-aligned quote arrays with `null`s where a bar is missing, JSON errors for unknown
/// tickers (404) and intervals (400), and a plain-text 429 for clients without a browser `User-Agent` (as
/// Yahoo does) or when scripted. Loopback only.
public final class FakeYahoo: Sendable {
    struct Series {
        var currency: String
        var bars: [(time: Int64, open: Double?, high: Double?, low: Double?, close: Double?, volume: Double?)]
    }

    /// A request as it arrived.
    public struct Recorded: Sendable {
        public var path: String
        public var query: String
        public var userAgent: String?
    }

    struct State {
        var series: [String: Series] = [:]
        var requests: [Recorded] = []
        var tooManyNext = 0
    }

    let state = Mutex(State())

    public init() {}

    /// The bars of `ticker` at `interval` (Yahoo's spelling: `1d`, `1h`, `1wk`), with `null` prices at
    /// the indices in `gaps`.
    public func setBars(_ ticker: String, interval: String, currency: String, _ candles: [Candle], gaps: Set<Int> = [])
    {
        let bars = candles.enumerated().map { index, c in
            let gap = gaps.contains(index)
            return (
                time: c.timestamp / 1_000, open: gap ? nil : Double(c.open.description),
                high: gap ? nil : Double(c.high.description), low: gap ? nil : Double(c.low.description),
                close: gap ? nil : Double(c.close.description), volume: gap ? nil : Double(c.volume.description)
            )
        }
        state.withLock { $0.series["\(ticker)|\(interval)"] = Series(currency: currency, bars: bars) }
    }

    /// The next `count` requests answer 429 with a plain-text body.
    public func tooManyRequests(_ count: Int = 1) { state.withLock { $0.tooManyNext += count } }

    public var requests: [Recorded] { state.withLock { $0.requests } }

    public func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/v8/finance/chart/:ticker") { request, context in
            self.chart(request, ticker: context.parameters.get("ticker") ?? "")
        }
        try await LoopbackServer.run(router, body)
    }

    static func response(_ status: HTTPResponse.Status, _ body: String, json: Bool = true) -> Response {
        Response(
            status: status, headers: [.contentType: json ? "application/json" : "text/plain"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func chart(_ request: Request, ticker: String) -> Response {
        let query = request.uri.query ?? ""
        let agent = request.headers[.userAgent]
        let limited = state.withLock { state -> Bool in
            state.requests.append(Recorded(path: request.uri.path, query: query, userAgent: agent))
            guard state.tooManyNext > 0 else { return false }
            state.tooManyNext -= 1
            return true
        }
        if limited || !(agent ?? "").contains("Mozilla") {
            return Self.response(.tooManyRequests, "Edge: Too Many Requests", json: false)
        }
        let p = FakeBinance.decode(query)
        let intervals = ["1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo"]
        guard let interval = p["interval"], intervals.contains(interval) else {
            return Self.response(
                .badRequest,
                #"{"chart":{"result":null,"error":{"code":"Bad Request","description":"Invalid input - interval=\#(p["interval"] ?? "") is not supported. Valid intervals: [1m, 2m, 5m, 15m, 30m, 60m, 90m, 1h, 1d, 5d, 1wk, 1mo, 3mo]"}}}"#
            )
        }
        guard let series = state.withLock({ $0.series["\(ticker)|\(interval)"] }) else {
            return Self.response(
                .notFound,
                #"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#
            )
        }
        let start = p["period1"].flatMap(Int64.init) ?? 0
        let end = p["period2"].flatMap(Int64.init) ?? .max
        let bars = series.bars.filter { $0.time >= start && $0.time < end }
        func list(_ values: [Double?]) -> String {
            "[" + values.map { $0.map { "\($0)" } ?? "null" }.joined(separator: ",") + "]"
        }
        let meta =
            #"{"currency":"\#(series.currency)","symbol":"\#(ticker)","exchangeName":"CCC","instrumentType":"CRYPTOCURRENCY","gmtoffset":0,"timezone":"UTC","dataGranularity":"\#(interval)","validRanges":["1d","5d","1mo","max"]}"#
        guard !bars.isEmpty else {
            return Self.response(
                .ok, #"{"chart":{"result":[{"meta":\#(meta),"indicators":{"quote":[{}]}}],"error":null}}"#)
        }
        // Key order inside `quote` varies at Yahoo; this fake writes volume first.
        let quote =
            #"{"volume":\#(list(bars.map(\.volume))),"close":\#(list(bars.map(\.close))),"high":\#(list(bars.map(\.high))),"open":\#(list(bars.map(\.open))),"low":\#(list(bars.map(\.low)))}"#
        let times = "[" + bars.map { String($0.time) }.joined(separator: ",") + "]"
        return Self.response(
            .ok,
            #"{"chart":{"result":[{"meta":\#(meta),"timestamp":\#(times),"indicators":{"quote":[\#(quote)]}}],"error":null}}"#
        )
    }
}
