import PetrelCore

/// How the paper exchange matches and charges: instrument rules, fees, slippage, partial fills and
/// the price stop orders watch.
public struct PaperExchangeConfiguration: Sendable, Hashable, Codable {
    /// The venue name reported through ``PaperExchange/venue``.
    public var venue: String
    /// The instruments it trades; an order for any other symbol is rejected.
    public var rules: [InstrumentRules]
    /// Fee rate for fills that rest first (a limit order crossed by a later quote).
    public var makerFeeRate: FixedPoint
    /// Fee rate for fills that take liquidity (market orders, triggered stops, limits that cross on arrival).
    public var takerFeeRate: FixedPoint
    /// Fraction by which taker fills at the touch move against the trader (0.0005 = 5 bp).
    public var slippage: FixedPoint
    /// How much one quote can fill.
    public var fillLimit: PaperFillLimit
    /// Which price triggers stop orders.
    public var stopTrigger: PaperStopTrigger
    /// How many closed orders and fills the account keeps, as a venue keeps a limited history:
    /// once either passes twice this, the oldest are forgotten down to it. Open orders are always
    /// kept. Bounds what every save writes; reconciliation only needs the recent past, and client
    /// order ids are never reused, so a forgotten order is never submitted again.
    public var historyLimit: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - venue: the venue name (`paper`, `binance_paper`, `mock`).
    ///   - rules: the instruments traded.
    ///   - makerFeeRate: maker fee rate (0.001 = 0.1 %).
    ///   - takerFeeRate: taker fee rate.
    ///   - slippage: taker slippage fraction.
    ///   - fillLimit: how much one quote can fill (default: everything).
    ///   - stopTrigger: the price stops watch (default: the last trade).
    ///   - historyLimit: closed orders and fills kept (default 50; at least 1).
    public init(
        venue: String = "paper", rules: [InstrumentRules], makerFeeRate: FixedPoint = .zero,
        takerFeeRate: FixedPoint = .zero, slippage: FixedPoint = .zero, fillLimit: PaperFillLimit = .unlimited,
        stopTrigger: PaperStopTrigger = .last, historyLimit: Int = 50
    ) {
        self.historyLimit = Swift.max(1, historyLimit)
        self.venue = venue
        self.rules = rules
        self.makerFeeRate = makerFeeRate
        self.takerFeeRate = takerFeeRate
        self.slippage = slippage
        self.fillLimit = fillLimit
        self.stopTrigger = stopTrigger
    }

    /// The rules of `symbol`, or `nil` when it is not traded here.
    public func rules(for symbol: Symbol) -> InstrumentRules? {
        rules.first { $0.symbol == symbol }
    }
}

/// How much of the book one quote offers to the paper exchange's orders, shared by all orders it
/// matches (in arrival order).
public enum PaperFillLimit: Sendable, Hashable, Codable {
    /// Every order fills completely.
    case unlimited
    /// At most this quantity per side per quote; the rest waits for the next quotes.
    case maxQuantity(Quantity)
    /// The quote's sizes: buys take up to `askSize`, sells up to `bidSize` (unlimited when absent).
    case quoteSize
}

/// The price a stop order watches.
public enum PaperStopTrigger: String, Sendable, Hashable, Codable {
    /// The last trade: a buy stop triggers when `last ≥ stop`, a sell stop when `last ≤ stop`
    /// (Binance's and OKX's default).
    case last
    /// The touch: a buy stop triggers when `ask ≥ stop`, a sell stop when `bid ≤ stop`.
    case bidAsk = "bid_ask"
}
