/// A portfolio-bot setting that a user (config file, CLI flag, WebSocket `update_config`) got wrong.
///
/// Every case names the field by its seed 000 key (`risk_tolerance`, `cache_ttl_seconds`, …), the
/// value given and what is allowed, so the message can be shown as-is.
public enum PortfolioBotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A number outside its allowed range.
    case outOfRange(field: String, value: String, allowed: String)
    /// Two enabled or disabled entries trade the same two assets (`BTC/USD` twice, or `BTC/USD` and `USD/BTC`).
    case duplicatePair(field: String, symbol: String)
    /// A symbol the portfolio bot cannot trade (perpetual swaps: the bot converts spot holdings).
    case unsupportedPair(field: String, symbol: String, reason: String)

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let allowed):
            return "\(field): \(value) is not allowed (expected \(allowed))"
        case .duplicatePair(let field, let symbol):
            return "\(field): \(symbol) trades the same two assets as an earlier pair"
        case .unsupportedPair(let field, let symbol, let reason):
            return "\(field): \(symbol) cannot be traded by the portfolio bot (\(reason))"
        }
    }
}
