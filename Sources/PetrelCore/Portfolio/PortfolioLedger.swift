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
        balance.locked = try Self.checked { () throws(FixedPointError) in try balance.locked.adding(amount) }
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
        balance.free = try Self.checked { () throws(FixedPointError) in try balance.free.adding(amount) }
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
    /// locked base and credits the proceeds minus a quote fee. A fee in any other asset (BNB),
    /// and a sell's fee in the base asset, is charged to that asset's free balance; a negative
    /// fee (a rebate) is credited.
    /// - Parameter lockedCost: what the order had locked for this fill's share (the buy's quote
    ///   reservation, the sell's base quantity); any excess over the actual cost returns to free.
    /// - Throws: ``LedgerError``; the ledger is then unchanged.
    public mutating func settleSpotFill(_ fill: Fill, lockedCost: Money) throws(LedgerError) {
        var next = self
        let base = fill.symbol.base
        let quote = fill.symbol.quote
        let notional = try Self.checked { () throws(FixedPointError) in try fill.price.multiplied(by: fill.quantity) }
        let quoteFee = fill.feeAsset == quote ? fill.fee : .zero
        let baseFee = fill.feeAsset == base ? fill.fee : .zero
        switch fill.side {
        case .buy:
            let cost = try Self.checked { () throws(FixedPointError) in try notional.adding(quoteFee) }
            guard lockedCost >= cost else {
                throw .insufficientLocked(asset: quote, needed: cost, locked: lockedCost)
            }
            try next.consumeLocked(quote, lockedCost)
            try next.credit(quote, try Self.checked { () throws(FixedPointError) in try lockedCost.subtracting(cost) })
            let received = try Self.checked { () throws(FixedPointError) in try fill.quantity.subtracting(baseFee) }
            guard !received.isNegative else { throw .negativeAmount(asset: base, amount: received) }
            try next.credit(base, received)
        case .sell:
            guard lockedCost >= fill.quantity else {
                throw .insufficientLocked(asset: base, needed: fill.quantity, locked: lockedCost)
            }
            try next.consumeLocked(base, lockedCost)
            try next.credit(base, lockedCost - fill.quantity)
            try next.charge(base, baseFee)
            let proceeds = try Self.checked { () throws(FixedPointError) in try notional.subtracting(quoteFee) }
            guard !proceeds.isNegative else { throw .negativeAmount(asset: quote, amount: proceeds) }
            try next.credit(quote, proceeds)
        }
        if fill.feeAsset != quote && fill.feeAsset != base {
            try next.charge(fill.feeAsset, fill.fee)
        }
        self = next
    }

    /// Debits a fee from the free balance, or credits it when negative (a rebate).
    private mutating func charge(_ asset: String, _ fee: Money) throws(LedgerError) {
        if fee.isPositive {
            try debit(asset, fee)
        } else if fee.isNegative {
            try credit(asset, try Self.checked { () throws(FixedPointError) in try Money.zero.subtracting(fee) })
        }
    }

    /// Runs exact arithmetic, reporting overflow as ``LedgerError/arithmetic(_:)``.
    private static func checked(_ operation: () throws(FixedPointError) -> Money) throws(LedgerError) -> Money {
        do {
            return try operation()
        } catch {
            throw .arithmetic(error)
        }
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
