import PetrelCore

/// One row of seed 000's `TradingPair` table: a spot pair, its priority and whether it is traded.
public struct TradingPairSetting: Sendable, Hashable, Codable {
    /// The spot pair (`BTC/USD`; the seed writes `BTC-USD`).
    public var symbol: Symbol
    /// Higher is preferred when two opportunities score the same (the seed: 100 for BTC-USD, 90 for ETH-USD).
    public var priority: Int
    /// Disabled pairs are kept in the list but generate no trades.
    public var isEnabled: Bool

    /// Creates a pair setting.
    /// - Parameters:
    ///   - symbol: a spot symbol.
    ///   - priority: tie-break weight, higher first; 0 by default.
    ///   - isEnabled: whether the bot trades it; `true` by default.
    public init(symbol: Symbol, priority: Int = 0, isEnabled: Bool = true) {
        self.symbol = symbol
        self.priority = priority
        self.isEnabled = isEnabled
    }
}
