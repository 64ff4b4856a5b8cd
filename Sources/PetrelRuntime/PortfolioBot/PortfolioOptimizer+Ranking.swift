import PetrelCore

extension PortfolioOptimizer {
    /// Orders opportunities best first, deterministically.
    ///
    /// Keys, in order: score descending (opportunities without a score after all scored ones),
    /// expected return descending (unassessed ones last), priority descending, then the route text
    /// (``TradeRoute/description``) ascending, which is unique per route.
    /// - Parameter opportunities: in any order.
    /// - Returns: the ranked list.
    /// - Complexity: O(n log n).
    public static func rank(_ opportunities: [TradeOpportunity]) -> [TradeOpportunity] {
        opportunities.sorted(by: ranksBefore)
    }

    /// Whether `a` ranks strictly before `b` (a strict total order on distinct routes).
    static func ranksBefore(_ a: TradeOpportunity, _ b: TradeOpportunity) -> Bool {
        if let order = descending(a.score, b.score) { return order }
        if let order = descending(a.expectedReturn, b.expectedReturn) { return order }
        if a.route.priority != b.route.priority { return a.route.priority > b.route.priority }
        return a.route.description < b.route.description
    }

    /// Compares two optional values, larger first and `nil` last; `nil` when they tie.
    private static func descending(_ a: Double?, _ b: Double?) -> Bool? {
        switch (a, b) {
        case (let x?, let y?): return x == y ? nil : x > y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return nil
        }
    }

    /// One sentence: what the trade is, its statistics and the verdict.
    static func reasoning(
        route: TradeRoute, amount: Money, assessment: RiskAssessment?, rejections: [TradeRejection], rule: TradeRule
    ) -> String {
        var text: String
        switch route.decision {
        case .buy:
            text = "BUY \(route.to) with \(amount) \(route.from) on \(route.legs[0].symbol)"
        case .sell:
            text = "SELL \(amount) \(route.from) for \(route.to) on \(route.legs[0].symbol)"
        case .convert, .hold:
            let legs = route.legs.map(\.description).joined(separator: ", ")
            text = "CONVERT \(amount) \(route.from) to \(route.to) via \(route.intermediate ?? "?") (\(legs))"
        }
        if let a = assessment {
            text += ": expected return \(percent(a.expectedReturn))"
            text += " (momentum \(percent(a.grossReturn)), costs \(percent(a.costs)))"
            text += ", volatility \(percent(a.volatility)), confidence \(a.confidence.decimalText(4))"
            text += ", risk " + (a.risk.map { $0.decimalText(4) } ?? "undefined")
        }
        if rejections.isEmpty {
            text += "; meets the rule (confidence ≥ \(rule.minConfidence.decimalText(4)), risk ≤ "
            text += "\(rule.riskTolerance.decimalText(4)), expected return > \(percent(rule.minimumExpectedReturn)))"
        } else {
            text += "; rejected: " + rejections.map(\.explanation).joined(separator: "; ")
        }
        return text
    }
}
