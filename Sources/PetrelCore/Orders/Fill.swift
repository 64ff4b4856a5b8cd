/// One execution of (part of) an order.
public struct Fill: Sendable, Hashable, Codable {
    /// The venue's trade id; unique per venue and symbol, so each fill is applied once.
    public let tradeID: String
    public let clientOrderID: ClientOrderID
    public let symbol: Symbol
    public let side: OrderSide
    public let price: Price
    public let quantity: Quantity
    /// The fee charged, in `feeAsset`.
    public let fee: Money
    public let feeAsset: String
    public let liquidity: Liquidity
    /// Unix ms.
    public let timestamp: Int64

    public init(
        tradeID: String, clientOrderID: ClientOrderID, symbol: Symbol, side: OrderSide, price: Price,
        quantity: Quantity, fee: Money, feeAsset: String, liquidity: Liquidity, timestamp: Int64
    ) {
        self.tradeID = tradeID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.feeAsset = feeAsset
        self.liquidity = liquidity
        self.timestamp = timestamp
    }
}
