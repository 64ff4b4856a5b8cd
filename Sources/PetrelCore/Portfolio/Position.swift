/// A net position in one instrument: long (positive quantity) or short (negative).
///
/// Fills that add to the position move the average entry price; fills against it realise
/// P&L at the average entry; a fill larger than the position flips it and the remainder opens
/// at the fill price. Amounts are in the quote asset; for swaps every quantity is multiplied by
/// `contractValue`.
public struct Position: Sendable, Hashable, Codable {
    public let symbol: Symbol
    /// Signed size: > 0 long, < 0 short, 0 flat.
    public private(set) var quantity: Quantity
    /// Average entry of the open quantity (zero when flat).
    public private(set) var averageEntryPrice: Price
    /// P&L locked in by reducing fills, before fees.
    public private(set) var realizedPnL: Money
    /// Fees charged in the quote asset.
    public private(set) var fees: Money
    /// Base units per contract (1 for spot).
    public let contractValue: Quantity
    /// Unix ms when the current open quantity was first opened; `nil` when flat.
    public private(set) var openedAt: Int64?

    public init(symbol: Symbol, contractValue: Quantity = .one) {
        self.symbol = symbol
        self.quantity = .zero
        self.averageEntryPrice = .zero
        self.realizedPnL = .zero
        self.fees = .zero
        self.contractValue = contractValue
        self.openedAt = nil
    }

    public var isFlat: Bool { quantity.isZero }
    public var isLong: Bool { quantity.isPositive }
    public var isShort: Bool { quantity.isNegative }

    /// Applies a fill and returns the P&L it realised (before fees).
    /// - Parameters:
    ///   - side: the fill's side.
    ///   - price: the fill's price.
    ///   - quantity: the fill's quantity (positive).
    ///   - fee: the fee in the quote asset.
    ///   - timestamp: Unix ms.
    /// - Throws: ``FixedPointError`` on overflow; the position is then unchanged.
    @discardableResult
    public mutating func apply(
        side: OrderSide, price: Price, quantity fillQuantity: Quantity, fee: Money, timestamp: Int64
    )
        throws(FixedPointError) -> Money
    {
        var next = self
        let signed = side == .buy ? fillQuantity : -fillQuantity
        var realized = Money.zero
        if next.quantity.isZero || (next.quantity.isPositive == signed.isPositive) {
            let oldSize = next.quantity.magnitude
            let newSize = try oldSize.adding(fillQuantity)
            let cost = try (try next.averageEntryPrice.multiplied(by: oldSize)).adding(
                try price.multiplied(by: fillQuantity))
            next.averageEntryPrice = try cost.divided(by: newSize)
            if next.quantity.isZero { next.openedAt = timestamp }
            next.quantity = try next.quantity.adding(signed)
        } else {
            let closing = Swift.min(next.quantity.magnitude, fillQuantity)
            let direction: Money = next.quantity.isPositive ? .one : -.one
            let perUnit = try (try price.subtracting(next.averageEntryPrice)).multiplied(by: direction)
            realized = try FixedPoint.product(perUnit, closing, contractValue)
            next.realizedPnL = try next.realizedPnL.adding(realized)
            next.quantity = try next.quantity.adding(signed)
            if next.quantity.isZero {
                next.averageEntryPrice = .zero
                next.openedAt = nil
            } else if next.quantity.isPositive == signed.isPositive {
                next.averageEntryPrice = price  // flipped: the remainder opened at this fill
                next.openedAt = timestamp
            }
        }
        next.fees = try next.fees.adding(fee)
        self = next
        return realized
    }

    /// Applies a ``Fill`` whose fee is in the quote asset (fees in other assets count as zero here;
    /// the ledger books them).
    @discardableResult
    public mutating func apply(_ fill: Fill) throws(FixedPointError) -> Money {
        let fee = fill.feeAsset == symbol.quote ? fill.fee : .zero
        return try apply(
            side: fill.side, price: fill.price, quantity: fill.quantity, fee: fee, timestamp: fill.timestamp)
    }

    /// Open P&L at `markPrice`: `(mark − entry) × quantity × contractValue`.
    public func unrealizedPnL(at markPrice: Price) throws(FixedPointError) -> Money {
        guard !quantity.isZero else { return .zero }
        let perUnit = try markPrice.subtracting(averageEntryPrice)
        return try FixedPoint.product(perUnit, quantity, contractValue)
    }

    /// Quote value of the open quantity at `markPrice` (negative for shorts).
    public func marketValue(at markPrice: Price) throws(FixedPointError) -> Money {
        try FixedPoint.product(markPrice, quantity, contractValue)
    }
}
