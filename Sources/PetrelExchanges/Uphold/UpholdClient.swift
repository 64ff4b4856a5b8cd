import Foundation
import PetrelCore
import PetrelRuntime

/// Uphold's REST API (EXCHANGE-APIS.md §3): public tickers, and with a personal access token the cards
/// (one currency each) and quote-then-commit transactions, which is how seed 000's portfolio bot converts.
///
/// - Authentication is `Authorization: Bearer <token>` only; the token is redacted from every message.
/// - A 429 pauses every client of the host until its `Retry-After`; a validation failure names Uphold's
///   codes (`sufficient_funds`, …); committing a quote after its `ttl` is a 404: the quote expired.
public final class UpholdClient: Sendable {
    public static let liveURL = "https://api.uphold.com"
    public static let sandboxURL = "https://api-sandbox.uphold.com"

    public let baseURL: String
    let token: String?
    let http: VenueHTTP
    let gate: VenueRateGate
    let redaction: Redaction
    let now: @Sendable () -> Int64

    /// - Parameter token: a personal access token (`nil`: tickers only).
    public init(
        baseURL: String = liveURL, token: String? = nil, http: VenueHTTP = VenueHTTP(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.baseURL = VenueRateGate.trimmed(baseURL)
        self.token = token
        self.http = http
        self.now = now
        gate = VenueRateGate.shared(baseURL: self.baseURL)
        redaction = Redaction([token].compactMap { $0 })
    }

    /// One card: a balance in one currency.
    public struct Card: Sendable, Hashable {
        public var id: String
        public var label: String
        public var currency: String
        public var available: FixedPoint
        public var balance: FixedPoint
    }

    /// Bid and ask of `base` in `quote` (`GET /v0/ticker/BASE-QUOTE`).
    public func ticker(base: String, quote: String) async throws(ExecutionError) -> (bid: Price, ask: Price) {
        let object = try Self.object(
            try await send("GET", "/v0/ticker/\(base.uppercased())-\(quote.uppercased())", signed: false),
            "ticker")
        return (
            try Self.decimal(object["bid"], "ticker \(base)-\(quote) bid"),
            try Self.decimal(object["ask"], "ticker \(base)-\(quote) ask")
        )
    }

    /// One entry of the all-pairs ticker list.
    public struct Ticker: Sendable, Hashable {
        /// Uphold's pair without a separator (`BTCUSD`, `USDEUR`), either direction.
        public var pair: String
        /// The quote (second) currency of `pair`.
        public var currency: String
        public var bid: Price
        public var ask: Price
    }

    /// Every pair Uphold quotes against `currency` (`GET /v0/ticker/:currency`), in both directions
    /// (`BTCUSD` and `USDEUR` for `USD`).
    public func tickers(currency: String) async throws(ExecutionError) -> [Ticker] {
        let path = "/v0/ticker/\(currency.uppercased())"
        guard let list = try Self.json(try await send("GET", path, signed: false), "tickers") as? [Any] else {
            throw .retryable("uphold tickers of \(currency): expected an array")
        }
        var tickers: [Ticker] = []
        for case let entry as [String: Any] in list {
            guard let pair = entry["pair"] as? String, let quote = entry["currency"] as? String else { continue }
            tickers.append(
                Ticker(
                    pair: pair, currency: quote, bid: try Self.decimal(entry["bid"], "ticker \(pair) bid"),
                    ask: try Self.decimal(entry["ask"], "ticker \(pair) ask")))
        }
        return tickers
    }

    /// The account's cards.
    public func cards() async throws(ExecutionError) -> [Card] {
        guard let list = try Self.json(try await send("GET", "/v0/me/cards", signed: true), "cards") as? [Any] else {
            throw .retryable("uphold cards: expected an array")
        }
        var cards: [Card] = []
        for case let entry as [String: Any] in list {
            guard let id = entry["id"] as? String, let currency = entry["currency"] as? String else { continue }
            cards.append(
                Card(
                    id: id, label: entry["label"] as? String ?? "", currency: currency,
                    available: try Self.decimal(entry["available"], "card \(id) available"),
                    balance: try Self.decimal(entry["balance"], "card \(id) balance")))
        }
        return cards
    }

    /// A quote: `amount` of `currency` from card `origin` to `destination` (a card id converts between
    /// the two cards' currencies). Nothing moves until ``commit(_:card:)``.
    /// - Parameter reference: Uphold's free `reference` field (an external id; Petrel puts the client order id
    ///   there, so a lost answer is resolved by listing the card's transactions).
    public func quote(
        from origin: String, to destination: String, amount: FixedPoint, currency: String, reference: String? = nil
    ) async throws(ExecutionError) -> Transaction {
        var body =
            #"{"denomination":{"amount":"\#(amount)","currency":"\#(currency)"},"destination":"\#(destination)""#
        if let reference { body += #","reference":"\#(Self.escaped(reference))""# }
        body += "}"
        return try Self.transaction(
            try await send("POST", "/v0/me/cards/\(origin)/transactions", signed: true, body: body, changes: false))
    }

    /// Commits a quote.
    /// - Throws: ``ExecutionError/rejected(_:)`` when the quote expired (Uphold's 404 after `ttl`);
    ///   ``ExecutionError/unknownOutcome(_:)`` when the answer was lost: the transaction may be processing.
    public func commit(_ transaction: String, card: String) async throws(ExecutionError) -> Transaction {
        let answer = try await send(
            "POST", "/v0/me/cards/\(card)/transactions/\(transaction)/commit", signed: true, body: "{}",
            changes: true)
        // Uphold answered the commit, so it acted on it: an answer that cannot be read leaves it unknown.
        do {
            return try Self.transaction(answer)
        } catch {
            throw .unknownOutcome("uphold commit of \(transaction): the answer could not be read (\(error))")
        }
    }

    func send(_ method: String, _ path: String, signed: Bool, body: String? = nil, changes: Bool = false)
        async throws(ExecutionError) -> Data
    {
        try await exchange(method, path, signed: signed, body: body, changes: changes).body
    }

    /// Sends one request and classifies the answer; a 2xx answer is returned whole (headers included).
    func exchange(
        _ method: String, _ path: String, signed: Bool, body: String? = nil, changes: Bool = false,
        headers extra: [(String, String)] = []
    ) async throws(ExecutionError) -> VenueResponse {
        var headers: [(String, String)] = [("Accept", "application/json")] + extra
        if signed {
            guard let token else { throw .fatal("uphold: \(path) needs a personal access token") }
            headers.append(("Authorization", "Bearer \(token)"))
        }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let (wait, _) = gate.wait(now: now())
        if wait > 0 {
            throw .rateLimited(
                retryAfterMilliseconds: wait, "uphold asked to slow down; nothing is sent for \(wait) ms")
        }
        let response = try await http.send(
            VenueRequest(method: method, path: path, body: body, headers: headers), to: baseURL, changes: changes,
            redaction: redaction)
        let what = "\(method) \(path)"
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let code = object?["code"] as? String
        switch response.status {
        case 200..<300:
            return response
        case 429:
            let wait = response.header("Retry-After").flatMap(Int64.init).map { $0 * 1_000 } ?? 60_000
            gate.pause(now: now(), retryAfter: wait)
            throw .rateLimited(retryAfterMilliseconds: wait, "\(what): uphold HTTP 429")
        case 401, 403:
            throw .fatal("\(what): uphold refused the token (HTTP \(response.status)\(code.map { ", \($0)" } ?? ""))")
        case 404 where path.hasSuffix("/commit"):
            throw .rejected("\(what): the quote expired or does not exist (HTTP 404); ask for a new one")
        case 500...:
            let said = "\(what): uphold HTTP \(response.status)"
            throw changes ? .unknownOutcome(said) : .retryable(said)
        default:
            let reasons = Self.validationCodes(object)
            let detail = reasons.isEmpty ? redaction.apply(response.excerpt) : reasons.joined(separator: ", ")
            throw .rejected("\(what): uphold HTTP \(response.status) \(code ?? ""): \(detail)")
        }
    }

    /// `path: code (message)` for each leaf of a nested `validation_failed` body.
    static func validationCodes(_ object: [String: Any]?, path: String = "") -> [String] {
        guard let errors = object?["errors"] as? [String: Any] else { return [] }
        var found: [String] = []
        for (key, value) in errors.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? key : "\(path).\(key)"
            if let nested = value as? [String: Any] {
                found += validationCodes(nested, path: here)
            } else if let list = value as? [[String: Any]] {
                for item in list {
                    let code = item["code"] as? String ?? "invalid"
                    found.append(item["message"].map { "\(here): \(code) (\($0))" } ?? "\(here): \(code)")
                }
            }
        }
        return found
    }

    static func json(_ body: Data, _ what: String) throws(ExecutionError) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: body) else {
            throw .retryable("uphold \(what): the answer is not JSON")
        }
        return value
    }

    static func object(_ body: Data, _ what: String) throws(ExecutionError) -> [String: Any] {
        guard let object = try json(body, what) as? [String: Any] else {
            throw .retryable("uphold \(what): expected a JSON object")
        }
        return object
    }

    static func decimal(_ value: Any?, _ what: String) throws(ExecutionError) -> FixedPoint {
        guard let text = value as? String, let number = FixedPoint(text) else {
            throw .retryable("uphold: \(what) is not a decimal string (\(String(describing: value)))")
        }
        return number
    }

    /// `text` as the inside of a JSON string.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
