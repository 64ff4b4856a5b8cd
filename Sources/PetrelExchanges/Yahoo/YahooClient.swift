import Foundation
import PetrelCore
import PetrelRuntime

/// Yahoo Finance's chart endpoint as a read-only source of candles (EXCHANGE-APIS.md §4; unofficial and
/// undocumented): `/v8/finance/chart/{ticker}` with `interval`, `period1` and `period2` (Unix seconds).
///
/// - Prices are JSON numbers (floats); they are rounded to 8 decimals. A bar with a `null` price (a halted
///   minute) is left out; a `null` volume is 0. The bar still forming is left out, and a bar is final only
///   a tenth of its timeframe (5 s to 1 min) after it ends.
/// - Yahoo refuses clients without a browser-like `User-Agent` (HTTP 429 with a plain-text body), so one
///   is sent. A 429 pauses every client of the host for 5 s; 404 ("symbol may be delisted") and 400 (a bad
///   interval) are fatal with Yahoo's description; 5xx and lost answers are retryable.
public final class YahooClient: Sendable {
    public static let liveURL = "https://query1.finance.yahoo.com"
    /// What Yahoo expects from a client.
    static let browserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

    public let baseURL: String
    let http: VenueHTTP
    let gate: VenueRateGate
    let now: @Sendable () -> Int64

    public init(
        baseURL: String = liveURL, http: VenueHTTP = VenueHTTP(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        let trimmed = VenueRateGate.trimmed(baseURL)
        self.baseURL = trimmed
        var http = http
        http.userAgent = Self.browserAgent
        self.http = http
        self.now = now
        gate = VenueRateGate.shared(baseURL: trimmed)
    }

    /// Yahoo's spelling of a timeframe.
    /// - Throws: ``ExecutionError/fatal(_:)`` for the ones Yahoo does not have.
    public static func interval(_ timeframe: Timeframe) throws(ExecutionError) -> String {
        switch timeframe {
        case .m1, .m5, .m15, .m30, .h1, .d1: return timeframe.rawValue
        case .w1: return "1wk"
        case .month1: return "1mo"
        default:
            throw .fatal(
                "yahoo has no \(timeframe.rawValue) candles (intervals: 1m 5m 15m 30m 1h 1d 1w 1M)")
        }
    }

    /// Yahoo's ticker for a symbol: `BTC/USD` → `BTC-USD`; a ticker given as it is (`AAPL`, `6309.T`) is kept.
    public static func ticker(_ text: String) -> String {
        guard let symbol = try? Symbol(parsing: text), text.contains("/") else { return text.uppercased() }
        return symbol.venueSpelling(.dashed)
    }

    /// The closed bars of `ticker` with open times in `[from, to)`, oldest first, and the currency Yahoo
    /// quotes it in.
    public func chart(ticker: String, timeframe: Timeframe, from: Int64, to: Int64) async throws(ExecutionError)
        -> (candles: [Candle], currency: String?)
    {
        let interval = try Self.interval(timeframe)
        let (wait, _) = gate.wait(now: now())
        if wait > 0 {
            throw .rateLimited(retryAfterMilliseconds: wait, "yahoo asked to slow down; nothing is sent for \(wait) ms")
        }
        let path =
            "/v8/finance/chart/"
            + (ticker.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-^=_"))) ?? ticker)
        let query = BinanceSigner.encode([
            ("interval", interval), ("period1", String(from / 1_000)), ("period2", String((to + 999) / 1_000)),
            ("includePrePost", "false"),
        ])
        let response: VenueResponse
        do {
            response = try await http.send(VenueRequest(method: "GET", path: path, query: query), to: baseURL)
        } catch {
            throw .retryable("\(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let chart = object?["chart"] as? [String: Any]
        let described = (chart?["error"] as? [String: Any])?["description"] as? String
        switch response.status {
        case 200..<300: break
        case 429:
            gate.pause(now: now(), retryAfter: 5_000)
            throw .rateLimited(retryAfterMilliseconds: 5_000, "yahoo: HTTP 429 \(response.excerpt)")
        case 404, 400:
            throw .fatal("yahoo \(ticker): \(described ?? "HTTP \(response.status) \(response.excerpt)")")
        default:
            throw .retryable("yahoo \(ticker): HTTP \(response.status) \(described ?? response.excerpt)")
        }
        guard let result = (chart?["result"] as? [Any])?.first as? [String: Any] else {
            throw .retryable("yahoo \(ticker): the answer has no chart.result (\(described ?? response.excerpt))")
        }
        let currency = (result["meta"] as? [String: Any])?["currency"] as? String
        let times = result["timestamp"] as? [Any] ?? []
        // No bars in the window: Yahoo leaves out timestamp and the quote arrays.
        guard !times.isEmpty else { return ([], currency) }
        guard let quote = ((result["indicators"] as? [String: Any])?["quote"] as? [Any])?.first as? [String: Any]
        else { throw .retryable("yahoo \(ticker): bars without indicators.quote") }
        func column(_ name: String) throws(ExecutionError) -> [Any] {
            guard let values = quote[name] as? [Any], values.count == times.count else {
                throw .retryable("yahoo \(ticker): quote.\(name) is missing or not aligned with timestamp")
            }
            return values
        }
        let (opens, highs, lows, closes) = (
            try column("open"), try column("high"), try column("low"), try column("close")
        )
        let volumes = quote["volume"] as? [Any] ?? []
        let venueNow = now()
        var candles: [Candle] = []
        for index in times.indices {
            guard let seconds = (times[index] as? NSNumber)?.int64Value else { continue }
            let time = seconds * 1_000
            // Closed, and given time for Yahoo to count its last trades.
            guard time >= from, time < to, time + timeframe.milliseconds + Self.grace(timeframe) <= venueNow else {
                continue
            }
            func price(_ values: [Any]) -> FixedPoint? {
                (values[index] as? NSNumber).flatMap { try? FixedPoint(approximating: $0.doubleValue) }
            }
            guard let open = price(opens), let high = price(highs), let low = price(lows), let close = price(closes)
            else { continue }
            let volume =
                index < volumes.count
                ? (volumes[index] as? NSNumber).flatMap { try? FixedPoint(approximating: $0.doubleValue) } ?? .zero
                : .zero
            if let last = candles.last, time <= last.timestamp { continue }
            candles.append(Candle(timestamp: time, open: open, high: high, low: low, close: close, volume: volume))
        }
        return (candles, currency)
    }

    /// How long after a bar ends it is taken as final: a tenth of the timeframe, 5 s to 1 min.
    static func grace(_ timeframe: Timeframe) -> Int64 { min(60_000, max(5_000, timeframe.milliseconds / 10)) }

    /// How much one request may cover: Yahoo serves 1-minute bars 7 days at a time, other intraday bars
    /// 60 days, daily and longer any span.
    static func window(_ timeframe: Timeframe) -> Int64 {
        let day: Int64 = 86_400_000
        switch timeframe {
        case .m1: return 7 * day
        case .d1, .w1, .month1: return 3_650 * day
        default: return 60 * day
        }
    }

    /// Every closed bar in `[from, to)`, oldest first, a window at a time.
    public func history(
        ticker: String, timeframe: Timeframe, from: Int64, to: Int64, page: (_ candles: [Candle]) async throws -> Void
    ) async throws -> String? {
        var start = from
        var currency: String?
        while start < to {
            let end = min(to, start + Self.window(timeframe))
            let answer = try await chart(ticker: ticker, timeframe: timeframe, from: start, to: end)
            currency = currency ?? answer.currency
            if !answer.candles.isEmpty { try await page(answer.candles) }
            start = end
        }
        return currency
    }
}
