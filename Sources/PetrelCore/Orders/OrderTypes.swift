/// Buy or sell.
public enum OrderSide: String, Sendable, Hashable, Codable, CaseIterable {
    case buy
    case sell

    /// The other side.
    @inlinable public var opposite: OrderSide { self == .buy ? .sell : .buy }
    /// +1 for buy, −1 for sell.
    @inlinable public var sign: Int64 { self == .buy ? 1 : -1 }
}

/// How an order is priced.
public enum OrderType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fills at the best available price.
    case market
    /// Fills at `price` or better.
    case limit
    /// Becomes a market order once the market trades through `stopPrice`.
    case stopMarket = "stop_market"
    /// Becomes a limit order at `price` once the market trades through `stopPrice`.
    case stopLimit = "stop_limit"

    /// Whether the type needs a limit `price`.
    public var needsLimitPrice: Bool { self == .limit || self == .stopLimit }
    /// Whether the type needs a `stopPrice`.
    public var needsStopPrice: Bool { self == .stopMarket || self == .stopLimit }
}

/// How long an order rests.
public enum TimeInForce: String, Sendable, Hashable, Codable, CaseIterable {
    /// Good till cancelled.
    case gtc
    /// Immediate or cancel: fill what is possible now, cancel the rest.
    case ioc
    /// Fill or kill: fill completely now or not at all.
    case fok
    /// Maker only: rejected if it would take liquidity.
    case postOnly = "post_only"
}

/// Whether a fill added liquidity (maker) or removed it (taker).
public enum Liquidity: String, Sendable, Hashable, Codable {
    case maker
    case taker
}
