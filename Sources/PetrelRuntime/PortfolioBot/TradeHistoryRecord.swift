import PetrelCore

/// What the bot decided (seed 000's `decision` column).
public enum TradeDecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// Spend the quote asset on the base asset of one pair.
    case buy = "BUY"
    /// Sell the base asset of one pair for its quote asset.
    case sell = "SELL"
    /// Nothing passed the rule.
    case hold = "HOLD"
    /// Two legs through a shared asset (BTC → ETH via USD).
    case convert = "CONVERT"
}

/// Where a recorded trade stands (seed 000's `status` column).
public enum TradeStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The venue filled it.
    case executed = "EXECUTED"
    /// The venue rejected it or it could not be sent.
    case failed = "FAILED"
    /// Decided and written before execution (intent first), or a dry run's trade that is never sent.
    case pending = "PENDING"
}

/// One row of seed 000's `TradeHistory`, with every field of the seed.
///
/// JSON uses the seed's snake_case keys (`id`, `from_pair`, `to_pair`, `decision`, `status`,
/// `confidence`, `risk`, `volatility`, `amount`, `expected_return`, `reasoning`, `created_at`), so
/// the WebSocket messages `recent_trades` and `trade_executed` can carry it unchanged. `from_pair`
/// and `to_pair` hold assets (`BTC`, `USD`) as in the seed.
public struct TradeHistoryRecord: Sendable, Hashable {
    /// Assigned by the store; `nil` until appended.
    public var id: Int64?
    /// The asset given up (`from_pair`).
    public var fromPair: String
    /// The asset received (`to_pair`).
    public var toPair: String
    /// BUY, SELL, HOLD or CONVERT.
    public var decision: TradeDecision
    /// EXECUTED, FAILED or PENDING.
    public var status: TradeStatus
    /// 0–1.
    public var confidence: Double
    /// The risk score.
    public var risk: Double
    /// `σ` of the window's returns.
    public var volatility: Double
    /// Amount of the from-asset, exact (JSON: a decimal string such as `"0.5"`).
    public var amount: Money
    /// `E` as a fraction (0.025 = 2.5 %).
    public var expectedReturn: Double
    /// Why the bot decided so.
    public var reasoning: String
    /// Unix milliseconds (JSON: ISO-8601 UTC, `2026-02-14T02:30:00Z`).
    public var createdAt: Int64

    /// Creates a record from its fields.
    public init(
        id: Int64? = nil, fromPair: String, toPair: String, decision: TradeDecision, status: TradeStatus,
        confidence: Double, risk: Double, volatility: Double, amount: Money, expectedReturn: Double,
        reasoning: String, createdAt: Int64
    ) {
        self.id = id
        self.fromPair = fromPair
        self.toPair = toPair
        self.decision = decision
        self.status = status
        self.confidence = confidence
        self.risk = risk
        self.volatility = volatility
        self.amount = amount
        self.expectedReturn = expectedReturn
        self.reasoning = reasoning
        self.createdAt = createdAt
    }

    /// The record of an assessed opportunity with a defined risk (an accepted one).
    /// - Parameters:
    ///   - opportunity: the trade.
    ///   - status: usually ``TradeStatus/pending`` before execution.
    ///   - createdAt: Unix ms.
    ///   - reasoning: replaces the opportunity's reasoning when given.
    /// - Returns: `nil` when the opportunity has no assessment or an undefined risk.
    public init?(
        opportunity: TradeOpportunity, status: TradeStatus, createdAt: Int64, reasoning: String? = nil
    ) {
        guard let assessment = opportunity.assessment, let risk = assessment.risk else { return nil }
        self.init(
            fromPair: opportunity.from, toPair: opportunity.to, decision: opportunity.decision, status: status,
            confidence: assessment.confidence, risk: risk, volatility: assessment.volatility,
            amount: opportunity.amount, expectedReturn: assessment.expectedReturn,
            reasoning: reasoning ?? opportunity.reasoning, createdAt: createdAt)
    }
}
