/// Portfolio risk for the API (`GET /api/v1/analytics/risk`): tail risk of a returns series,
/// exposure and concentration of the open positions.
///
/// Positions are aggregated **per asset** by summing their signed notionals (a spot long and a
/// perpetual short on the same asset offset each other). Concentration is measured on the
/// absolute per-asset notionals `|N_i|`, with shares `w_i = |N_i| / Σ|N_j|`.
/// All values are finite or `nil`, so the JSON never holds NaN or infinities.
public struct RiskStatistics: Sendable, Hashable, Codable {
    /// Number of returns the tail risk was computed from.
    public var observations: Int
    /// Historical VaR at 95 %, positive loss fraction per period (see ``Analytics/valueAtRisk(returns:confidence:)``).
    public var valueAtRisk95: Double?
    /// Historical CVaR (expected shortfall) at 95 %, positive loss fraction per period.
    public var conditionalValueAtRisk95: Double?
    /// Historical VaR at 99 %, positive loss fraction per period.
    public var valueAtRisk99: Double?
    /// Historical CVaR at 99 %, positive loss fraction per period.
    public var conditionalValueAtRisk99: Double?
    /// Number of distinct assets with a non-zero net notional.
    public var assetCount: Int
    /// `Σ|n|` over the individual positions, in quote currency.
    public var grossExposure: Double?
    /// `Σn` (longs positive, shorts negative), in quote currency.
    public var netExposure: Double?
    /// Sum of the positive notionals.
    public var longExposure: Double?
    /// Sum of the negative notionals' magnitudes (a positive number).
    public var shortExposure: Double?
    /// Herfindahl–Hirschman index `Σ w_i²` of the per-asset shares: 1 for a single asset,
    /// `1/N` for N equal ones; `nil` with no exposure.
    public var herfindahlIndex: Double?
    /// `1 / herfindahlIndex`: how many equal-sized assets the book is worth.
    public var effectiveAssetCount: Double?
    /// Largest per-asset share `max w_i` in 0…1; `nil` with no exposure.
    public var largestPositionShare: Double?
    /// Asset holding ``largestPositionShare`` (the alphabetically first on a tie).
    public var largestPositionAsset: String?
    /// `grossExposure / equity` when a positive equity was given.
    public var grossLeverage: Double?
    /// `netExposure / equity` when a positive equity was given.
    public var netLeverage: Double?

    /// Computes risk statistics.
    /// - Parameters:
    ///   - returns: per-period simple returns of the account (any order); may be empty.
    ///   - positions: open positions as `(asset, signed notional)`, longs positive, shorts
    ///     negative, in one quote currency; may be empty.
    ///   - equity: account equity for the leverage figures; `nil` or non-positive leaves them `nil`.
    /// - Returns: the statistics; tail risk is `nil` without returns, concentration `nil`
    ///   without exposure.
    /// - Complexity: O(n log n) in the returns (one sort), O(p) in the positions.
    public static func compute(
        returns: [Double],
        positions: [(asset: String, notional: Double)],
        equity: Double? = nil
    ) -> RiskStatistics {
        let sorted = Analytics.sortedNumbers(returns)
        var statistics = RiskStatistics(
            observations: sorted.count,
            valueAtRisk95: Analytics.valueAtRisk(sortedReturns: sorted, confidence: 0.95),
            conditionalValueAtRisk95: Analytics.conditionalValueAtRisk(sortedReturns: sorted, confidence: 0.95),
            valueAtRisk99: Analytics.valueAtRisk(sortedReturns: sorted, confidence: 0.99),
            conditionalValueAtRisk99: Analytics.conditionalValueAtRisk(sortedReturns: sorted, confidence: 0.99),
            assetCount: 0)
        statistics.addExposure(positions, equity: equity)
        return statistics
    }

    /// Memberwise start: tail risk set, exposure empty.
    private init(
        observations: Int,
        valueAtRisk95: Double?,
        conditionalValueAtRisk95: Double?,
        valueAtRisk99: Double?,
        conditionalValueAtRisk99: Double?,
        assetCount: Int
    ) {
        self.observations = observations
        self.valueAtRisk95 = valueAtRisk95
        self.conditionalValueAtRisk95 = conditionalValueAtRisk95
        self.valueAtRisk99 = valueAtRisk99
        self.conditionalValueAtRisk99 = conditionalValueAtRisk99
        self.assetCount = assetCount
    }

    /// Fills the exposure and concentration fields.
    private mutating func addExposure(_ positions: [(asset: String, notional: Double)], equity: Double?) {
        var long = 0.0
        var short = 0.0
        // Net notional per asset, in order of first appearance so that sums are deterministic.
        var slot: [String: Int] = [:]
        var assets: [String] = []
        var net: [Double] = []
        for position in positions {
            if position.notional > 0 { long += position.notional } else { short -= position.notional }
            if let index = slot[position.asset] {
                net[index] += position.notional
            } else {
                slot[position.asset] = assets.count
                assets.append(position.asset)
                net.append(position.notional)
            }
        }
        let gross = long + short
        grossExposure = Analytics.finite(gross)
        netExposure = Analytics.finite(long - short)
        longExposure = Analytics.finite(long)
        shortExposure = Analytics.finite(short)
        if let equity, equity > 0 {
            grossLeverage = Analytics.finite(gross / equity)
            netLeverage = Analytics.finite((long - short) / equity)
        }

        var total = 0.0
        for value in net { total += value.magnitude }
        assetCount = net.count(where: { $0 != 0 })
        guard total > 0, total.isFinite else { return }
        var herfindahl = 0.0
        var largest = -1.0
        var largestAsset: String?
        for (asset, value) in zip(assets, net) where value != 0 {
            let share = value.magnitude / total
            herfindahl += share * share
            if share > largest || (share == largest && asset < (largestAsset ?? asset)) {
                largest = share
                largestAsset = asset
            }
        }
        herfindahlIndex = Analytics.finite(herfindahl)
        effectiveAssetCount = herfindahl > 0 ? Analytics.finite(1 / herfindahl) : nil
        largestPositionShare = Analytics.finite(largest)
        largestPositionAsset = largestAsset
    }
}
