import Foundation
import PetrelPersistence
import PetrelRuntime
import Synchronization
import Testing

/// Which implementation of the storage ports a contract test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The in-memory reference implementations of PetrelRuntime.
    case memory
    /// The FluentKit repositories on a real SQLite file.
    case sqlite

    var testDescription: String { rawValue }
}

/// One backend's stores, as the runtime would get them.
struct Stores: Sendable {
    let bots: any BotRepository
    let journal: any BotJournal
    let equity: any EquityStore
    let prices: any PriceSnapshotStore
    let paperAccounts: any PaperAccountStore
    let orderStore: @Sendable (String) -> any OrderStore
    let tradeHistory: @Sendable (String) -> any TradeHistoryStore
    let tradingPairs: any TradingPairStore
    let portfolioSettings: any PortfolioSettingsStore
}

/// The in-memory per-bot stores, kept so that asking twice for one bot gives the same store.
private final class InMemoryRegistry: Sendable {
    private let orders = Mutex<[String: InMemoryOrderStore]>([:])
    private let histories = Mutex<[String: InMemoryTradeHistoryStore]>([:])

    func orderStore(_ bot: String) -> InMemoryOrderStore {
        orders.withLock { stores in
            if let store = stores[bot] { return store }
            let store = InMemoryOrderStore()
            stores[bot] = store
            return store
        }
    }

    func tradeHistory(_ bot: String) -> InMemoryTradeHistoryStore {
        histories.withLock { stores in
            if let store = stores[bot] { return store }
            let store = InMemoryTradeHistoryStore()
            stores[bot] = store
            return store
        }
    }
}

extension Backend {
    /// Runs `body` with fresh stores of this backend; the SQLite file is closed and deleted afterwards.
    func withStores<Result>(_ body: (Stores) async throws -> Result) async throws -> Result {
        switch self {
        case .memory:
            let journal = InMemoryBotJournal()
            let equity = InMemoryEquityStore()
            let registry = InMemoryRegistry()
            return try await body(
                Stores(
                    bots: InMemoryBotRepository(journal: journal, equity: equity), journal: journal, equity: equity,
                    prices: InMemoryPriceSnapshotStore(), paperAccounts: InMemoryPaperAccountStore(),
                    orderStore: { registry.orderStore($0) }, tradeHistory: { registry.tradeHistory($0) },
                    tradingPairs: InMemoryTradingPairStore(), portfolioSettings: InMemoryPortfolioSettingsStore()))
        case .sqlite:
            return try await withDatabaseFile { database, _ in
                try await body(database.stores)
            }
        }
    }
}

extension PetrelDatabase {
    /// The database's repositories as ``Stores``.
    var stores: Stores {
        Stores(
            bots: bots, journal: journal, equity: equity, prices: priceSnapshots, paperAccounts: paperAccounts,
            orderStore: { self.orderStore(bot: $0) }, tradeHistory: { self.tradeHistory(bot: $0) },
            tradingPairs: tradingPairs, portfolioSettings: portfolioSettings)
    }
}
