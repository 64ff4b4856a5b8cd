import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for Uphold's API (EXCHANGE-APIS.md §3): pair tickers (without `pair`, as Uphold
/// answers) and the all-pairs list of a currency, cards behind a bearer token, and quote-then-commit
/// transactions that convert between cards at the ticker's rate, expire after their `ttl` (a late commit is
/// 404), and refuse what a card cannot pay with Uphold's nested `validation_failed` body. Transactions keep
/// their `reference` and are listed per card (origin or destination), newest first, paged by
/// `Range: items=A-B` with `Content-Range`. An exchange commission can be charged on the destination, as in
/// Uphold's example; a rate can drift on each ticker read; a 429 with `Retry-After` and a commit whose
/// answer is lost (applied, then HTTP 500) can be scripted.
public final class FakeUphold: Sendable {
    struct Card {
        var id: String
        var currency: String
        var balance: FixedPoint
    }

    struct Quote {
        var id: String
        var origin: String
        var destination: String
        var debit: FixedPoint
        var credit: FixedPoint
        var expires: Int64
        var status: String
        var reference: String?
        var createdAt: Int64
        /// The destination's value before the commission, and the commission.
        var gross: FixedPoint
        var commission: FixedPoint
    }

    struct State {
        var rates: [String: FixedPoint] = [:]
        var cards: [Card] = []
        var quotes: [Quote] = []
        var drifts: [String: FixedPoint] = [:]
        var halfSpread: FixedPoint = .zero
        var commission: FixedPoint = .zero
        var tooManyNext: Int?
        var loseCommitAnswer = false
        var garbleCommitAnswer = false
        var refuseCommit = false
        var requests: [String] = []
        var next = 1
    }

    public let token: String
    /// How long a quote may be committed (ms).
    public let ttl: Int64
    let state = Mutex(State())

    public init(token: String = "fake-uphold-pat-0123456789abcdef", ttl: Int64 = 18_000) {
        self.token = token
        self.ttl = ttl
    }

    /// One unit of `base` costs `rate` of `quote` (both directions are served).
    public func setRate(base: String, quote: String, _ rate: String) {
        state.withLock { $0.rates["\(base)-\(quote)"] = FixedPoint(rate)! }
    }

    /// Adds a card; returns its id.
    @discardableResult
    public func addCard(currency: String, balance: String) -> String {
        state.withLock { state in
            let id = "card-\(state.next)-\(currency.lowercased())"
            state.next += 1
            state.cards.append(Card(id: id, currency: currency, balance: FixedPoint(balance)!))
            return id
        }
    }

    public func balance(card id: String) -> FixedPoint? { state.withLock { $0.cards.first { $0.id == id }?.balance } }

    /// After each read of the `base-quote` ticker, its rate moves by `step` (a trend for the portfolio bot).
    public func setDrift(base: String, quote: String, _ step: String) {
        state.withLock { $0.drifts["\(base)-\(quote)"] = FixedPoint(step)! }
    }

    /// Pair tickers quote `rate ∓ half` (bid, ask); conversions stay at the rate. Uphold's own examples
    /// quote some pairs with bid equal to ask, which is the default here.
    public func setHalfSpread(_ half: String) { state.withLock { $0.halfSpread = FixedPoint(half)! } }

    /// Uphold's exchange commission, a fraction of the destination's value (`"0.0065"`: 0.65 %), charged on
    /// the destination: `base` is the converted value, `amount` what arrives.
    public func setCommission(_ fraction: String) { state.withLock { $0.commission = FixedPoint(fraction)! } }

    /// The next commit is applied, then answered with HTTP 500: its outcome is unknown to the caller.
    public func loseNextCommitAnswer() { state.withLock { $0.loseCommitAnswer = true } }

    /// The next commit is applied, then answered with HTTP 200 and a body that is not JSON.
    public func garbleNextCommitAnswer() { state.withLock { $0.garbleCommitAnswer = true } }

    /// The next commit is answered HTTP 503 and not applied (the quote stays pending).
    public func refuseNextCommit() { state.withLock { $0.refuseCommit = true } }

    /// `(status, reference)` of every transaction (quotes included), oldest first.
    public var transactions: [(status: String, reference: String?)] {
        state.withLock { $0.quotes.map { ($0.status, $0.reference) } }
    }

    /// The next request answers 429 with `Retry-After: seconds`.
    public func tooManyRequests(retryAfter seconds: Int) { state.withLock { $0.tooManyNext = seconds } }

    /// `METHOD path` of every request, in order.
    public var requests: [String] { state.withLock { $0.requests } }

    public func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/v0/ticker/:pair") { request, context in
            let pair = context.parameters.get("pair") ?? ""
            return self.answer(request, signed: false) {
                pair.contains("-") ? try self.ticker(pair) : self.tickers(pair)
            }
        }
        router.get("/v0/me/cards/:card/transactions") { request, context in
            var range: String?
            let answer = self.answer(request, signed: true) {
                let (body, served) = try self.list(
                    card: context.parameters.get("card") ?? "", range: request.headers[.range] ?? "items=0-49")
                range = served
                return body
            }
            guard let range else { return answer }
            var headers = answer.headers
            headers[.contentRange] = range
            return Response(status: answer.status, headers: headers, body: answer.body)
        }
        router.get("/v0/me/cards") { request, _ in self.answer(request, signed: true) { self.cards() } }
        router.post("/v0/me/cards/:card/transactions") { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            return self.answer(request, signed: true) {
                try self.quote(card: context.parameters.get("card") ?? "", body: Data(body.readableBytesView))
            }
        }
        router.post("/v0/me/cards/:card/transactions/:id/commit") { request, context in
            let refuse = self.state.withLock { state in
                defer { state.refuseCommit = false }
                return state.refuseCommit
            }
            if refuse {
                self.state.withLock { $0.requests.append("POST \(request.uri.path)") }
                return Self.response(.serviceUnavailable, "<html><body>503 Service Unavailable</body></html>")
            }
            let answer = self.answer(request, signed: true) {
                try self.commit(card: context.parameters.get("card") ?? "", id: context.parameters.get("id") ?? "")
            }
            let (lose, garble) = self.state.withLock { state in
                defer {
                    state.loseCommitAnswer = false
                    state.garbleCommitAnswer = false
                }
                return (state.loseCommitAnswer, state.garbleCommitAnswer)
            }
            guard answer.status == .ok else { return answer }
            if lose { return Self.response(.internalServerError, #"{"code":"internal_server_error"}"#) }
            if garble { return Self.response(.ok, #"{"id":"#) }
            return answer
        }
        try await LoopbackServer.run(router, body)
    }

    struct Refusal: Error {
        var status: HTTPResponse.Status
        var body: String
    }

    func answer(_ request: Request, signed: Bool, _ make: () throws -> String) -> Response {
        let limited = state.withLock { state -> Int? in
            state.requests.append("\(request.method) \(request.uri.path)")
            defer { state.tooManyNext = nil }
            return state.tooManyNext
        }
        if let limited {
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.retryAfter] = String(limited)
            return Response(
                status: .tooManyRequests, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":"too_many_requests"}"#)))
        }
        do {
            if signed, request.headers[.authorization] != "Bearer \(token)" {
                throw Refusal(status: .unauthorized, body: #"{"code":"unauthorized","message":"Unauthorized"}"#)
            }
            return Self.response(.ok, try make())
        } catch let refusal as Refusal {
            return Self.response(refusal.status, refusal.body)
        } catch {
            return Self.response(.internalServerError, #"{"code":"internal_server_error"}"#)
        }
    }

    static func response(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `base` in `quote`, from the rate either way round.
    func rate(_ base: String, _ quote: String) -> FixedPoint? {
        if base == quote { return .one }
        return state.withLock { state in
            if let direct = state.rates["\(base)-\(quote)"] { return direct }
            return state.rates["\(quote)-\(base)"].flatMap { try? FixedPoint.one.divided(by: $0) }
        }
    }

    /// `amount` of `from` in `to`: times the rate, or divided by the reverse one (not through a rounded
    /// inverse).
    func convert(_ amount: FixedPoint, from: String, to: String) -> FixedPoint? {
        if from == to { return amount }
        let (direct, reverse) = state.withLock { ($0.rates["\(from)-\(to)"], $0.rates["\(to)-\(from)"]) }
        if let direct { return try? amount.multiplied(by: direct) }
        return reverse.flatMap { try? amount.divided(by: $0) }
    }

    func ticker(_ pair: String) throws -> String {
        let parts = pair.split(separator: "-").map(String.init)
        guard parts.count == 2, let rate = rate(parts[0], parts[1]) else {
            throw Refusal(status: .notFound, body: #"{"code":"not_found","message":"Not found"}"#)
        }
        let half = state.withLock { state in
            if let step = state.drifts[pair], let rate = state.rates[pair] { state.rates[pair] = rate + step }
            return state.halfSpread
        }
        return #"{"ask":"\#(rate + half)","bid":"\#(rate - half)","currency":"\#(parts[1])"}"#
    }

    /// Every rate that involves `currency`, as stored (`BTC-USD` becomes `BTCUSD` quoted in USD).
    func tickers(_ currency: String) -> String {
        let rates = state.withLock { $0.rates }.filter { $0.key.split(separator: "-").contains(Substring(currency)) }
        let rows = rates.keys.sorted().map { key in
            let parts = key.split(separator: "-")
            return
                #"{"ask":"\#(rates[key]!)","bid":"\#(rates[key]!)","currency":"\#(parts[1])","pair":"\#(parts.joined())"}"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    /// The card's transactions (origin or destination), newest first, the `Range: items=A-B` slice of them.
    /// - Returns: the body and its `Content-Range`.
    func list(card: String, range: String) throws -> (String, String) {
        let bounds = range.replacingOccurrences(of: "items=", with: "").split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] >= 0, bounds[1] >= bounds[0], bounds[1] - bounds[0] < 50 else {
            throw Refusal(status: .rangeNotSatisfiable, body: #"{"code":"requested_range_not_satisfiable"}"#)
        }
        let (quotes, cards) = state.withLock { state in
            (state.quotes.filter { $0.origin == card || $0.destination == card }.reversed(), state.cards)
        }
        let page = quotes.dropFirst(bounds[0]).prefix(bounds[1] - bounds[0] + 1)
        let currency = { (id: String) in cards.first { $0.id == id }?.currency ?? "" }
        let rows = page.map { Self.transaction($0, currency($0.origin), currency($0.destination), ttl: nil) }
        let last = bounds[0] + max(page.count - 1, 0)
        return ("[" + rows.joined(separator: ",") + "]", "items \(bounds[0])-\(last)/\(quotes.count)")
    }

    func cards() -> String {
        let rows = state.withLock { $0.cards }.map {
            #"{"id":"\#($0.id)","label":"\#($0.currency) card","currency":"\#($0.currency)","available":"\#($0.balance)","balance":"\#($0.balance)","settings":{"starred":true}}"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    func quote(card: String, body: Data) throws -> String {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard let denomination = object?["denomination"] as? [String: Any],
            let amount = (denomination["amount"] as? String).flatMap(FixedPoint.init),
            let currency = denomination["currency"] as? String, let destination = object?["destination"] as? String,
            amount.isPositive
        else {
            throw Refusal(
                status: .badRequest,
                body:
                    #"{"code":"validation_failed","errors":{"denomination":{"code":"validation_failed","errors":{"amount":[{"code":"required","message":"This value is required"}]}}}}"#
            )
        }
        let cards = state.withLock { $0.cards }
        guard let from = cards.first(where: { $0.id == card }), let to = cards.first(where: { $0.id == destination }),
            let debit = convert(amount, from: currency, to: from.currency),
            let gross = convert(amount, from: currency, to: to.currency)
        else { throw Refusal(status: .notFound, body: #"{"code":"not_found","message":"Not found"}"#) }
        guard debit <= from.balance else {
            throw Refusal(
                status: .badRequest,
                body:
                    #"{"code":"validation_failed","errors":{"denomination":{"code":"validation_failed","errors":{"amount":[{"code":"sufficient_funds","message":"Not enough funds for the specified amount"}]}}}}"#
            )
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let quote = state.withLock { state in
            let commission = (try? gross.multiplied(by: state.commission, rounding: .down)) ?? .zero
            let quote = Quote(
                id: "tx-\(state.next)", origin: from.id, destination: to.id, debit: debit, credit: gross - commission,
                expires: now + ttl, status: "pending", reference: object?["reference"] as? String, createdAt: now,
                gross: gross, commission: commission)
            state.next += 1
            state.quotes.append(quote)
            return quote
        }
        return Self.transaction(quote, from.currency, to.currency, ttl: ttl)
    }

    func commit(card: String, id: String) throws -> String {
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        return try state.withLock { state in
            guard let index = state.quotes.firstIndex(where: { $0.id == id && $0.origin == card }),
                state.quotes[index].status == "pending", state.quotes[index].expires > now,
                let from = state.cards.firstIndex(where: { $0.id == state.quotes[index].origin }),
                let to = state.cards.firstIndex(where: { $0.id == state.quotes[index].destination })
            else { throw Refusal(status: .notFound, body: #"{"code":"not_found","message":"Not found"}"#) }
            state.cards[from].balance -= state.quotes[index].debit
            state.cards[to].balance += state.quotes[index].credit
            state.quotes[index].status = "completed"
            return Self.transaction(
                state.quotes[index], state.cards[from].currency, state.cards[to].currency, ttl: nil)
        }
    }

    static func transaction(_ quote: Quote, _ originCurrency: String, _ destinationCurrency: String, ttl: Int64?)
        -> String
    {
        let params = ttl.map { #","params":{"ttl":\#($0)}"# } ?? ""
        let reference = quote.reference.map { #""\#($0)""# } ?? "null"
        let created = ISO8601DateFormatter.string(
            from: Date(timeIntervalSince1970: Double(quote.createdAt) / 1_000), timeZone: TimeZone(identifier: "UTC")!,
            formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let fees =
            quote.commission.isZero
            ? "[]"
            : #"[{"amount":"\#(quote.commission)","currency":"\#(destinationCurrency)","target":"destination","type":"exchange"}]"#
        return """
            {"id":"\(quote.id)","status":"\(quote.status)","type":"transfer","reference":\(reference),\
            "createdAt":"\(created)","fees":\(fees),\
            "origin":{"CardId":"\(quote.origin)","amount":"\(quote.debit)","base":"\(quote.debit)",\
            "commission":"0","fee":"0","currency":"\(originCurrency)"},\
            "destination":{"CardId":"\(quote.destination)","amount":"\(quote.credit)","base":"\(quote.gross)",\
            "commission":"\(quote.commission)","fee":"0","currency":"\(destinationCurrency)"}\(params)}
            """
    }
}
