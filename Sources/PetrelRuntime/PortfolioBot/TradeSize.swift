import PetrelCore

/// How much of the from-asset one trade gives up (seed 000's `trade_size_amount` /
/// `trade_size_percentage`).
///
/// The amount is always in units of the asset being sold or converted: a fixed `0.1` sells 0.1 BTC
/// from a BTC holding but spends only 0.1 USD from a USD holding, which is why the seed recommends
/// the percentage form.
public enum TradeSize: Sendable, Hashable, Codable {
    /// The same amount of the from-asset every trade (`trade_size_amount`); must be positive.
    case fixedAmount(Money)
    /// A fraction of the from-asset holding (`trade_size_percentage`, 0.01–1; `0.1` = 10 %).
    case fractionOfHolding(FixedPoint)

    /// The smallest allowed `trade_size_percentage`.
    public static let minimumFraction = FixedPoint(rawValue: 1_000_000)
    /// The seed's recommendation: 10 % of the holding.
    public static let `default` = TradeSize.fractionOfHolding(FixedPoint(rawValue: 10_000_000))

    /// Checks the value a user gave.
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` naming the seed key.
    public func validate() throws(PortfolioBotError) {
        switch self {
        case .fixedAmount(let amount):
            guard amount.isPositive else {
                throw .outOfRange(field: "trade_size_amount", value: "\(amount)", allowed: "an amount above 0")
            }
        case .fractionOfHolding(let fraction):
            guard fraction >= Self.minimumFraction && fraction <= .one else {
                throw .outOfRange(field: "trade_size_percentage", value: "\(fraction)", allowed: "0.01 to 1")
            }
        }
    }

    /// The amount to trade out of `holding`, exact and rounded down to 8 decimals.
    ///
    /// A fixed amount is returned as is, even when it exceeds the holding: the optimiser rejects
    /// that trade as an insufficient balance instead of silently trading less.
    /// - Parameter holding: the free balance of the from-asset (not negative).
    /// - Returns: the amount of the from-asset; zero when a fraction of a dust holding rounds away.
    /// - Complexity: O(1).
    public func amount(of holding: Money) -> Money {
        switch self {
        case .fixedAmount(let amount):
            return amount
        case .fractionOfHolding(let fraction):
            // fraction ≤ 1, so |holding × fraction| ≤ |holding| always fits.
            do {
                return try holding.multiplied(by: fraction, rounding: .down)
            } catch {
                preconditionFailure("a fraction of at most 1 of \(holding) cannot overflow: \(error)")
            }
        }
    }
}
