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

extension PositionSizing {
    /// The sizing with every trade's size scaled by `factor` (a symbol's risk multiplier): fractions of
    /// equity capped at 1, amounts rounded to the money grid. `compounding` scales its first trade only
    /// (later trades use all cash by definition).
    /// - Parameter factor: greater than zero; 1 leaves the sizing as it is.
    public func scaled(by factor: Double) -> PositionSizing {
        guard factor != 1, factor > 0, factor.isFinite else { return self }
        func amount(_ value: Money) -> Money {
            (try? FixedPoint(approximating: value.doubleValue * factor)) ?? value
        }
        switch self {
        case .fixedAmount(let value): return .fixedAmount(amount(value))
        case .percentOfEquity(let fraction): return .percentOfEquity(min(1, fraction * factor))
        case .compounding(let initial): return .compounding(initialAmount: amount(initial))
        case .riskPerTrade(let risk, let period, let multiple):
            return .riskPerTrade(riskFraction: min(1, risk * factor), atrPeriod: period, atrMultiple: multiple)
        }
    }
}
