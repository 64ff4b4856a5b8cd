import PetrelCore

/// How big an entry is, in quote-asset terms, before instrument rounding.
public enum PositionSizing: Sendable, Hashable, Codable {
    /// The same quote amount every trade.
    case fixedAmount(Money)
    /// A fraction (0–1] of current equity (seed 002's `position_size`).
    case percentOfEquity(Double)
    /// Seed 003: the first trade uses `initialAmount`, every later trade all available cash.
    case compounding(initialAmount: Money)
    /// Risk `riskFraction` of equity per trade with a stop `atrMultiple` × ATR(`atrPeriod`) away:
    /// quantity = equity × riskFraction / (atrMultiple × ATR).
    case riskPerTrade(riskFraction: Double, atrPeriod: Int, atrMultiple: Double)

    /// A description for reports: `percent_of_equity(0.1)`.
    public var summary: String {
        switch self {
        case .fixedAmount(let amount): return "fixed_amount(\(amount))"
        case .percentOfEquity(let fraction): return "percent_of_equity(\(fraction))"
        case .compounding(let initial): return "compounding(first \(initial), then all cash)"
        case .riskPerTrade(let risk, let period, let multiple):
            return "risk_per_trade(\(risk) of equity, stop \(multiple) × ATR(\(period)))"
        }
    }
}
