/// A price in quote-asset units per one base unit (per contract for swaps).
///
/// `Price`, `Quantity` and `Money` share one exact representation so that the hot paths of
/// matching and accounting do no conversions; the names state the unit at every API.
public typealias Price = FixedPoint

/// An amount of the base asset, or a number of contracts for swaps.
public typealias Quantity = FixedPoint

/// An amount of some asset (a balance, a fee, a P&L); the asset travels beside it.
public typealias Money = FixedPoint
