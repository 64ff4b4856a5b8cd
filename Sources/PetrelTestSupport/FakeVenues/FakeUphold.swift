import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelCore
import Synchronization

/// A local stand-in for Uphold's API (EXCHANGE-APIS.md §3): pair tickers (without `pair`, as Uphold
/// answers), cards behind a bearer token, and quote-then-commit transactions that convert between cards
/// at the ticker's rate, expire after their `ttl` (a late commit is 404), and refuse what a card cannot
/// pay with Uphold's nested `validation_failed` body. A 429 with `Retry-After` can be scripted.
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
    }

    struct State {
        var rates: [String: FixedPoint] = [:]
        var cards: [Card] = []
        var quotes: [Quote] = []
        var tooManyNext: Int?
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

    /// The next request answers 429 with `Retry-After: seconds`.
    public func tooManyRequests(retryAfter seconds: Int) { state.withLock { $0.tooManyNext = seconds } }

    /// `METHOD path` of every request, in order.
    public var requests: [String] { state.withLock { $0.requests } }

    public func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/v0/ticker/:pair") { request, context in
            self.answer(request, signed: false) { try self.ticker(context.parameters.get("pair") ?? "") }
        }
        router.get("/v0/me/cards") { request, _ in self.answer(request, signed: true) { self.cards() } }
        router.post("/v0/me/cards/:card/transactions") { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            return self.answer(request, signed: true) {
                try self.quote(card: context.parameters.get("card") ?? "", body: Data(body.readableBytesView))
            }
        }
        router.post("/v0/me/cards/:card/transactions/:id/commit") { request, context in
            self.answer(request, signed: true) {
                try self.commit(card: context.parameters.get("card") ?? "", id: context.parameters.get("id") ?? "")
            }
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
        return #"{"ask":"\#(rate)","bid":"\#(rate)","currency":"\#(parts[1])"}"#
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
            let currency = denomination["currency"] as? String, let destination = object?["destination"] as? String
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
            let credit = convert(amount, from: currency, to: to.currency)
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
            let quote = Quote(
                id: "tx-\(state.next)", origin: from.id, destination: to.id, debit: debit, credit: credit,
                expires: now + ttl, status: "pending")
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
        return """
            {"id":"\(quote.id)","status":"\(quote.status)","type":"transfer",\
            "origin":{"CardId":"\(quote.origin)","amount":"\(quote.debit)","currency":"\(originCurrency)"},\
            "destination":{"CardId":"\(quote.destination)","amount":"\(quote.credit)","currency":"\(destinationCurrency)"}\(params)}
            """
    }
}
