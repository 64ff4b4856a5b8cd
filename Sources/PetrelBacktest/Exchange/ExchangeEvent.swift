import PetrelCore

/// What the simulated exchange tells the kernel about an order.
public enum ExchangeEvent: Sendable, Hashable {
    case accepted(ClientOrderID, venueOrderID: String, timestamp: Int64)
    case rejected(ClientOrderID, reason: String, timestamp: Int64)
    case cancelled(ClientOrderID, reason: String, timestamp: Int64)
    case filled(Fill)
}

/// Fees and slippage of the simulated exchange.
public struct ExecutionCosts: Sendable, Hashable, Codable {
    /// Fee rate for fills of resting limit orders (0.001 = 0.1 %).
    public var makerFee: Double
    /// Fee rate for market and stop fills.
    public var takerFee: Double
    /// Adverse price move applied to market and stop fills, as a fraction of price (0.0005 = 5 bp).
    public var slippage: Double

    public init(makerFee: Double = 0.001, takerFee: Double = 0.001, slippage: Double = 0) {
        self.makerFee = makerFee
        self.takerFee = takerFee
        self.slippage = slippage
    }
}
