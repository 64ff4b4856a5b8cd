import PetrelCore

/// One order of a trade: a pair and whether the base asset is bought or sold.
public struct TradeLeg: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The spot pair.
    public var symbol: Symbol
    /// Buy or sell of the pair's base asset.
    public var side: OrderSide

    /// Creates a leg.
    public init(symbol: Symbol, side: OrderSide) {
        self.symbol = symbol
        self.side = side
    }

    /// `BTC/USD sell`.
    public var description: String { "\(symbol) \(side.rawValue)" }
}

/// A way to turn one held asset into another over the enabled pairs: one leg directly, or two legs
/// through an asset both pairs share (hold BTC, pairs BTC/USD and ETH/USD: BTC → ETH via USD).
public struct TradeRoute: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The asset given up.
    public var from: String
    /// The asset received.
    public var to: String
    /// One or two legs, in execution order.
    public var legs: [TradeLeg]
    /// The pair's priority; for two legs the lower of the two (a route is as preferred as its weakest pair).
    public var priority: Int

    /// Creates a route.
    /// - Parameters:
    ///   - from: asset given up.
    ///   - to: asset received.
    ///   - legs: one or two legs (programmer-built; anything else is a broken invariant).
    ///   - priority: the tie-break weight.
    public init(from: String, to: String, legs: [TradeLeg], priority: Int) {
        precondition((1...2).contains(legs.count), "a route has one or two legs, got \(legs.count)")
        self.from = from
        self.to = to
        self.legs = legs
        self.priority = priority
    }

    /// BUY (quote → base), SELL (base → quote) or CONVERT (two legs).
    public var decision: TradeDecision {
        guard legs.count == 1 else { return .convert }
        return legs[0].side == .buy ? .buy : .sell
    }

    /// The asset passed through by a conversion (`USD` for BTC → ETH via USD).
    public var intermediate: String? {
        guard legs.count == 2 else { return nil }
        let first = legs[0].symbol
        return legs[0].side == .sell ? first.quote : first.base
    }

    /// `BTC→ETH [BTC/USD sell, ETH/USD buy]`: unique per route, the last tie-break of the ranking.
    public var description: String {
        "\(from)→\(to) [" + legs.map(\.description).joined(separator: ", ") + "]"
    }
}

/// A route evaluated for this step: the amount, the statistics and the verdict of the seed's rule.
public struct TradeOpportunity: Sendable, Hashable {
    /// What is traded.
    public var route: TradeRoute
    /// Amount of ``TradeRoute/from`` given up, exact and rounded down.
    public var amount: Money
    /// Statistics; `nil` when a leg had no fresh quote or too short a price history.
    public var assessment: RiskAssessment?
    /// Every reason it is not acceptable; empty for an acceptable trade.
    public var rejections: [TradeRejection]
    /// One sentence for people (trade history, dashboard, logs).
    public var reasoning: String

    /// Creates an evaluated opportunity.
    public init(
        route: TradeRoute, amount: Money, assessment: RiskAssessment?, rejections: [TradeRejection], reasoning: String
    ) {
        self.route = route
        self.amount = amount
        self.assessment = assessment
        self.rejections = rejections
        self.reasoning = reasoning
    }

    /// Whether every check of the rule passed.
    public var isAccepted: Bool { rejections.isEmpty }
    /// The asset given up.
    public var from: String { route.from }
    /// The asset received.
    public var to: String { route.to }
    /// The orders, in execution order.
    public var legs: [TradeLeg] { route.legs }
    /// BUY, SELL or CONVERT.
    public var decision: TradeDecision { route.decision }
    /// Expected return `E`, net of costs.
    public var expectedReturn: Double? { assessment?.expectedReturn }
    /// Volatility `σ`.
    public var volatility: Double? { assessment?.volatility }
    /// Confidence 0–1.
    public var confidence: Double? { assessment?.confidence }
    /// Risk score; `nil` when not assessed or undefined.
    public var risk: Double? { assessment?.risk }
    /// Ranking score `E × c / (1 + risk)`; `nil` when not assessed or the risk is undefined.
    public var score: Double? { assessment?.score }
}
