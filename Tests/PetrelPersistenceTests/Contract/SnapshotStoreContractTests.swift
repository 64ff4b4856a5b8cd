import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The equity, price-snapshot and paper-account contracts, run against the in-memory stores and SQLite alike.
@Suite("Snapshot store contracts")
struct SnapshotStoreContractTests {
    typealias S = Samples

    @Test(
        "equity snapshots come in time order: the newest when no start is given, else from the start",
        arguments: Backend.allCases)
    func equityWindows(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let equity = stores.equity
            let series = (0..<6).map { S.equity("b1", minute: Int64($0), equity: "\(10_000 + $0)") }
            try await equity.append(Array(series.suffix(3)))
            try await equity.append(Array(series.prefix(3)))
            try await equity.append([S.equity("b2", minute: 0)])
            #expect(try await equity.snapshots(bot: "b1", from: nil, limit: 100) == series)
            #expect(try await equity.snapshots(bot: "b1", from: nil, limit: 2) == Array(series.suffix(2)))
            #expect(
                try await equity.snapshots(bot: "b1", from: series[2].timestamp, limit: 2) == Array(series[2...3]))
            #expect(try await equity.snapshots(bot: "b1", from: series[5].timestamp + 1, limit: 9).isEmpty)
            #expect(try await equity.snapshots(bot: "b1", from: nil, limit: 0).isEmpty)
            #expect(try await equity.snapshots(bot: "b1", from: 0, limit: -2).isEmpty)
            #expect(try await equity.snapshots(bot: "b2", from: nil, limit: 9).count == 1)
            #expect(try await equity.snapshots(bot: "b3", from: nil, limit: 9).isEmpty)
        }
    }

    @Test(
        "an equity snapshot for a stored bot and time replaces it, also within one call",
        arguments: Backend.allCases)
    func equityReplaces(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let equity = stores.equity
            try await equity.append([S.equity("b1", minute: 1, equity: "1"), S.equity("b1", minute: 2)])
            try await equity.append([
                S.equity("b1", minute: 1, equity: "2", drawdown: 0.5), S.equity("b1", minute: 1, equity: "3"),
            ])
            #expect(
                try await equity.snapshots(bot: "b1", from: nil, limit: 10) == [
                    S.equity("b1", minute: 1, equity: "3"), S.equity("b1", minute: 2),
                ])
        }
    }

    @Test("price snapshots: a symbol's newest by time, oldest first", arguments: Backend.allCases)
    func prices(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let prices = stores.prices
            try await prices.append([
                S.price(S.btc, "100", second: 1), S.price(S.eth, "5", second: 1), S.price(S.btc, "102", second: 3),
            ])
            // A late snapshot sorts by its time, not by when it arrived.
            try await prices.append([S.price(S.btc, "101", second: 2), S.price(S.btc, "103", second: 4)])
            #expect(
                try await prices.recent(symbol: S.btc, limit: 3) == [
                    S.price(S.btc, "101", second: 2), S.price(S.btc, "102", second: 3),
                    S.price(S.btc, "103", second: 4),
                ])
            #expect(try await prices.recent(symbol: S.btc, limit: 100).count == 4)
            #expect(try await prices.recent(symbol: S.eth, limit: 100) == [S.price(S.eth, "5", second: 1)])
            #expect(try await prices.recent(symbol: S.symbol("SOL/USDT"), limit: 5).isEmpty)
            #expect(try await prices.recent(symbol: S.btc, limit: 0).isEmpty)
            #expect(try await prices.recent(symbol: S.btc, limit: -1).isEmpty)
        }
    }

    @Test("a paper account's state is stored byte for byte and replaced on save", arguments: Backend.allCases)
    func paperAccounts(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let accounts = stores.paperAccounts
            #expect(try await accounts.load(account: "paper-1") == nil)
            let binary: [UInt8] = [0, 255, 0xC3, 0x28, 10, 0, 7]
            try await accounts.save(binary, account: "paper-1")
            try await accounts.save(Array(#"{"balances":{"USDT":"10000"}}"#.utf8), account: "paper-2")
            #expect(try await accounts.load(account: "paper-1") == binary)
            try await accounts.save([], account: "paper-1")
            #expect(try await accounts.load(account: "paper-1") == [])
            #expect(try await accounts.load(account: "paper-2") == Array(#"{"balances":{"USDT":"10000"}}"#.utf8))
        }
    }
}
