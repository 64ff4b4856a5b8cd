import PetrelCore

/// An order as the venue reports it (query, open orders, push updates).
public struct VenueOrder: Sendable, Hashable, Codable {
    public var clientOrderID: ClientOrderID
    public var venueOrderID: String?
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    public var price: Price?
    public var stopPrice: Price?
    public var status: OrderStatus
    public var filledQuantity: Quantity
    public var averageFillPrice: Price?
    /// Unix ms of the venue's last change.
    public var updatedAt: Int64
    /// The venue's reason for a rejection or cancellation.
    public var reason: String?

    public init(
        clientOrderID: ClientOrderID, venueOrderID: String?, symbol: Symbol, side: OrderSide, type: OrderType,
        quantity: Quantity, price: Price?, stopPrice: Price?, status: OrderStatus, filledQuantity: Quantity,
        averageFillPrice: Price?, updatedAt: Int64, reason: String? = nil
    ) {
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.status = status
        self.filledQuantity = filledQuantity
        self.averageFillPrice = averageFillPrice
        self.updatedAt = updatedAt
        self.reason = reason
    }
}

/// Something the venue pushes about a bot's orders.
public enum ExecutionUpdate: Sendable, Hashable {
    case order(VenueOrder)
    case fill(Fill)
}

/// The port through which a bot's orders reach a venue: an exchange adapter, the paper exchange or
/// a test fake. Every call's failure is an ``ExecutionError``.
///
/// Contract: `submit` is idempotent per client order id (a venue that already has the id answers
/// with that order, never a second one); a `submit` that throws ``ExecutionError/unknownOutcome(_:)``
/// may or may not have created the order, and ``order(_:symbol:)`` tells which.
public protocol ExecutionClient: Sendable {
    /// The venue's name (`binance`, `paper`, …).
    var venue: String { get }

    /// Sends a new order (status `intent`/`submitted` in the caller's books).
    /// - Returns: the venue's view of the order right after it accepted it.
    func submit(_ order: Order) async throws(ExecutionError) -> VenueOrder

    /// Cancels an open order.
    /// - Returns: the venue's view after the cancel.
    func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder

    /// Looks an order up by client order id.
    /// - Returns: the order, or `nil` when the venue has never seen this id.
    func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> VenueOrder?

    /// Orders still open at the venue (all symbols when `symbol` is `nil`).
    func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [VenueOrder]

    /// Fills of `symbol` at or after `since` (Unix ms), oldest first.
    func fills(symbol: Symbol, since: Int64) async throws(ExecutionError) -> [Fill]

    /// Balances per asset.
    func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance]

    /// The venue's trading rules for `symbol`.
    func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules

    /// Order updates and fills as the venue pushes them; the stream ends when the connection closes.
    func updates() -> AsyncStream<ExecutionUpdate>

    /// Whether the venue keeps stop-market orders (and reduce-only limits) resting for a bot. Where
    /// it does not, the kernel watches stop-loss, trailing stop and take-profit itself
    /// (``ProtectionMode/clientSide``).
    var supportsStopOrders: Bool { get }
}

extension ExecutionClient {
    public var supportsStopOrders: Bool { true }
}

/// A venue that the bot itself feeds with quotes: the paper exchange. A bot on such a venue applies
/// each quote (or the quotes it derives from a closed candle) before its kernel sees the candle, and
/// processes the fills that come back at once, so paper results do not depend on task timing.
public protocol QuoteDrivenVenue: ExecutionClient {
    /// Matches resting orders against a new quote.
    /// - Returns: the order updates and fills it caused, in order.
    func apply(_ quote: Quote) async -> [ExecutionUpdate]

    /// The timestamp of the last quote applied for `symbol`, or `nil` (a restarted bot skips quotes
    /// the venue has already seen).
    func lastQuoteTimestamp(symbol: Symbol) async -> Int64?

    /// Persists the venue's whole state now (balances, orders, fills, last quotes), if it keeps any.
    func checkpoint() async throws(ExecutionError)
}
