/// One sample of an account's equity curve: the marked-to-market value at a moment.
///
/// The backtester emits one point per bar (after the bar's fills, at its close price); live
/// bots emit one per equity snapshot. Points must be in ascending timestamp order and evenly
/// spaced for the annualised statistics to mean what they say (see ``AnalyticsConventions``).
public struct EquityPoint: Sendable, Hashable, Codable {
    /// Time of the sample, Unix milliseconds (UTC).
    public var timestamp: Int64
    /// Equity in the account's quote currency (cash plus open positions at market).
    public var equity: Double

    /// Creates a sample.
    /// - Parameters:
    ///   - timestamp: Unix milliseconds (UTC).
    ///   - equity: account value in quote currency.
    /// - Complexity: O(1).
    @inlinable
    public init(timestamp: Int64, equity: Double) {
        self.timestamp = timestamp
        self.equity = equity
    }
}
