/// Exact per-asset balances split into free and locked (reserved by open orders).
///
/// Every mutation checks before it changes anything: a debit or lock larger than the free
/// balance throws ``LedgerError/insufficientBalance(asset:needed:available:)`` and leaves the
/// ledger as it was.
public struct PortfolioLedger: Sendable, Hashable, Codable {
    /// Free and locked amounts of one asset.
    public struct Balance: Sendable, Hashable, Codable {
        public var free: Money
        public var locked: Money
        public var total: Money { free + locked }

        public init(free: Money = .zero, locked: Money = .zero) {
            self.free = free
            self.locked = locked
        }
    }

    public private(set) var balances: [String: Balance]

    public init(balances: [String: Money] = [:]) {
        self.balances = balances.mapValues { Balance(free: $0) }
    }

    /// The balance of `asset` (zero when never seen).
    public func balance(_ asset: String) -> Balance { balances[asset] ?? Balance() }

    /// Adds to the free balance.
    /// - Throws: ``LedgerError`` for a negative amount or overflow.
    public mutating func credit(_ asset: String, _ amount: Money) throws(LedgerError) {
        guard !amount.isNegative else { throw .negativeAmount(asset: asset, amount: amount) }
        var balance = self.balance(asset)
        do { balance.free = try balance.free.adding(amount) } catch { throw .arithmetic(error) }
        balances[asset] = balance
    }

    /// Removes from the free balance.
    /// - Throws: ``LedgerError/insufficientBalance(asset:needed:available:)``.
    public mutating func debit(_ asset: String, _ amount: Money) throws(LedgerError) {
        guard !amount.isNegative else { throw .negativeAmount(asset: asset, amount: amount) }
        var balance = self.balance(asset)
        guard balance.free >= amount else {
            throw .insufficientBalance(asset: asset, needed: amount, available: balance.free)
        }
        balance.free -= amount
        balances[asset] = balance
    }

    /// Moves `amount` from free to locked (an order reserves it).
    public mutating func lock(_ asset: String, _ amount: Money) throws(LedgerError) {
        guard !amount.isNegative else { throw .negativeAmount(asset: asset, amount: amount) }
        var balance = self.balance(asset)
        guard balance.free >= amount else {
            throw .insufficientBalance(asset: asset, needed: amount, available: balance.free)
        }
        balance.free -= amount
        balance.locked += amount
        balances[asset] = balance
    }

    /// Moves `amount` from locked back to free (an order was cancelled).
    public mutating func unlock(_ asset: String, _ amount: Money) throws(LedgerError) {
        guard !amount.isNegative else { throw .negativeAmount(asset: asset, amount: amount) }
        var balance = self.balance(asset)
        guard balance.locked >= amount else {
            throw .insufficientLocked(asset: asset, needed: amount, locked: balance.locked)
        }
        balance.locked -= amount
        balance.free += amount
        balances[asset] = balance
    }

    /// Removes `amount` from the locked balance (a reserved order filled).
    public mutating func consumeLocked(_ asset: String, _ amount: Money) throws(LedgerError) {
        guard !amount.isNegative else { throw .negativeAmount(asset: asset, amount: amount) }
        var balance = self.balance(asset)
        guard balance.locked >= amount else {
            throw .insufficientLocked(asset: asset, needed: amount, locked: balance.locked)
        }
        balance.locked -= amount
        balances[asset] = balance
    }

    /// Books a spot fill whose cost was locked beforehand: a buy consumes `price × qty (+ fee
    /// in quote)` of locked quote and credits the base (minus a fee in base); a sell consumes
    /// locked base and credits the proceeds minus a quote fee.
    /// - Parameter lockedCost: what the order had locked for this fill's share (the buy's quote
    ///   reservation, the sell's base quantity); any excess over the actual cost returns to free.
    public mutating func settleSpotFill(_ fill: Fill, lockedCost: Money) throws(LedgerError) {
        var next = self
        let base = fill.symbol.base
        let quote = fill.symbol.quote
        let notional: Money
        do { notional = try fill.price.multiplied(by: fill.quantity) } catch { throw .arithmetic(error) }
        let quoteFee = fill.feeAsset == quote ? fill.fee : .zero
        let baseFee = fill.feeAsset == base ? fill.fee : .zero
        switch fill.side {
        case .buy:
            let cost = notional + quoteFee
            guard lockedCost >= cost else {
                throw .insufficientLocked(asset: quote, needed: cost, locked: lockedCost)
            }
            try next.consumeLocked(quote, lockedCost)
            try next.credit(quote, lockedCost - cost)
            guard fill.quantity >= baseFee else { throw .negativeAmount(asset: base, amount: fill.quantity - baseFee) }
            try next.credit(base, fill.quantity - baseFee)
        case .sell:
            try next.consumeLocked(base, lockedCost)
            try next.credit(base, lockedCost - fill.quantity)
            guard notional >= quoteFee else { throw .negativeAmount(asset: quote, amount: notional - quoteFee) }
            try next.credit(quote, notional - quoteFee)
        }
        if fill.feeAsset != quote && fill.feeAsset != base && fill.fee.isPositive {
            try next.debit(fill.feeAsset, fill.fee)
        }
        self = next
    }
}

/// A ledger operation that would break a balance.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    case insufficientBalance(asset: String, needed: Money, available: Money)
    case insufficientLocked(asset: String, needed: Money, locked: Money)
    case negativeAmount(asset: String, amount: Money)
    case arithmetic(FixedPointError)

    public var description: String {
        switch self {
        case .insufficientBalance(let asset, let needed, let available):
            return "insufficient \(asset) balance: needs \(needed), \(available) free"
        case .insufficientLocked(let asset, let needed, let locked):
            return "insufficient locked \(asset): needs \(needed), \(locked) locked"
        case .negativeAmount(let asset, let amount):
            return "amount \(amount) of \(asset) must not be negative"
        case .arithmetic(let error):
            return error.description
        }
    }
}
