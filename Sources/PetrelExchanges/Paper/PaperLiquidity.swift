import PetrelCore

/// What one quote still offers per side while the paper exchange matches orders against it
/// (`nil`: unlimited).
struct PaperLiquidity: Sendable, Hashable {
    var buy: Quantity?
    var sell: Quantity?

    init(quote: Quote, limit: PaperFillLimit) {
        switch limit {
        case .unlimited:
            buy = nil
            sell = nil
        case .maxQuantity(let quantity):
            buy = quantity
            sell = quantity
        case .quoteSize:
            buy = quote.askSize
            sell = quote.bidSize
        }
    }

    /// What a buy (from the asks) or a sell (into the bids) can still take.
    func available(_ side: OrderSide) -> Quantity? { side == .buy ? buy : sell }

    mutating func consume(_ side: OrderSide, _ quantity: Quantity) {
        switch side {
        case .buy: buy = buy.map { Swift.max(.zero, $0 - quantity) }
        case .sell: sell = sell.map { Swift.max(.zero, $0 - quantity) }
        }
    }
}
