import Foundation
import Logging
import PetrelRuntime

/// An API key and its secret (write-only: never logged, never in an error).
public struct VenueCredentials: Sendable {
    public var apiKey: String
    public var secret: String
    /// OKX's passphrase (other venues have none).
    public var passphrase: String?

    public init(apiKey: String, secret: String, passphrase: String? = nil) {
        self.apiKey = apiKey
        self.secret = secret
        self.passphrase = passphrase
    }
}

/// Binance spot's REST API (EXCHANGE-APIS.md §1): public and signed requests, with the venue's rules
/// applied in one place.
///
/// - Signed requests carry `timestamp` in the venue's time (``ClockOffset``, measured from
///   `/api/v3/time`) and `recvWindow`; a -1021 (timestamp outside the window) measures the offset again
///   and retries once.
/// - The weight the venue reports (`X-MBX-USED-WEIGHT-1M`) is recorded; a 429 pauses every client of the
///   host until its `Retry-After`, a 418 silences them until the ban ends (and is logged as critical and
///   reported to `onBan`). Nothing is sent while paused.
/// - Failures are classified once (``ExecutionError``): 5xx, -1007 and lost answers are unknown outcomes
///   for requests that change something (an order may exist), retryable for reads.
public final class BinanceClient: Sendable {
    /// Binance's live REST base URL.
    public static let liveURL = "https://api.binance.com"
    /// The spot test network's REST base URL.
    public static let testnetURL = "https://testnet.binance.vision"

    public let baseURL: String
    let credentials: VenueCredentials?
    let http: VenueHTTP
    let gate: VenueRateGate
    let offset = ClockOffset()
    let recvWindow: Int64
    let now: @Sendable () -> Int64
    let redaction: Redaction
    let logger: Logger
    let onBan: @Sendable (String) -> Void

    /// - Parameters:
    ///   - baseURL: ``liveURL``, ``testnetURL`` or any other (a test server); a trailing `/` is dropped.
    ///   - credentials: for signed requests (`nil`: public data only).
    ///   - recvWindow: how long (ms) a signed request stays valid at the venue (1 to 60,000).
    ///   - now: local Unix ms.
    ///   - onBan: told (with the message) when the venue bans this IP.
    public init(
        baseURL: String = liveURL, credentials: VenueCredentials? = nil, recvWindow: Int64 = 5_000,
        http: VenueHTTP = VenueHTTP(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) },
        logger: Logger = Logger(label: "petrel.binance"), onBan: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        let trimmed = VenueRateGate.trimmed(baseURL)
        self.baseURL = trimmed
        self.credentials = credentials
        self.http = http
        self.recvWindow = min(60_000, max(1, recvWindow))
        self.now = now
        self.logger = logger
        self.onBan = onBan
        gate = VenueRateGate.shared(baseURL: trimmed)
        redaction = Redaction([credentials?.apiKey, credentials?.secret].compactMap { $0 })
    }

    /// A public GET.
    /// - Returns: the JSON body.
    public func get(_ path: String, _ parameters: [(String, String)] = []) async throws(ExecutionError) -> Data {
        try await send(VenueRequest(method: "GET", path: path, query: BinanceSigner.encode(parameters)), changes: false)
    }

    /// A signed request (`TRADE`, `USER_DATA`): `timestamp`, `recvWindow` and `signature` are added.
    /// - Parameter changes: whether it may change something at the venue (an order): then a lost answer
    ///   is an unknown outcome rather than a retryable failure.
    /// - Returns: the JSON body.
    public func signed(
        _ method: String, _ path: String, _ parameters: [(String, String)] = [], changes: Bool
    ) async throws(ExecutionError) -> Data {
        guard let credentials else {
            throw .fatal("binance: \(path) needs an API key and secret")
        }
        if !offset.isMeasured { try await synchronizeClock() }
        var resynchronized = false
        while true {
            let parameters =
                parameters + [
                    ("recvWindow", String(recvWindow)), ("timestamp", String(offset.venueTime(local: now()))),
                ]
            let query = BinanceSigner.encode(parameters)
            let signature = BinanceSigner.restSignature(query: query, secret: credentials.secret)
            let request = VenueRequest(
                method: method, path: path, query: query + "&signature=" + signature,
                headers: [("X-MBX-APIKEY", credentials.apiKey)])
            do {
                return try await exchange(request, changes: changes)
            } catch BinanceFailure.timestampOutsideWindow(let message) {
                guard !resynchronized else { throw .retryable(message) }
                resynchronized = true
                try await synchronizeClock()
            } catch {
                throw map(error)
            }
        }
    }

    /// Measures the venue's clock against ours (`GET /api/v3/time`).
    public func synchronizeClock() async throws(ExecutionError) {
        let sentAt = now()
        let body = try await get("/api/v3/time")
        let receivedAt = now()
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let serverTime = (object["serverTime"] as? NSNumber)?.int64Value
        else {
            throw .retryable("binance: /api/v3/time answered without serverTime")
        }
        offset.record(serverTime: serverTime, sentAt: sentAt, receivedAt: receivedAt)
    }

    /// The venue's clock minus ours (ms), as last measured.
    public var clockOffset: Int64 { offset.milliseconds }

    /// Sends one request through the host's rate gate and classifies the outcome.
    func send(_ request: VenueRequest, changes: Bool) async throws(ExecutionError) -> Data {
        do {
            return try await exchange(request, changes: changes)
        } catch {
            throw map(error)
        }
    }

    /// Any failure of ``exchange(_:changes:)`` as an ``ExecutionError``.
    func map(_ error: any Error) -> ExecutionError {
        switch error {
        case let failure as BinanceFailure: return failure.executionError
        case let error as ExecutionError: return error
        default: return .retryable(redaction.apply("\(error)"))
        }
    }

    func exchange(_ request: VenueRequest, changes: Bool) async throws -> Data {
        let (wait, banned) = gate.wait(now: now())
        if wait > 0 {
            throw ExecutionError.rateLimited(
                retryAfterMilliseconds: wait,
                banned
                    ? "binance has banned this IP (418); nothing is sent for \(wait / 1_000) s"
                    : "binance asked to slow down (429); nothing is sent for \(wait) ms")
        }
        let response = try await http.send(request, to: baseURL, changes: changes, redaction: redaction)
        if let used = response.headers.first(where: { $0.0.lowercased().hasPrefix("x-mbx-used-weight-") })?.1,
            let weight = Int(used)
        {
            gate.recordUsedWeight(weight)
        }
        if (200..<300).contains(response.status) { return response.body }
        throw classify(response, request: request, changes: changes)
    }

    /// The failure a non-2xx answer means.
    func classify(_ response: VenueResponse, request: VenueRequest, changes: Bool) -> any Error {
        let what = "\(request.method) \(request.path)"
        let retryAfter = response.header("Retry-After").flatMap(Int64.init).map { $0 * 1_000 }
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let code = (object?["code"] as? NSNumber)?.intValue
        let message = redaction.apply((object?["msg"] as? String) ?? response.excerpt)
        let said = code.map { "binance \($0): \(message)" } ?? "binance HTTP \(response.status): \(message)"
        switch response.status {
        case 429:
            let wait = retryAfter ?? 60_000
            gate.pause(now: now(), retryAfter: wait)
            logger.warning("binance rate limit hit; pausing every client of this host", metadata: ["ms": "\(wait)"])
            return ExecutionError.rateLimited(retryAfterMilliseconds: wait, "\(what): \(said)")
        case 418:
            let wait = retryAfter ?? 120_000
            gate.ban(now: now(), retryAfter: wait)
            let alert =
                "binance banned this IP for \(wait / 1_000) s (HTTP 418 on \(what)); nothing is sent until it ends"
            logger.critical("\(alert)")
            onBan(alert)
            return ExecutionError.rateLimited(retryAfterMilliseconds: wait, alert)
        case 500...:
            return changes
                ? ExecutionError.unknownOutcome("\(what): \(said)") : ExecutionError.retryable("\(what): \(said)")
        case 403:
            return ExecutionError.fatal("\(what): the venue's firewall refused the request (HTTP 403)")
        default:
            break
        }
        switch code ?? 0 {
        case -1021: return BinanceFailure.timestampOutsideWindow("\(what): \(said)")
        case -1003:
            let wait = retryAfter ?? 60_000
            gate.pause(now: now(), retryAfter: wait)
            return ExecutionError.rateLimited(retryAfterMilliseconds: wait, "\(what): \(said)")
        case -1007, -1006:
            return changes
                ? ExecutionError.unknownOutcome("\(what): \(said)") : ExecutionError.retryable("\(what): \(said)")
        case -1022, -2014, -2015, -1002:
            return ExecutionError.fatal("\(what): \(said) (check the API key, its permissions and IP whitelist)")
        default:
            return ExecutionError.rejected("\(what): \(said)")
        }
    }
}

/// Failures handled inside ``BinanceClient`` before they become ``ExecutionError``s.
enum BinanceFailure: Error {
    /// -1021: the request's timestamp fell outside `recvWindow` (clock drift).
    case timestampOutsideWindow(String)

    var executionError: ExecutionError {
        switch self {
        case .timestampOutsideWindow(let why): return .retryable(why)
        }
    }
}
