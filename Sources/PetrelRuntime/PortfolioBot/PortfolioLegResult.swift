import PetrelCore

/// What one order of a trade did: the leg, the order sent for it and what it filled.
///
/// `spent` and `received` come from the applied fills only: a leg that gave up 0.2 BTC on BTC/USD
/// at 199.99 with no fee spent 0.2 BTC and received 39.998 USD. A fee in the quote asset raises what
/// a buy spends and lowers what a sell receives; a fee in the base asset lowers what a buy receives
/// and raises what a sell spends. A fee in a third asset (BNB) is in ``fees`` only.
public struct PortfolioLegResult: Sendable, Hashable, CustomStringConvertible {
    /// The pair and side.
    public var leg: TradeLeg
    /// How much of the leg's from-asset the bot meant to give up (quote asset for a buy, base for a sell).
    public var amount: Money
    /// The order's client id; `nil` when no order was built (sizing or instrument rules failed).
    public var clientOrderID: ClientOrderID?
    /// The ordered base quantity (zero when no order was built).
    public var quantity: Quantity
    /// The order's last known status; `nil` when nothing was sent.
    public var status: OrderStatus?
    /// Base quantity filled.
    public var filledQuantity: Quantity
    /// Volume-weighted fill price; `nil` before the first fill.
    public var averagePrice: Price?
    /// Fees charged, summed over the fills (whatever their asset).
    public var fees: Money
    /// Amount of the leg's from-asset given up, fees in it included.
    public var spent: Money
    /// Amount of the leg's to-asset received, net of fees in it.
    public var received: Money
    /// Why the leg did not fill completely; `nil` for a filled leg.
    public var reason: String?

    /// Creates the result of a leg before anything was sent.
    /// - Parameters:
    ///   - leg: the pair and side.
    ///   - amount: the from-asset amount to give up.
    public init(leg: TradeLeg, amount: Money) {
        self.leg = leg
        self.amount = amount
        clientOrderID = nil
        quantity = .zero
        status = nil
        filledQuantity = .zero
        averagePrice = nil
        fees = .zero
        spent = .zero
        received = .zero
        reason = nil
    }

    /// The asset this leg gives up: the quote asset for a buy, the base asset for a sell.
    public var fromAsset: String { leg.side == .buy ? leg.symbol.quote : leg.symbol.base }
    /// The asset this leg receives.
    public var toAsset: String { leg.side == .buy ? leg.symbol.base : leg.symbol.quote }
    /// Whether the whole ordered quantity filled.
    public var isFilled: Bool { status == .filled }

    /// `ETH/USD buy 0.384 (bot1x2): filled at 104.01, spent 39.93984 USD, received 0.384 ETH`.
    public var description: String {
        var text = "\(leg) \(quantity)"
        if let clientOrderID { text += " (\(clientOrderID))" }
        guard let status else { return text + ": not sent" }
        if filledQuantity.isPositive, let averagePrice {
            let state = status == .filled ? "filled" : "\(status.rawValue) after filling \(filledQuantity)"
            return text
                + ": \(state) at \(averagePrice), spent \(spent) \(fromAsset), received \(received) \(toAsset)"
        }
        return text + ": \(status.rawValue)"
    }

    /// Adopts the order's status and the fills applied to it.
    /// - Parameters:
    ///   - order: the order as the order manager holds it.
    ///   - fills: its fills.
    mutating func adopt(_ order: Order, fills: [Fill]) {
        status = order.status
        filledQuantity = order.filledQuantity
        averagePrice = order.averageFillPrice
        fees = order.fees
        var spent = Money.zero
        var received = Money.zero
        for fill in fills {
            let base = fill.symbol.base
            let quote = fill.symbol.quote
            let notional = (try? fill.price.multiplied(by: fill.quantity)) ?? .zero
            let quoteFee = fill.feeAsset == quote ? fill.fee : .zero
            let baseFee = fill.feeAsset == base ? fill.fee : .zero
            switch fill.side {
            case .buy:
                spent += notional + quoteFee
                received += fill.quantity - baseFee
            case .sell:
                spent += fill.quantity + baseFee
                received += notional - quoteFee
            }
        }
        self.spent = spent
        self.received = received
    }
}
