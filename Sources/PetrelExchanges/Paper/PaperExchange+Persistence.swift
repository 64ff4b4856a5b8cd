import Foundation
import PetrelCore
import PetrelRuntime

extension PaperExchange {
    /// Opens a paper account kept in `store`: the saved state if there is one (a restart), else a new
    /// account with `balances`. From then on every accepted submit and cancel, and every
    /// ``checkpoint()``, saves the whole state before answering, so the account survives a crash
    /// like a real venue's would.
    /// - Parameters:
    ///   - configuration: rules, fees and options.
    ///   - balances: starting balances of a new account.
    ///   - store: where the state lives.
    ///   - account: the account's key (the bot id).
    ///   - clock: the source of acceptance and cancel times.
    /// - Throws: ``ExecutionError/fatal(_:)`` when the stored state cannot be read or decoded.
    public static func open(
        configuration: PaperExchangeConfiguration, balances: [String: Money], store: any PaperAccountStore,
        account: String, clock: any TradingClock
    ) async throws(ExecutionError) -> PaperExchange {
        let saved: [UInt8]?
        do {
            saved = try await store.load(account: account)
        } catch {
            throw .fatal("paper account \(account) could not be loaded: \(error)")
        }
        let exchange: PaperExchange
        if let saved {
            let state: PaperExchangeState
            do {
                state = try JSONDecoder().decode(PaperExchangeState.self, from: Data(saved))
            } catch {
                throw .fatal("paper account \(account) is stored but unreadable: \(error)")
            }
            exchange = PaperExchange(configuration: configuration, state: state, clock: clock)
        } else {
            exchange = PaperExchange(configuration: configuration, balances: balances, clock: clock)
        }
        await exchange.attach(store: store, account: account)
        if saved == nil { try await exchange.checkpoint() }
        return exchange
    }

    func attach(store: any PaperAccountStore, account: String) {
        persistence = (store, account)
    }

    /// Saves the whole state to the attached store (nothing without one).
    /// - Throws: ``ExecutionError/unknownOutcome(_:)`` when the save fails: the change was made in
    ///   memory but may not survive a restart, so callers must treat it like a lost answer.
    public func checkpoint() async throws(ExecutionError) {
        let pruned = state.pruneHistory(limit: configuration.historyLimit)
        guard let persistence else { return }
        if !pruned.orders.isEmpty || pruned.fills > 0 {
            stateEncoder.forget(orders: Set(pruned.orders), oldestFills: pruned.fills)
        }
        let bytes = stateEncoder.encode(state, newOrders: acceptedSinceSave)
        acceptedSinceSave.removeAll()
        do {
            try await persistence.store.save(bytes, account: persistence.account)
        } catch {
            throw .unknownOutcome("paper account \(persistence.account) was not saved: \(error)")
        }
    }

    /// The timestamp of the last quote applied for `symbol`.
    public func lastQuoteTimestamp(symbol: Symbol) -> Int64? {
        state.lastQuotes[symbol.description]?.timestamp
    }
}
