import Foundation
import PetrelCore
import PetrelRuntime

extension UpholdClient {
    /// A transaction as Uphold answers it (EXCHANGE-APIS.md §3; Uphold's transaction object).
    ///
    /// Each side carries `base` (the value before that side's charges), `commission` and `fee`, and `amount`:
    /// what leaves the origin (`base` plus its charges) or reaches the destination (`base` minus its charges).
    /// Uphold's example charges its exchange commission on the destination (5.61 EUR base, 0.04 commission,
    /// 5.57 EUR arriving).
    public struct Transaction: Sendable, Hashable {
        public var id: String
        /// `pending` (a quote), `processing`, `completed`, `cancelled`, `failed`.
        public var status: String
        /// What leaves the origin card, in its currency.
        public var originAmount: FixedPoint
        public var originCurrency: String
        /// The origin's value before its charges.
        public var originBase: FixedPoint
        /// The origin's `commission` plus `fee`.
        public var originCharges: FixedPoint
        /// What reaches the destination, in its currency.
        public var destinationAmount: FixedPoint
        public var destinationCurrency: String
        /// The destination's value before its charges.
        public var destinationBase: FixedPoint
        /// The destination's `commission` plus `fee`.
        public var destinationCharges: FixedPoint
        /// The cards, when the nodes are cards.
        public var originCard: String?
        public var destinationCard: String?
        /// The caller's `reference` (Petrel: the client order id), if any.
        public var reference: String?
        /// `createdAt` in Unix ms, when given.
        public var createdAt: Int64?
        /// How long the quote may be committed (ms), when pending.
        public var ttl: Int64?
    }

    /// One page of a card's transactions, newest first (`GET /v0/me/cards/:card/transactions` with
    /// `Range: items=FIRST-LAST`, at most 50 a page).
    /// - Returns: the page and the total Uphold reports in `Content-Range` (`nil` when absent).
    public func transactions(card: String, first: Int, last: Int) async throws(ExecutionError)
        -> (transactions: [Transaction], total: Int?)
    {
        let response = try await exchange(
            "GET", "/v0/me/cards/\(card)/transactions", signed: true, headers: [("Range", "items=\(first)-\(last)")])
        guard let list = try Self.json(response.body, "transactions") as? [Any] else {
            throw .retryable("uphold transactions of card \(card): expected an array")
        }
        var page: [Transaction] = []
        for case let entry as [String: Any] in list { page.append(try Self.transaction(entry)) }
        // `Content-Range: items 0-49/312`
        let total = response.header("Content-Range")?.split(separator: "/").last.flatMap { Int($0) }
        return (page, total)
    }

    static func transaction(_ body: Data) throws(ExecutionError) -> Transaction {
        try transaction(try object(body, "transaction"))
    }

    static func transaction(_ object: [String: Any]) throws(ExecutionError) -> Transaction {
        guard let id = object["id"] as? String, let status = object["status"] as? String,
            let origin = object["origin"] as? [String: Any], let destination = object["destination"] as? [String: Any]
        else { throw .retryable("uphold transaction: no id, status, origin or destination") }
        let originAmount = try decimal(origin["amount"], "transaction \(id) origin.amount")
        let destinationAmount = try decimal(destination["amount"], "transaction \(id) destination.amount")
        return Transaction(
            id: id, status: status, originAmount: originAmount, originCurrency: origin["currency"] as? String ?? "",
            originBase: try optionalDecimal(origin["base"], "transaction \(id) origin.base") ?? originAmount,
            originCharges: try charges(origin, "transaction \(id) origin"), destinationAmount: destinationAmount,
            destinationCurrency: destination["currency"] as? String ?? "",
            destinationBase: try optionalDecimal(destination["base"], "transaction \(id) destination.base")
                ?? destinationAmount,
            destinationCharges: try charges(destination, "transaction \(id) destination"),
            originCard: origin["CardId"] as? String, destinationCard: destination["CardId"] as? String,
            reference: object["reference"] as? String,
            createdAt: (object["createdAt"] as? String).flatMap(Self.milliseconds),
            ttl: ((object["params"] as? [String: Any])?["ttl"] as? NSNumber)?.int64Value)
    }

    /// `commission + fee` of one side (absent counts as zero).
    static func charges(_ side: [String: Any], _ what: String) throws(ExecutionError) -> FixedPoint {
        let commission = try optionalDecimal(side["commission"], "\(what).commission") ?? .zero
        let fee = try optionalDecimal(side["fee"], "\(what).fee") ?? .zero
        return commission + fee
    }

    static func optionalDecimal(_ value: Any?, _ what: String) throws(ExecutionError) -> FixedPoint? {
        guard let value, !(value is NSNull) else { return nil }
        return try decimal(value, what)
    }

    /// Unix ms of an ISO-8601 time such as `2018-08-01T09:53:47.020Z` (fractional seconds optional).
    static func milliseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1_000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64((($0.timeIntervalSince1970) * 1_000).rounded()) }
    }
}
