/// One trade printed by a venue (a public trade stream's message).
public struct TradeTick: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var price: Price
    public var quantity: Quantity
    /// Unix milliseconds of the trade.
    public var timestamp: Int64

    public init(symbol: Symbol, price: Price, quantity: Quantity, timestamp: Int64) {
        self.symbol = symbol
        self.price = price
        self.quantity = quantity
        self.timestamp = timestamp
    }
}
