import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport

/// Free and locked balance of one asset, as text pairs easy to compare with hand-computed values.
func balance(_ exchange: PaperExchange, _ asset: String) async throws -> (free: Money, locked: Money) {
    let balance = try await exchange.balances()[asset] ?? PortfolioLedger.Balance()
    return (balance.free, balance.locked)
}

/// The fills among published updates.
func fills(in updates: [ExecutionUpdate]) -> [Fill] {
    updates.compactMap { if case .fill(let fill) = $0 { return fill } else { return nil } }
}

/// The order updates among published updates.
func orderUpdates(in updates: [ExecutionUpdate]) -> [VenueOrder] {
    updates.compactMap { if case .order(let order) = $0 { return order } else { return nil } }
}

/// `decimal(text)` under a shorter name for expectation-heavy tests.
func d(_ text: String) -> FixedPoint { decimal(text) }
