import PetrelCore

/// A streaming technical indicator: fed one input at a time, it keeps O(1) (amortised) state and
/// reports its latest output.
///
/// Every indicator in this module is a value type that owns its buffers (allocated once in
/// `init`), so a bot can keep one per series and copy it freely. Outputs are `nil` until the
/// indicator has consumed ``warmUpPeriod`` inputs; after that every update yields a value.
/// Definitions, seeding and warm-up lengths follow TA-Lib wherever TA-Lib has the indicator
/// (see `docs/indicators.md`).
public protocol Indicator: Sendable {
    /// What one update produces: a `Double`, or a small struct for multi-line indicators.
    associatedtype Output: Sendable
    /// Number of inputs consumed before the first non-nil output (TA-Lib lookback + 1).
    var warmUpPeriod: Int { get }
    /// Latest output, nil until warm.
    var value: Output? { get }
    /// Whether the indicator has produced a value (``value`` is not `nil`).
    var isReady: Bool { get }
    /// Forgets every input, returning to the freshly initialised state (buffers are kept).
    mutating func reset()
}

extension Indicator {
    /// Whether the indicator has produced a value (``value`` is not `nil`).
    @inlinable
    public var isReady: Bool { value != nil }
}

/// An indicator that can be fed whole candles: every indicator in this module conforms.
///
/// Single-input indicators read the close; the others read the fields they need. Prices and
/// volumes are converted from `FixedPoint` with `doubleValue`.
public protocol CandleIndicator: Indicator {
    /// Feeds one candle.
    /// - Parameter candle: the next bar, in time order.
    /// - Returns: the new output, or `nil` while warming up.
    mutating func update(_ candle: Candle) -> Output?
}

/// An indicator of a single number series (usually closes), such as ``SMA`` or ``RSI``.
public protocol ScalarIndicator: Indicator {
    /// Feeds one number.
    /// - Parameter value: the next input, in time order.
    /// - Returns: the new output, or `nil` while warming up.
    mutating func update(_ value: Double) -> Output?
}
