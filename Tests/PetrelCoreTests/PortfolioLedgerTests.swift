import Foundation
import PetrelCore
import Testing

@Suite("Portfolio ledger: free and locked balances and spot settlement")
struct PortfolioLedgerTests {
    static let symbol = try! Symbol(parsing: "BTC/USDT")

    static func fill(
        _ side: OrderSide, _ quantity: String, at price: String, fee: String, in feeAsset: String
    ) -> Fill {
        Fill(
            tradeID: "t1", clientOrderID: ClientOrderID(botID: "bot", sequence: 1), symbol: symbol, side: side,
            price: dec(price), quantity: dec(quantity), fee: dec(fee), feeAsset: feeAsset, liquidity: .taker,
            timestamp: 1)
    }

    static func balance(_ free: String, locked: String = "0") -> PortfolioLedger.Balance {
        PortfolioLedger.Balance(free: dec(free), locked: dec(locked))
    }

    // MARK: Single operations

    @Test("credits and debits the free balance exactly; unseen assets are zero")
    func creditAndDebit() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("1000")])
        #expect(ledger.balance("USDT") == Self.balance("1000"))
        #expect(ledger.balance("ETH") == PortfolioLedger.Balance())
        try ledger.credit("USDT", dec("0.5"))
        try ledger.debit("USDT", dec("250.5"))
        #expect(ledger.balance("USDT") == Self.balance("750"))
        try ledger.credit("ETH", dec("0.00000001"))
        #expect(ledger.balance("ETH").free == .ulp)
        try ledger.debit("USDT", dec("750"))
        #expect(ledger.balance("USDT") == Self.balance("0"))
    }

    @Test("a debit or lock larger than the free balance is refused and leaves the ledger unchanged")
    func insufficientBalance() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("750")])
        try ledger.lock("USDT", dec("100"))
        let before = ledger
        let expected = LedgerError.insufficientBalance(asset: "USDT", needed: dec("650.01"), available: dec("650"))
        #expect(throws: expected) { try ledger.debit("USDT", dec("650.01")) }
        #expect(throws: expected) { try ledger.lock("USDT", dec("650.01")) }
        #expect(throws: LedgerError.insufficientBalance(asset: "ETH", needed: dec("1"), available: .zero)) {
            try ledger.debit("ETH", dec("1"))
        }
        #expect(ledger == before)
        #expect(expected.description == "insufficient USDT balance: needs 650.01, 650 free")
    }

    @Test("every operation refuses a negative amount and changes nothing")
    func negativeAmounts() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10")])
        try ledger.lock("USDT", dec("5"))
        let before = ledger
        let expected = LedgerError.negativeAmount(asset: "USDT", amount: dec("-1"))
        #expect(throws: expected) { try ledger.credit("USDT", dec("-1")) }
        #expect(throws: expected) { try ledger.debit("USDT", dec("-1")) }
        #expect(throws: expected) { try ledger.lock("USDT", dec("-1")) }
        #expect(throws: expected) { try ledger.unlock("USDT", dec("-1")) }
        #expect(throws: expected) { try ledger.consumeLocked("USDT", dec("-1")) }
        #expect(ledger == before)
        #expect(expected.description == "amount -1 of USDT must not be negative")
    }

    @Test("locking reserves, unlocking returns and consuming spends locked funds")
    func lockUnlockConsume() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("1000")])
        try ledger.lock("USDT", dec("500"))
        #expect(ledger.balance("USDT") == Self.balance("500", locked: "500"))
        #expect(ledger.balance("USDT").total == dec("1000"))
        try ledger.unlock("USDT", dec("200"))
        #expect(ledger.balance("USDT") == Self.balance("700", locked: "300"))
        try ledger.consumeLocked("USDT", dec("300"))
        #expect(ledger.balance("USDT") == Self.balance("700", locked: "0"))
        #expect(ledger.balance("USDT").total == dec("700"))
    }

    @Test("unlocking or consuming more than is locked is refused and changes nothing")
    func insufficientLocked() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("1000")])
        try ledger.lock("USDT", dec("300"))
        let before = ledger
        let expected = LedgerError.insufficientLocked(asset: "USDT", needed: dec("300.5"), locked: dec("300"))
        #expect(throws: expected) { try ledger.unlock("USDT", dec("300.5")) }
        #expect(throws: expected) { try ledger.consumeLocked("USDT", dec("300.5")) }
        #expect(ledger == before)
        #expect(expected.description == "insufficient locked USDT: needs 300.5, 300 locked")
    }

    @Test("a credit, lock or unlock past the representable range is reported, not a crash, and changes nothing")
    func overflowIsReported() throws {
        var ledger = PortfolioLedger(balances: ["PEPE": .max])
        let full = ledger
        #expect(throws: LedgerError.arithmetic(.overflow("92233720368.54775807 + 0.00000001"))) {
            try ledger.credit("PEPE", .ulp)
        }
        #expect(ledger == full)

        // free = max − 1 ulp, locked = 1 ulp, then free back to max: unlocking would pass max.
        try ledger.lock("PEPE", .ulp)
        try ledger.credit("PEPE", .ulp)
        let before = ledger
        let unlockError = #expect(throws: LedgerError.self) { try ledger.unlock("PEPE", .ulp) }
        #expect(unlockError == .arithmetic(.overflow("92233720368.54775807 + 0.00000001")))
        #expect(ledger == before)

        // locked = max, then one more ulp of free: locking it would pass max.
        var locked = PortfolioLedger(balances: ["PEPE": .max])
        try locked.lock("PEPE", .max)
        try locked.credit("PEPE", .ulp)
        let lockedBefore = locked
        let lockError = #expect(throws: LedgerError.self) { try locked.lock("PEPE", .ulp) }
        #expect(lockError == .arithmetic(.overflow("92233720368.54775807 + 0.00000001")))
        #expect(locked == lockedBefore)
    }

    // MARK: Spot buys

    @Test("a buy with a quote fee spends price × quantity + fee from the lock and returns the excess")
    func buyWithQuoteFee() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000")])
        try ledger.lock("USDT", dec("5010"))
        try ledger.settleSpotFill(Self.fill(.buy, "0.1", at: "50000", fee: "5", in: "USDT"), lockedCost: dec("5010"))
        #expect(ledger.balance("USDT") == Self.balance("4995"))
        #expect(ledger.balance("BTC") == Self.balance("0.1"))
    }

    @Test("a buy with a base fee receives the quantity minus the fee")
    func buyWithBaseFee() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000")])
        try ledger.lock("USDT", dec("5000"))
        try ledger.settleSpotFill(
            Self.fill(.buy, "0.1", at: "50000", fee: "0.0001", in: "BTC"), lockedCost: dec("5000"))
        #expect(ledger.balance("USDT") == Self.balance("5000"))
        #expect(ledger.balance("BTC") == Self.balance("0.0999"))
    }

    @Test("a buy with a fee in a third asset (BNB) debits that asset")
    func buyWithThirdAssetFee() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000"), "BNB": dec("1")])
        try ledger.lock("USDT", dec("5000"))
        try ledger.settleSpotFill(
            Self.fill(.buy, "0.1", at: "50000", fee: "0.0075", in: "BNB"), lockedCost: dec("5000"))
        #expect(ledger.balance("USDT") == Self.balance("5000"))
        #expect(ledger.balance("BTC") == Self.balance("0.1"))
        #expect(ledger.balance("BNB") == Self.balance("0.9925"))
    }

    @Test("a rebate (negative fee) is credited, whichever asset it is paid in")
    func rebatesAreCredited() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000"), "BTC": dec("1")])
        try ledger.lock("USDT", dec("5000"))
        try ledger.settleSpotFill(
            Self.fill(.buy, "0.1", at: "50000", fee: "-0.001", in: "BNB"), lockedCost: dec("5000"))
        #expect(ledger.balance("BNB") == Self.balance("0.001"))
        try ledger.lock("USDT", dec("5000"))
        try ledger.settleSpotFill(Self.fill(.buy, "0.1", at: "50000", fee: "-0.5", in: "USDT"), lockedCost: dec("5000"))
        #expect(ledger.balance("USDT") == Self.balance("0.5"))
        try ledger.lock("BTC", dec("0.2"))
        try ledger.settleSpotFill(
            Self.fill(.sell, "0.2", at: "50000", fee: "-0.0001", in: "BTC"), lockedCost: dec("0.2"))
        #expect(ledger.balance("BTC") == Self.balance("1.0001"))
        #expect(ledger.balance("USDT") == Self.balance("10000.5"))
    }

    @Test("a buy whose third-asset fee cannot be paid is refused and changes nothing")
    func buyWithUnpayableThirdAssetFee() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000"), "BNB": dec("0.001")])
        try ledger.lock("USDT", dec("5000"))
        let before = ledger
        #expect(throws: LedgerError.insufficientBalance(asset: "BNB", needed: dec("0.0075"), available: dec("0.001"))) {
            try ledger.settleSpotFill(
                Self.fill(.buy, "0.1", at: "50000", fee: "0.0075", in: "BNB"), lockedCost: dec("5000"))
        }
        #expect(ledger == before)
    }

    @Test("a buy that costs more than its reservation is refused and changes nothing")
    func buyBeyondReservation() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("10000")])
        try ledger.lock("USDT", dec("5000"))
        let before = ledger
        #expect(throws: LedgerError.insufficientLocked(asset: "USDT", needed: dec("5005"), locked: dec("5000"))) {
            try ledger.settleSpotFill(
                Self.fill(.buy, "0.1", at: "50000", fee: "5", in: "USDT"), lockedCost: dec("5000"))
        }
        // Claiming a reservation the ledger does not hold is refused too.
        #expect(throws: LedgerError.insufficientLocked(asset: "USDT", needed: dec("6000"), locked: dec("5000"))) {
            try ledger.settleSpotFill(
                Self.fill(.buy, "0.1", at: "50000", fee: "5", in: "USDT"), lockedCost: dec("6000"))
        }
        #expect(ledger == before)
    }

    // MARK: Spot sells

    @Test("a sell with a quote fee spends the locked base and receives the proceeds minus the fee")
    func sellWithQuoteFee() throws {
        var ledger = PortfolioLedger(balances: ["BTC": dec("1")])
        try ledger.lock("BTC", dec("0.5"))
        try ledger.settleSpotFill(Self.fill(.sell, "0.5", at: "50000", fee: "25", in: "USDT"), lockedCost: dec("0.5"))
        #expect(ledger.balance("BTC") == Self.balance("0.5"))
        #expect(ledger.balance("USDT") == Self.balance("24975"))
    }

    @Test("a sell with a base fee pays the fee in the base asset")
    func sellWithBaseFee() throws {
        var ledger = PortfolioLedger(balances: ["BTC": dec("1")])
        try ledger.lock("BTC", dec("0.5"))
        try ledger.settleSpotFill(
            Self.fill(.sell, "0.5", at: "50000", fee: "0.0005", in: "BTC"), lockedCost: dec("0.5"))
        #expect(ledger.balance("BTC") == Self.balance("0.4995"))
        #expect(ledger.balance("USDT") == Self.balance("25000"))
        #expect(ledger.balance("BTC").total + dec("0.5") + dec("0.0005") == dec("1"))
    }

    @Test("a sell with a fee in a third asset (BNB) debits that asset")
    func sellWithThirdAssetFee() throws {
        var ledger = PortfolioLedger(balances: ["BTC": dec("0.5"), "BNB": dec("0.1")])
        try ledger.lock("BTC", dec("0.5"))
        try ledger.settleSpotFill(Self.fill(.sell, "0.5", at: "50000", fee: "0.01", in: "BNB"), lockedCost: dec("0.5"))
        #expect(ledger.balance("BTC") == Self.balance("0"))
        #expect(ledger.balance("USDT") == Self.balance("25000"))
        #expect(ledger.balance("BNB") == Self.balance("0.09"))
    }

    @Test("a sell that locked more than it filled returns the excess base to free")
    func sellReturnsExcessLock() throws {
        var ledger = PortfolioLedger(balances: ["BTC": dec("1")])
        try ledger.lock("BTC", dec("0.6"))
        try ledger.settleSpotFill(Self.fill(.sell, "0.5", at: "50000", fee: "25", in: "USDT"), lockedCost: dec("0.6"))
        #expect(ledger.balance("BTC") == Self.balance("0.5"))
        #expect(ledger.balance("USDT") == Self.balance("24975"))
    }

    @Test("a sell larger than its reservation is refused as insufficient locked base and changes nothing")
    func sellBeyondReservation() throws {
        var ledger = PortfolioLedger(balances: ["BTC": dec("1")])
        try ledger.lock("BTC", dec("0.4"))
        let before = ledger
        #expect(throws: LedgerError.insufficientLocked(asset: "BTC", needed: dec("0.5"), locked: dec("0.4"))) {
            try ledger.settleSpotFill(
                Self.fill(.sell, "0.5", at: "50000", fee: "25", in: "USDT"), lockedCost: dec("0.4"))
        }
        #expect(ledger == before)
    }

    @Test("a fill whose value overflows is reported and changes nothing")
    func overflowingFill() throws {
        var ledger = PortfolioLedger(balances: ["USDT": .max])
        try ledger.lock("USDT", dec("1000"))
        let before = ledger
        let error = #expect(throws: LedgerError.self) {
            try ledger.settleSpotFill(
                Self.fill(.buy, "2", at: "92233720368", fee: "0", in: "USDT"), lockedCost: dec("1000"))
        }
        #expect(error == .arithmetic(.overflow("92233720368 × 2")))
        #expect(ledger == before)
    }

    @Test("round-trips through JSON")
    func jsonRoundTrip() throws {
        var ledger = PortfolioLedger(balances: ["USDT": dec("1000.1"), "BTC": dec("0.5")])
        try ledger.lock("BTC", dec("0.25"))
        let decoded = try JSONDecoder().decode(PortfolioLedger.self, from: JSONEncoder().encode(ledger))
        #expect(decoded == ledger)
    }
}
