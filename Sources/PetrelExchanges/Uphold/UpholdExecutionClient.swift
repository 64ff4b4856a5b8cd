import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

/// Uphold as an ``ExecutionClient`` (EXCHANGE-APIS.md §3): a market order on `BASE/QUOTE` is one conversion
/// between the account's cards, quoted then committed. A buy converts the QUOTE card into the BASE card, a
/// sell the BASE card into the QUOTE card; both are denominated in BASE with the order's quantity, so the
/// base side of the conversion is exactly the ordered quantity.
///
/// - Cards: the first card of each currency (in Uphold's order) is the one traded and reported; a missing
///   card is fatal, naming the currency. Cards are never created.
/// - Idempotency: Uphold does not refuse a repeated `reference`, so this client does: the client order id is
///   sent as the transaction's `reference`, and before quoting, the BASE card's recent transactions
///   (``searchPages`` pages of 50, newest first) are searched for it. A committed transaction answers the
///   submit; a quote whose commit may have been lost is committed again (an expired one is refused and a
///   new quote made: nothing had moved). ``order(_:symbol:)`` finds orders the same way.
/// - A quote that expires before its commit is ``ExecutionError/rejected(_:)``: nothing happened. A lost
///   commit answer is ``ExecutionError/unknownOutcome(_:)``; the look-up tells.
/// - Only market orders: Uphold has no resting orders, so limit and stop orders are refused and
///   ``supportsStopOrders`` is `false`. Nothing can be cancelled once committed.
public final class UpholdExecutionClient: ExecutionClient {
    public let venue = "uphold"
    let client: UpholdClient
    /// How many pages of 50 transactions are searched for a reference or for fills.
    public let searchPages: Int
    private let cardIDs = Mutex<[String: String]>([:])

    /// Petrel's assumption for every pair, since Uphold publishes no per-pair rules in this API: 8 decimals
    /// (the precision of ``FixedPoint``) for prices and quantities, and no minimum beyond one step. Uphold
    /// rounds each side to its currency's decimals (2 for USD) and refuses what it will not convert with a
    /// validation code, which the order then carries as its rejection.
    public static let step = Quantity(rawValue: 1)

    public var supportsStopOrders: Bool { false }

    /// - Parameters:
    ///   - client: an ``UpholdClient`` with a personal access token.
    ///   - searchPages: pages of 50 transactions searched for a reference (at least 1).
    public init(client: UpholdClient, searchPages: Int = 10) {
        precondition(searchPages > 0, "at least one page is searched")
        self.client = client
        self.searchPages = searchPages
    }

    /// The id of the first card of `currency`.
    /// - Throws: ``ExecutionError/fatal(_:)`` when the account has none.
    func card(_ currency: String) async throws(ExecutionError) -> String {
        if let known = cardIDs.withLock({ $0[currency] }) { return known }
        let cards = try await client.cards()
        let first = cardIDs.withLock { ids in
            for card in cards where ids[card.currency] == nil { ids[card.currency] = card.id }
            return ids[currency]
        }
        guard let first else {
            throw .fatal(
                "uphold: the account has no \(currency) card; create one at Uphold (Petrel never creates cards)")
        }
        return first
    }

    public func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder {
        guard order.type == .market else {
            throw .rejected(
                "uphold converts at a quote: only market orders; a \(order.type.rawValue) order is refused")
        }
        guard order.symbol.kind == .spot else {
            throw .rejected("uphold converts currencies; \(order.symbol) is not spot")
        }
        let symbol = order.symbol
        let base = try await card(symbol.base)
        let quote = try await card(symbol.quote)
        let (origin, destination) = order.side == .buy ? (quote, base) : (base, quote)
        let id = order.clientOrderID
        if let existing = try await find(id, card: base) {
            try Self.check(existing, isFor: order)
            guard existing.status == "pending" else { return try venueOrder(existing, id: id, symbol: symbol) }
            // A quote whose commit may never have arrived: commit it now.
            do {
                return try venueOrder(
                    try await client.commit(existing.id, card: existing.originCard ?? origin), id: id, symbol: symbol)
            } catch .rejected {
                // Expired (nothing moved), unless the lost commit landed meanwhile.
                if let landed = try await find(id, card: base), landed.status != "pending" {
                    return try venueOrder(landed, id: id, symbol: symbol)
                }
            }
        }
        let quoted = try await client.quote(
            from: origin, to: destination, amount: order.quantity, currency: symbol.base, reference: id.rawValue)
        return try venueOrder(try await client.commit(quoted.id, card: origin), id: id, symbol: symbol)
    }

    /// Conversions end at their commit: nothing rests to cancel. An order that has ended is answered as it is.
    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder {
        if let order = try await order(id, symbol: symbol), order.status.isTerminal { return order }
        throw .rejected("uphold: a committed conversion cannot be cancelled (\(id))")
    }

    /// The committed transaction whose `reference` is `id`, found among the BASE card's recent transactions;
    /// `nil` when there is none, or only a quote that was never committed.
    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder? {
        guard let found = try await find(id, card: try await card(symbol.base)), found.status != "pending" else {
            return nil
        }
        return try venueOrder(found, id: id, symbol: symbol)
    }

    /// Nothing rests at Uphold.
    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [VenueOrder] { [] }

    /// Completed conversions between the pair's cards that carry a client order id as their `reference`,
    /// from the BASE card's transactions (newest first, ``searchPages`` pages at most), oldest first.
    public func fills(symbol: Symbol, since: Int64) async throws(ExecutionError) -> [Fill] {
        let base = try await card(symbol.base)
        var fills: [Fill] = []
        var first = 0
        for _ in 0..<searchPages {
            let (page, total) = try await client.transactions(card: base, first: first, last: first + 49)
            for transaction in page where transaction.status == "completed" {
                guard (transaction.createdAt ?? since) >= since,
                    let id = transaction.reference.flatMap({ try? ClientOrderID($0) }),
                    Set([transaction.originCurrency, transaction.destinationCurrency]) == [symbol.base, symbol.quote]
                else { continue }
                fills.append(try fill(transaction, id: id, symbol: symbol))
            }
            first += page.count
            let older = page.last?.createdAt.map { $0 < since } ?? false
            if page.count < 50 || older || total.map({ first >= $0 }) == true { break }
        }
        return fills.sorted { ($0.timestamp, $0.tradeID) < ($1.timestamp, $1.tradeID) }
    }

    /// The first card of each currency: `available` is free, `balance - available` locked.
    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        var result: [String: PortfolioLedger.Balance] = [:]
        for card in try await client.cards() where result[card.currency] == nil {
            cardIDs.withLock { ids in if ids[card.currency] == nil { ids[card.currency] = card.id } }
            result[card.currency] = PortfolioLedger.Balance(free: card.available, locked: card.balance - card.available)
        }
        return result
    }

    /// See ``step``: 8 decimals, one step minimum.
    public func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        do {
            return try InstrumentRules(
                symbol: symbol, tickSize: Self.step, stepSize: Self.step, minQuantity: Self.step)
        } catch {
            throw .fatal("uphold: rules of \(symbol): \(error)")
        }
    }

    /// Uphold pushes nothing (a conversion ends at its commit): the stream stays open and silent until it
    /// is dropped; orders are followed by look-ups.
    public func updates() -> AsyncStream<ExecutionUpdate> {
        let (stream, continuation) = AsyncStream<ExecutionUpdate>.makeStream()
        let task = Task {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3_600)) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Checks that a transaction found under an order's id is that order: the same direction and base
    /// quantity, made no earlier than a day before the order. Anything else means the id was used before (a
    /// new data directory restarts the bot's order numbers): the order is refused rather than answered
    /// with someone else's fill or sent under a reference that is not unique.
    static func check(_ transaction: UpholdClient.Transaction, isFor order: Order) throws(ExecutionError) {
        let symbol = order.symbol
        let buy = order.side == .buy
        let (from, to) = buy ? (symbol.quote, symbol.base) : (symbol.base, symbol.quote)
        let quantity = buy ? transaction.destinationBase : transaction.originBase
        let tooOld = transaction.createdAt.map { $0 < order.createdAt - 86_400_000 } ?? false
        guard transaction.originCurrency == from, transaction.destinationCurrency == to, quantity == order.quantity,
            !tooOld
        else {
            throw .rejected(
                "uphold: reference \(order.clientOrderID) already names transaction \(transaction.id) (\(transaction.originCurrency) → \(transaction.destinationCurrency), \(quantity) \(symbol.base)), not this \(order.side.rawValue) of \(order.quantity) \(symbol.base); the bot's order ids were used before (a new data directory?)"
            )
        }
    }

    /// The newest committed transaction of `card` whose `reference` is `id`, else the newest quote with it.
    func find(_ id: ClientOrderID, card: String) async throws(ExecutionError) -> UpholdClient.Transaction? {
        var quote: UpholdClient.Transaction?
        var first = 0
        for _ in 0..<searchPages {
            let (page, total) = try await client.transactions(card: card, first: first, last: first + 49)
            for transaction in page where transaction.reference == id.rawValue {
                if transaction.status != "pending" { return transaction }
                if quote == nil { quote = transaction }
            }
            first += page.count
            if page.count < 50 || total.map({ first >= $0 }) == true { break }
        }
        return quote
    }

    /// The order a transaction of `symbol` stands for: `completed` is filled, `processing` accepted,
    /// `cancelled` cancelled, `failed` rejected.
    func venueOrder(_ transaction: UpholdClient.Transaction, id: ClientOrderID, symbol: Symbol)
        throws(ExecutionError) -> VenueOrder
    {
        let fill = try fill(transaction, id: id, symbol: symbol)
        let status: OrderStatus
        var reason: String?
        switch transaction.status {
        case "completed": status = .filled
        case "cancelled":
            status = .cancelled
            reason = "uphold cancelled transaction \(transaction.id)"
        case "failed":
            status = .rejected
            reason = "uphold: transaction \(transaction.id) failed"
        default: status = .accepted
        }
        return VenueOrder(
            clientOrderID: id, venueOrderID: transaction.id, symbol: symbol, side: fill.side, type: .market,
            quantity: fill.quantity, price: nil, stopPrice: nil, status: status,
            filledQuantity: status == .filled ? fill.quantity : .zero,
            averageFillPrice: status == .filled ? fill.price : nil, updatedAt: fill.timestamp, reason: reason)
    }

    /// The fill of a conversion: the base side's value before charges is the quantity, the quote side's over
    /// it the price (rounded half-even to 8 decimals), and the charges the fee. The fee is the destination's
    /// charges in its currency (Uphold's exchange commission); origin charges, when the destination has
    /// none, are the fee in the origin currency; when both sides charge, the origin's are converted at the
    /// conversion's own ratio (rounded up) and added.
    func fill(_ transaction: UpholdClient.Transaction, id: ClientOrderID, symbol: Symbol) throws(ExecutionError)
        -> Fill
    {
        let side: OrderSide
        switch (transaction.originCurrency, transaction.destinationCurrency) {
        case (symbol.quote, symbol.base): side = .buy
        case (symbol.base, symbol.quote): side = .sell
        default:
            throw .fatal(
                "uphold: transaction \(transaction.id) (reference \(id)) converts \(transaction.originCurrency) to \(transaction.destinationCurrency), not \(symbol)"
            )
        }
        let quantity = side == .buy ? transaction.destinationBase : transaction.originBase
        let notional = side == .buy ? transaction.originBase : transaction.destinationBase
        var fee = transaction.destinationCharges
        var feeAsset = transaction.destinationCurrency
        do {
            guard quantity.isPositive else { throw FixedPointError.divisionByZero }
            let price = try notional.divided(by: quantity)
            if transaction.originCharges.isPositive {
                if fee.isZero {
                    fee = transaction.originCharges
                    feeAsset = transaction.originCurrency
                } else {
                    fee += try transaction.originCharges.multiplied(by: transaction.destinationBase, rounding: .up)
                        .divided(by: transaction.originBase, rounding: .up)
                }
            }
            return Fill(
                tradeID: transaction.id, clientOrderID: id, symbol: symbol, side: side, price: price,
                quantity: quantity, fee: fee, feeAsset: feeAsset, liquidity: .taker,
                timestamp: transaction.createdAt ?? client.now())
        } catch {
            throw .fatal("uphold: transaction \(transaction.id) has amounts Petrel cannot read as a fill (\(error))")
        }
    }
}
