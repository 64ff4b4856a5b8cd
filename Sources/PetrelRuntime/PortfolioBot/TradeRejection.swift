import PetrelCore

/// Why an opportunity was not chosen, for `trade_history` reasoning and the dashboard.
public enum TradeRejection: Sendable, Hashable {
    /// No quote of the leg's pair arrived within `cache_ttl_seconds`.
    case noFreshQuote(symbol: Symbol)
    /// Fewer than `volatility_window + 1` prices of the leg's pair have been seen.
    case insufficientHistory(symbol: Symbol, have: Int, need: Int)
    /// A fixed `trade_size_amount` larger than the holding.
    case insufficientBalance(asset: String, needed: Money, available: Money)
    /// `trade_size_percentage` of the holding rounds down to zero.
    case amountTooSmall(asset: String, holding: Money)
    /// `confidence < min_confidence_score`.
    case confidenceBelowMinimum(confidence: Double, minimum: Double)
    /// `risk > risk_tolerance`.
    case riskAboveTolerance(risk: Double, tolerance: Double)
    /// No positive expected gain, so the risk formula has no value (and no trade is made).
    case riskUndefined(expectedReturn: Double)
    /// Expected return not above 0.1 %.
    case expectedReturnTooLow(expectedReturn: Double, minimum: Double)

    /// A short sentence for people: `confidence 0.6200 < minimum 0.7000`.
    public var explanation: String {
        switch self {
        case .noFreshQuote(let symbol):
            return "no fresh quote for \(symbol)"
        case .insufficientHistory(let symbol, let have, let need):
            return "\(have) of the \(need) prices of \(symbol) needed for volatility"
        case .insufficientBalance(let asset, let needed, let available):
            return "trade size \(needed) \(asset) exceeds the holding of \(available) \(asset)"
        case .amountTooSmall(let asset, let holding):
            return "the trade size of the \(holding) \(asset) holding rounds down to 0"
        case .confidenceBelowMinimum(let confidence, let minimum):
            return "confidence \(confidence.decimalText(4)) < minimum \(minimum.decimalText(4))"
        case .riskAboveTolerance(let risk, let tolerance):
            return "risk \(risk.decimalText(4)) > tolerance \(tolerance.decimalText(4))"
        case .riskUndefined(let expectedReturn):
            return "no expected gain (\(percent(expectedReturn))), risk undefined"
        case .expectedReturnTooLow(let expectedReturn, let minimum):
            return "expected return \(percent(expectedReturn)) not above \(percent(minimum))"
        }
    }
}

/// `0.0012345` → `0.1235 %`.
func percent(_ fraction: Double) -> String {
    (fraction * 100).decimalText(4) + " %"
}
