/// An exact decimal number with 8 fractional digits stored as a scaled `Int64`.
///
/// Prices, quantities and balances never pass through `Double`: they are parsed from and
/// printed to decimal strings digit by digit, and products and quotients go through `Int128`
/// so that no intermediate result can overflow silently. The representable range is about
/// ±92,233,720,368.54775807.
///
/// The `+`, `-` and unary `-` operators trap on overflow like Swift's integer operators
/// (overflow there is a programmer error on already-validated values); the throwing methods
/// ``adding(_:)``, ``subtracting(_:)``, ``multiplied(by:rounding:)`` and
/// ``divided(by:rounding:)`` report overflow as ``FixedPointError/overflow(_:)`` for values
/// that come from users, files or venues.
public struct FixedPoint: Sendable, Hashable, Comparable {
    /// Number of fractional decimal digits.
    public static let fractionDigits = 8
    /// The raw value of `1`: 10^8.
    public static let scale: Int64 = 100_000_000

    /// The scaled integer: `value × 10^8`.
    public var rawValue: Int64

    /// Creates a value from its scaled integer representation.
    /// - Parameter rawValue: the value multiplied by 10^8.
    @inlinable
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Creates a value from a whole number.
    /// - Parameter integer: the whole number; must lie within the representable range.
    /// - Throws: ``FixedPointError/overflow(_:)`` when it does not.
    public init(exactly integer: Int) throws(FixedPointError) {
        let (product, overflow) = Int64(integer).multipliedReportingOverflow(by: Self.scale)
        if overflow { throw .overflow("\(integer)") }
        self.rawValue = product
    }

    /// Creates a value from a whole number known to be in range (programmer-supplied constants).
    @inlinable
    public init(_ integer: Int) {
        self.rawValue = Int64(integer) * Self.scale
    }

    public static let zero = FixedPoint(rawValue: 0)
    public static let one = FixedPoint(rawValue: scale)
    /// The smallest positive value, 0.00000001.
    public static let ulp = FixedPoint(rawValue: 1)
    public static let max = FixedPoint(rawValue: .max)
    public static let min = FixedPoint(rawValue: .min)

    @inlinable public var isZero: Bool { rawValue == 0 }
    @inlinable public var isNegative: Bool { rawValue < 0 }
    @inlinable public var isPositive: Bool { rawValue > 0 }

    /// The magnitude. Traps only for `FixedPoint.min`, which has no positive counterpart.
    @inlinable public var magnitude: FixedPoint { FixedPoint(rawValue: rawValue < 0 ? -rawValue : rawValue) }

    /// The nearest `Double`, for indicators and statistics only (never for money arithmetic).
    @inlinable public var doubleValue: Double { Double(rawValue) / 100_000_000.0 }

    @inlinable
    public static func < (lhs: FixedPoint, rhs: FixedPoint) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a result that falls between two representable values is rounded.
public enum RoundingRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// Toward negative infinity (floor).
    case down
    /// Toward positive infinity (ceiling).
    case up
    /// Toward zero (truncation).
    case towardZero
    /// To the nearest value; ties to the even neighbour (banker's rounding).
    case halfEven
}

/// Why an exact decimal operation could not produce a value.
public enum FixedPointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not a plain decimal number.
    case invalidSyntax(String)
    /// The text has more than 8 fractional digits that are not zero.
    case tooManyFractionDigits(String)
    /// The result lies outside ±92,233,720,368.54775807.
    case overflow(String)
    /// Division by zero, or rounding to a step that is not positive.
    case divisionByZero
    /// A step for rounding must be greater than zero.
    case invalidStep(String)
    /// A `Double` that is NaN or infinite cannot become an exact decimal.
    case notFinite

    public var description: String {
        switch self {
        case .invalidSyntax(let text):
            return "'\(text)' is not a decimal number (expected digits with an optional sign and one '.')"
        case .tooManyFractionDigits(let text):
            return "'\(text)' has more than \(FixedPoint.fractionDigits) fractional digits"
        case .overflow(let text):
            return "\(text) is outside the representable range ±92233720368.54775807"
        case .divisionByZero:
            return "division by zero"
        case .invalidStep(let text):
            return "rounding step \(text) must be greater than zero"
        case .notFinite:
            return "a NaN or infinite number has no exact decimal value"
        }
    }
}
