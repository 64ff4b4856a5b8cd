import PetrelCore

/// Seed 000's `RiskAnalyzer`: volatility, expected return, confidence and risk of a trade from the
/// recent prices of its pair. All statistics are `Double`; prices stay exact until converted here.
///
/// Definitions (docs/portfolio-bot.md derives and illustrates each):
/// - returns: the `window` simple returns `r_i = p_i / p_(i−1) − 1` of the last `window + 1` prices;
/// - volatility `σ`: their **sample** standard deviation (divide by `window − 1`), the convention of
///   `PetrelAnalytics` and pandas; it estimates the spread of the next return, not the window's own;
/// - momentum `μ`: their mean; the expected return of buying the base is `+μ`, of selling it `−μ`;
/// - confidence `c = E / (E + σ)` for `E > 0`, else 0 (``confidence(expectedReturn:volatility:)``);
/// - risk `= σ / (c × E)`, undefined (no trade) unless `c > 0` and `E > 0`
///   (``risk(volatility:confidence:expectedGain:)``).
public struct RiskAnalyzer: Sendable, Hashable {
    /// The seed's `volatility_window`.
    public static let defaultWindow = 10

    /// Number of returns measured (prices needed: `window + 1`).
    public let window: Int

    /// Creates an analyser.
    /// - Parameter window: 2–1000 returns (two are the fewest a sample deviation needs); 10 by default.
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` for another window.
    public init(window: Int = RiskAnalyzer.defaultWindow) throws(PortfolioBotError) {
        guard (2...PortfolioBotSettings.maximumVolatilityWindow).contains(window) else {
            throw .outOfRange(
                field: "volatility_window", value: "\(window)",
                allowed: "2 to \(PortfolioBotSettings.maximumVolatilityWindow) returns")
        }
        self.window = window
    }

    /// Prices the analysis needs: `window + 1`.
    public var requiredPrices: Int { window + 1 }

    /// The simple returns of the last `window + 1` prices, oldest first.
    /// - Parameter prices: prices oldest first; older ones beyond `window + 1` are ignored.
    /// - Returns: `window` returns, or `nil` with too few prices or a price that is not positive.
    /// - Complexity: O(window).
    public func returns(of prices: [Price]) -> [Double]? {
        guard prices.count >= requiredPrices else { return nil }
        let recent = prices.suffix(requiredPrices)
        guard recent.allSatisfy(\.isPositive) else { return nil }
        var result: [Double] = []
        result.reserveCapacity(window)
        var previous = recent.first!.doubleValue
        for price in recent.dropFirst() {
            let current = price.doubleValue
            result.append(current / previous - 1)
            previous = current
        }
        return result
    }

    /// Volatility `σ`: the sample standard deviation of ``returns(of:)``.
    /// - Returns: `σ ≥ 0`, or `nil` with too few prices.
    public func volatility(of prices: [Price]) -> Double? {
        returns(of: prices).map(Self.sampleStandardDeviation)
    }

    /// Momentum `μ`: the mean of ``returns(of:)``, positive when the base asset has been rising.
    /// - Returns: the mean return per sample, or `nil` with too few prices.
    public func momentum(of prices: [Price]) -> Double? {
        returns(of: prices).map(Self.mean)
    }

    /// The expected return of one leg before costs: `+μ` for buying the base, `−μ` for selling it.
    /// - Parameters:
    ///   - prices: the pair's prices, oldest first.
    ///   - side: buy or sell of the base asset.
    /// - Returns: the signed momentum, or `nil` with too few prices.
    public func expectedReturn(of prices: [Price], side: OrderSide) -> Double? {
        momentum(of: prices).map { side == .buy ? $0 : -$0 }
    }

    /// The arithmetic mean (0 for no values).
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// Sample standard deviation `√(Σ(x − x̄)² / (n − 1))`, computed in two passes.
    /// - Parameter values: at least two values (a programmer error otherwise).
    /// - Returns: the deviation, `≥ 0`.
    public static func sampleStandardDeviation(_ values: [Double]) -> Double {
        precondition(values.count >= 2, "a sample standard deviation needs at least two values")
        let average = mean(values)
        var squares = 0.0
        for value in values {
            let deviation = value - average
            squares += deviation * deviation
        }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Confidence in a trade, 0–1: `E / (E + σ)` when `E > 0`, else 0.
    ///
    /// With `k = E / σ` (expected return in units of volatility) this is `k / (1 + k)`: 0.5 when the
    /// expected return equals one volatility, 0.75 at three. It rises with `E`, falls with `σ`, is 1
    /// for a positive return with no volatility, and 0 for a trade expected to lose.
    /// - Parameters:
    ///   - expectedReturn: `E`, net of costs.
    ///   - volatility: `σ ≥ 0`.
    public static func confidence(expectedReturn: Double, volatility: Double) -> Double {
        precondition(volatility >= 0, "volatility cannot be negative, got \(volatility)")
        guard expectedReturn > 0 else { return 0 }
        return expectedReturn / (expectedReturn + volatility)
    }

    /// Seed 000's risk score `volatility / (confidence × expected gain)`.
    /// - Parameters:
    ///   - volatility: `σ ≥ 0`.
    ///   - confidence: `c`, 0–1.
    ///   - expectedGain: `E`, net of costs.
    /// - Returns: the score (0 for no volatility), or `nil` when `c ≤ 0` or `E ≤ 0`: the formula
    ///   would divide by zero or reward a loss with a negative risk, and such a trade is never made.
    public static func risk(volatility: Double, confidence: Double, expectedGain: Double) -> Double? {
        guard confidence > 0, expectedGain > 0 else { return nil }
        return volatility / (confidence * expectedGain)
    }
}
