/// The best bid and ask (and last trade) of an instrument at a moment.
public struct Quote: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var bid: Price
    public var ask: Price
    public var last: Price
    public var bidSize: Quantity?
    public var askSize: Quantity?
    /// Unix milliseconds when the venue produced it.
    public var timestamp: Int64

    public init(
        symbol: Symbol, bid: Price, ask: Price, last: Price, bidSize: Quantity? = nil, askSize: Quantity? = nil,
        timestamp: Int64
    ) {
        self.symbol = symbol
        self.bid = bid
        self.ask = ask
        self.last = last
        self.bidSize = bidSize
        self.askSize = askSize
        self.timestamp = timestamp
    }

    /// `(bid + ask) / 2`, rounded down at the 8th digit (computed without overflow).
    public var mid: Price {
        FixedPoint(rawValue: (bid.rawValue >> 1) + (ask.rawValue >> 1) + (bid.rawValue & ask.rawValue & 1))
    }

    /// Whether the book is crossed or empty (`bid > ask` or a non-positive side): a bad quote. A locked
    /// book (`bid == ask`) is a valid quote: Uphold quotes fiat pairs that way.
    public var isCrossed: Bool { bid.rawValue <= 0 || ask.rawValue <= 0 || bid > ask }
}
