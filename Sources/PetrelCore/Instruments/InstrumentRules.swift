/// A venue's trading rules for one instrument: price tick, quantity step, size and notional
/// limits, and for swaps the contract value.
///
/// Quantities are in base units for spot and in contracts for swaps (1 contract =
/// `contractValue` base units).
public struct InstrumentRules: Sendable, Hashable, Codable {
    public var symbol: Symbol
    /// Prices must be multiples of this.
    public var tickSize: Price
    /// Quantities must be multiples of this.
    public var stepSize: Quantity
    public var minQuantity: Quantity
    /// `nil` means unlimited.
    public var maxQuantity: Quantity?
    /// Minimum `price × quantity × contractValue` in quote units.
    public var minNotional: Money
    /// Base units per contract; 1 for spot.
    public var contractValue: Quantity

    /// Creates rules; every increment must be positive.
    /// - Throws: ``InstrumentRuleViolation/invalidRules(_:)``.
    public init(
        symbol: Symbol, tickSize: Price, stepSize: Quantity, minQuantity: Quantity = .zero,
        maxQuantity: Quantity? = nil, minNotional: Money = .zero, contractValue: Quantity = .one
    ) throws(InstrumentRuleViolation) {
        guard tickSize.isPositive else { throw .invalidRules("tick size \(tickSize) must be greater than zero") }
        guard stepSize.isPositive else { throw .invalidRules("step size \(stepSize) must be greater than zero") }
        guard !minQuantity.isNegative else { throw .invalidRules("min quantity \(minQuantity) is negative") }
        if let maxQuantity, maxQuantity < minQuantity {
            throw .invalidRules("max quantity \(maxQuantity) is below min quantity \(minQuantity)")
        }
        guard !minNotional.isNegative else { throw .invalidRules("min notional \(minNotional) is negative") }
        guard contractValue.isPositive else {
            throw .invalidRules("contract value \(contractValue) must be greater than zero")
        }
        self.symbol = symbol
        self.tickSize = tickSize
        self.stepSize = stepSize
        self.minQuantity = minQuantity
        self.maxQuantity = maxQuantity
        self.minNotional = minNotional
        self.contractValue = contractValue
    }

    /// Permissive rules (8-digit tick and step, no minimums) for data without venue metadata.
    public static func unrestricted(_ symbol: Symbol) -> InstrumentRules {
        // Cannot throw: every increment is positive.
        try! InstrumentRules(symbol: symbol, tickSize: .ulp, stepSize: .ulp)
    }

    /// Rounds a price to the tick. Buy limits usually round down and sell limits up, so that
    /// rounding never makes an order more aggressive than asked.
    public func roundPrice(_ price: Price, rule: RoundingRule) throws(FixedPointError) -> Price {
        try price.rounded(toStep: tickSize, rule: rule)
    }

    /// Rounds a quantity down to the step (never buys or sells more than asked).
    public func roundQuantity(_ quantity: Quantity) throws(FixedPointError) -> Quantity {
        try quantity.rounded(toStep: stepSize, rule: .towardZero)
    }

    /// Quote-currency value of `quantity` at `price`: `price × quantity × contractValue`.
    ///
    /// The product is exact and rounded once (half-even) at the 8th digit.
    public func notional(price: Price, quantity: Quantity) throws(FixedPointError) -> Money {
        try FixedPoint.product(price, quantity, contractValue)
    }

    /// Checks an order's price and quantity against every rule.
    /// - Parameters:
    ///   - price: the limit price, or the expected fill price of a market order.
    ///   - quantity: the order size.
    /// - Throws: the first ``InstrumentRuleViolation``.
    public func validate(price: Price, quantity: Quantity) throws(InstrumentRuleViolation) {
        guard price.isPositive else { throw .priceNotPositive(price) }
        guard price.isMultiple(ofStep: tickSize) else { throw .priceOffTick(price, tick: tickSize) }
        guard quantity.isPositive else { throw .quantityNotPositive(quantity) }
        guard quantity.isMultiple(ofStep: stepSize) else { throw .quantityOffStep(quantity, step: stepSize) }
        guard quantity >= minQuantity else { throw .quantityBelowMinimum(quantity, minimum: minQuantity) }
        if let maxQuantity, quantity > maxQuantity { throw .quantityAboveMaximum(quantity, maximum: maxQuantity) }
        let value: Money
        do {
            value = try notional(price: price, quantity: quantity)
        } catch {
            throw .notionalOverflow(price: price, quantity: quantity)
        }
        guard value >= minNotional else { throw .notionalBelowMinimum(value, minimum: minNotional) }
    }
}

extension InstrumentRules {
    private enum CodingKeys: String, CodingKey {
        case symbol, tickSize, stepSize, minQuantity, maxQuantity, minNotional, contractValue
    }

    /// Decodes rules and checks them like the initialiser does, with its defaults for the optional
    /// limits, so that a zero tick from a file or a venue is refused here rather than breaking
    /// every later rounding.
    /// - Throws: `DecodingError.dataCorrupted` with the ``InstrumentRuleViolation`` message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rules: InstrumentRules
        do {
            rules = try InstrumentRules(
                symbol: container.decode(Symbol.self, forKey: .symbol),
                tickSize: container.decode(Price.self, forKey: .tickSize),
                stepSize: container.decode(Quantity.self, forKey: .stepSize),
                minQuantity: container.decodeIfPresent(Quantity.self, forKey: .minQuantity) ?? .zero,
                maxQuantity: container.decodeIfPresent(Quantity.self, forKey: .maxQuantity),
                minNotional: container.decodeIfPresent(Money.self, forKey: .minNotional) ?? .zero,
                contractValue: container.decodeIfPresent(Quantity.self, forKey: .contractValue) ?? .one)
        } catch let violation as InstrumentRuleViolation {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: violation.description))
        }
        self = rules
    }
}

/// An order that breaks an instrument rule, or rules that are not self-consistent.
public enum InstrumentRuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidRules(String)
    case priceNotPositive(Price)
    case priceOffTick(Price, tick: Price)
    case quantityNotPositive(Quantity)
    case quantityOffStep(Quantity, step: Quantity)
    case quantityBelowMinimum(Quantity, minimum: Quantity)
    case quantityAboveMaximum(Quantity, maximum: Quantity)
    case notionalBelowMinimum(Money, minimum: Money)
    case notionalOverflow(price: Price, quantity: Quantity)

    public var description: String {
        switch self {
        case .invalidRules(let why): return "invalid instrument rules: \(why)"
        case .priceNotPositive(let p): return "price \(p) must be greater than zero"
        case .priceOffTick(let p, let tick): return "price \(p) is not a multiple of the tick size \(tick)"
        case .quantityNotPositive(let q): return "quantity \(q) must be greater than zero"
        case .quantityOffStep(let q, let step): return "quantity \(q) is not a multiple of the step size \(step)"
        case .quantityBelowMinimum(let q, let min): return "quantity \(q) is below the minimum \(min)"
        case .quantityAboveMaximum(let q, let max): return "quantity \(q) is above the maximum \(max)"
        case .notionalBelowMinimum(let n, let min): return "order value \(n) is below the minimum notional \(min)"
        case .notionalOverflow(let p, let q): return "order value of \(q) at \(p) is out of range"
        }
    }
}
