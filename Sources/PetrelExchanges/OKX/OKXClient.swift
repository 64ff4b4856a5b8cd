import Crypto
import Foundation
import Logging
import PetrelCore
import PetrelRuntime

/// OKX's request signing (EXCHANGE-APIS.md §2.2): Base64 of HMAC-SHA256 with the secret over
/// `timestamp + METHOD + requestPath + body`, where the request path includes the query (`?…`) and the
/// timestamp is ISO-8601 UTC with milliseconds.
public enum OKXSigner {
    /// The Base64 HMAC-SHA256 of `prehash` under `secret`.
    public static func signature(_ prehash: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(prehash.utf8), using: SymmetricKey(data: Data(secret.utf8))))
            .base64EncodedString()
    }

    /// The signature of one REST request.
    public static func restSignature(
        timestamp: String, method: String, requestPath: String, body: String = "", secret: String
    ) -> String {
        signature(timestamp + method.uppercased() + requestPath + body, secret: secret)
    }

    /// `2020-12-08T09:08:57.715Z` for Unix ms.
    public static func timestamp(milliseconds: Int64) -> String {
        let seconds = CivilDate.iso8601(milliseconds: milliseconds / 1_000 * 1_000)
        let millis = ((milliseconds % 1_000) + 1_000) % 1_000
        let padded = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
        // CivilDate writes `…:57Z`; OKX wants the milliseconds before the `Z`.
        return String(seconds.dropLast()) + "." + padded + "Z"
    }
}

/// OKX's API key: key, secret and the passphrase chosen when it was made (all write-only).
public struct OKXCredentials: Sendable {
    public var apiKey: String
    public var secret: String
    public var passphrase: String

    public init(apiKey: String, secret: String, passphrase: String) {
        self.apiKey = apiKey
        self.secret = secret
        self.passphrase = passphrase
    }
}

/// OKX's v5 REST API (EXCHANGE-APIS.md §2): public and signed requests, the `{code,msg,data}` envelope
/// (code is a string; trade answers carry a per-item `sCode`), demo trading, and the venue's failures
/// classified once.
///
/// - Signed requests carry the venue's time (``ClockOffset`` from `/api/v5/public/time`); a 50102
///   (timestamp expired) measures it again and retries once.
/// - 429 or 50011 pauses every client of the host (OKX sends no `Retry-After`: one second); 5xx and lost
///   answers are unknown outcomes for requests that change something, retryable for reads; the
///   authentication codes (50103–50105, 50111, 50113) are fatal.
public final class OKXClient: Sendable {
    /// OKX's REST base URL (live and demo trading alike; demo adds a header).
    public static let liveURL = "https://www.okx.com"

    public let baseURL: String
    /// Whether requests go to demo trading (`x-simulated-trading: 1`).
    public let demo: Bool
    let credentials: OKXCredentials?
    let http: VenueHTTP
    let gate: VenueRateGate
    let offset = ClockOffset()
    let now: @Sendable () -> Int64
    let redaction: Redaction
    let logger: Logger

    /// - Parameters:
    ///   - baseURL: ``liveURL`` or any other (a test server); a trailing `/` is dropped.
    ///   - demo: demo trading (needs a demo API key).
    ///   - credentials: for signed requests (`nil`: public data only).
    public init(
        baseURL: String = liveURL, demo: Bool = false, credentials: OKXCredentials? = nil,
        http: VenueHTTP = VenueHTTP(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) },
        logger: Logger = Logger(label: "petrel.okx")
    ) {
        let trimmed = VenueRateGate.trimmed(baseURL)
        self.baseURL = trimmed
        self.demo = demo
        self.credentials = credentials
        self.http = http
        self.now = now
        self.logger = logger
        gate = VenueRateGate.shared(baseURL: trimmed)
        redaction = Redaction(
            [credentials?.apiKey, credentials?.secret, credentials?.passphrase].compactMap { $0 })
    }

    /// A public GET.
    /// - Returns: the envelope's `data` array.
    public func get(_ path: String, _ parameters: [(String, String)] = []) async throws(ExecutionError) -> [Any] {
        let query = BinanceSigner.encode(parameters)
        return try await send(VenueRequest(method: "GET", path: path, query: query), changes: false)
    }

    /// A signed request: the key, the passphrase, the venue-time timestamp and the signature over
    /// timestamp, method, path with query, and body.
    /// - Parameter changes: whether it may change something (an order): then a lost answer is an
    ///   unknown outcome.
    /// - Parameter expiresIn: sends OKX's `expTime` header: the request is dropped if it reaches OKX more
    ///   than this many milliseconds (of venue time) after it was signed.
    public func signed(
        _ method: String, _ path: String, query parameters: [(String, String)] = [], body: String? = nil,
        changes: Bool, expiresIn: Int64? = nil
    ) async throws(ExecutionError) -> [Any] {
        guard let credentials else { throw .fatal("okx: \(path) needs an API key, secret and passphrase") }
        if !offset.isMeasured { try await synchronizeClock() }
        let query = BinanceSigner.encode(parameters)
        let requestPath = path + (query.isEmpty ? "" : "?" + query)
        var resynchronized = false
        while true {
            let venueNow = offset.venueTime(local: now())
            let timestamp = OKXSigner.timestamp(milliseconds: venueNow)
            var headers = [
                ("OK-ACCESS-KEY", credentials.apiKey),
                (
                    "OK-ACCESS-SIGN",
                    OKXSigner.restSignature(
                        timestamp: timestamp, method: method, requestPath: requestPath, body: body ?? "",
                        secret: credentials.secret)
                ),
                ("OK-ACCESS-TIMESTAMP", timestamp), ("OK-ACCESS-PASSPHRASE", credentials.passphrase),
            ]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            if let expiresIn { headers.append(("expTime", String(venueNow + expiresIn))) }
            do {
                return try await exchange(
                    VenueRequest(method: method, path: path, query: query, body: body, headers: headers),
                    changes: changes)
            } catch OKXFailure.timestampExpired(let message) {
                guard !resynchronized else { throw .retryable(message) }
                resynchronized = true
                try await synchronizeClock()
            } catch {
                throw map(error)
            }
        }
    }

    /// Measures OKX's clock against ours (`GET /api/v5/public/time`).
    public func synchronizeClock() async throws(ExecutionError) {
        let sentAt = now()
        let data = try await get("/api/v5/public/time")
        let receivedAt = now()
        guard let first = data.first as? [String: Any], let text = first["ts"] as? String, let time = Int64(text)
        else { throw .retryable("okx: /api/v5/public/time answered without ts") }
        offset.record(serverTime: time, sentAt: sentAt, receivedAt: receivedAt)
    }

    /// OKX's clock minus ours (ms), as last measured.
    public var clockOffset: Int64 { offset.milliseconds }

    func send(_ request: VenueRequest, changes: Bool) async throws(ExecutionError) -> [Any] {
        do {
            return try await exchange(request, changes: changes)
        } catch {
            throw map(error)
        }
    }

    func map(_ error: any Error) -> ExecutionError {
        switch error {
        case let failure as OKXFailure: return failure.executionError
        case let error as ExecutionError: return error
        default: return .retryable(redaction.apply("\(error)"))
        }
    }

    func exchange(_ request: VenueRequest, changes: Bool) async throws -> [Any] {
        var request = request
        if demo { request.headers.append(("x-simulated-trading", "1")) }
        let (wait, _) = gate.wait(now: now())
        if wait > 0 {
            throw ExecutionError.rateLimited(
                retryAfterMilliseconds: wait, "okx asked to slow down; nothing is sent for \(wait) ms")
        }
        let response = try await http.send(request, to: baseURL, changes: changes, redaction: redaction)
        let what = "\(request.method) \(request.path)"
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let code = object?["code"] as? String ?? (object?["code"] as? NSNumber).map { "\($0)" }
        let message = redaction.apply((object?["msg"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? response.excerpt)
        if response.status == 429 || code == "50011" {
            gate.pause(now: now(), retryAfter: 1_000)
            logger.warning("okx rate limit hit; pausing every client of this host for 1 s")
            throw ExecutionError.rateLimited(retryAfterMilliseconds: 1_000, "\(what): okx 50011: \(message)")
        }
        if response.status >= 500 {
            let said = "\(what): okx HTTP \(response.status): \(message)"
            throw changes ? ExecutionError.unknownOutcome(said) : ExecutionError.retryable(said)
        }
        guard let object, let code else {
            if (200..<300).contains(response.status) {
                // OKX answered: a request that changes something may have been carried out.
                let said = "\(what): okx answered without the {code,msg,data} envelope: \(response.excerpt)"
                throw changes ? ExecutionError.unknownOutcome(said) : ExecutionError.retryable(said)
            }
            throw ExecutionError.rejected("\(what): okx HTTP \(response.status): \(message)")
        }
        let data = object["data"] as? [Any] ?? []
        switch code {
        case "0":
            return data
        case "50102":
            throw OKXFailure.timestampExpired("\(what): okx 50102: \(message)")
        case "50001", "50004",
            "50013" where changes:
            // Unavailable, endpoint timeout ("does not indicate success or failure"), busy: the order may
            // exist.
            throw ExecutionError.unknownOutcome("\(what): okx \(code): \(message)")
        case "50001", "50004", "50013":
            throw ExecutionError.retryable("\(what): okx \(code): \(message)")
        case "50103", "50104", "50105", "50111", "50113":
            throw ExecutionError.fatal(
                "\(what): okx \(code): \(message) (check the API key, its passphrase, permissions and IP whitelist)")
        case "1", "2":
            // Per-item results: the first failed item's sCode says why.
            let failed = data.compactMap { $0 as? [String: Any] }.first { ($0["sCode"] as? String ?? "0") != "0" }
            let sCode = failed?["sCode"] as? String ?? code
            let sMessage = redaction.apply(failed?["sMsg"] as? String ?? message)
            throw ExecutionError.rejected("\(what): okx \(sCode): \(sMessage)")
        default:
            throw ExecutionError.rejected("\(what): okx \(code): \(message)")
        }
    }
}

/// Failures handled inside ``OKXClient`` before they become ``ExecutionError``s.
enum OKXFailure: Error {
    /// 50102: the request's timestamp is more than 30 s from OKX's clock.
    case timestampExpired(String)

    var executionError: ExecutionError {
        switch self {
        case .timestampExpired(let why): return .retryable(why)
        }
    }
}
