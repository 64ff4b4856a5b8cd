import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

/// OKX orders against the local fake: spot and swap orders by clOrdId, contracts ↔ base quantities,
/// net and long/short position modes, leverage, per-item sCode rejections, cancels, fills, positions,
/// lost answers and the polled update stream.
@Suite("OKX execution client")
struct OKXExecutionTests {
    static let btc = try! Symbol(base: "BTC", quote: "USDT")
    static let btcSwap = try! Symbol(base: "BTC", quote: "USDT", kind: .perpetual)

    static func venue() -> FakeOKX {
        let fake = FakeOKX()
        var spot = FakeOKX.Instrument(id: "BTC-USDT", type: "SPOT", base: "BTC")
        spot.last = "100.0"
        spot.bid = "99.9"
        spot.ask = "100.1"
        spot.tickSize = "0.1"
        spot.lotSize = "0.0001"
        spot.minSize = "0.001"
        var swap = FakeOKX.Instrument(id: "BTC-USDT-SWAP", type: "SWAP", base: "BTC")
        swap.last = "100.0"
        swap.bid = "99.9"
        swap.ask = "100.1"
        swap.contractValue = "0.01"
        swap.lotSize = "1"
        swap.minSize = "1"
        fake.list([spot, swap])
        fake.setBalances(["USDT": ("1000", "0"), "BTC": ("0.5", "0")])
        return fake
    }

    static func execution(
        _ url: String, _ fake: FakeOKX, timeout: Int64 = 30, marginMode: OKXExecutionClient.MarginMode = .cross,
        leverage: Int? = nil
    ) -> OKXExecutionClient {
        OKXExecutionClient(
            client: OKXClient(
                baseURL: url,
                credentials: OKXCredentials(apiKey: fake.apiKey, secret: fake.secret, passphrase: fake.passphrase),
                http: VenueHTTP(timeoutSeconds: timeout)),
            pollInterval: .milliseconds(100), marginMode: marginMode, leverage: leverage)
    }

    static func order(
        _ sequence: UInt64, bot: String = "okx1", _ symbol: Symbol = btc, _ side: OrderSide = .buy,
        _ type: OrderType = .market, quantity: String = "0.1", price: String? = nil, reduceOnly: Bool = false
    ) throws -> Order {
        try Order(
            clientOrderID: ClientOrderID(botID: bot, sequence: sequence), symbol: symbol, side: side, type: type,
            quantity: FixedPoint(quantity)!, price: price.map { FixedPoint($0)! }, reduceOnly: reduceOnly,
            createdAt: 0)
    }

    @Test("clOrdIds: letters and digits as they are, '_' '-' 'Z' escaped and read back, too long refused")
    func clientOrderIDs() throws {
        let plain = try ClientOrderID("abc123x1")
        #expect(try OKXOrderID.encode(plain) == "abc123x1")
        let odd = try ClientOrderID("my_bot-Zx1")
        let encoded = try OKXOrderID.encode(odd)
        #expect(encoded == "myZubotZdZZx1")
        #expect(OKXOrderID.decode(encoded) == odd)
        #expect(OKXOrderID.decode("abcZq") == nil && OKXOrderID.decode("abcZ") == nil && OKXOrderID.decode("") == nil)
        let long = try ClientOrderID(String(repeating: "_", count: 17))
        #expect(throws: ExecutionError.self) { try OKXOrderID.encode(long) }
    }

    @Test("a spot market buy is sized in BTC, fills at the ask, once; the same id again makes no second order")
    func spotMarketBuy() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(1, bot: "my_bot")
            let placed = try await venue.submit(order)
            #expect(placed.status == .filled && placed.filledQuantity == FixedPoint("0.1")!)
            #expect(placed.averageFillPrice == FixedPoint("100.1")! && placed.clientOrderID == order.clientOrderID)
            #expect(fake.order(clientID: "myZubotx1")?.size == "0.1")
            // The order request carries a deadline 4 s after its timestamp (`expTime`).
            let post = try #require(fake.requests.first { $0.path == "/api/v5/trade/order" })
            let signedAt = try #require(post.headers["ok-access-timestamp"].flatMap(FakeOKX.parseMilliseconds))
            #expect(post.headers["exptime"] == String(signedAt + 4_000))
            // The update poll's window (recent) reads /trade/fills; an old one reads the history.
            _ = try await venue.fills(symbol: Self.btc, since: Int64(Date().timeIntervalSince1970 * 1_000) - 60_000)
            #expect(fake.requests.last?.path == "/api/v5/trade/fills")
            let fills = try await venue.fills(symbol: Self.btc, since: 0)
            #expect(fills.count == 1)
            #expect(fills.first?.clientOrderID == order.clientOrderID && fills.first?.liquidity == .taker)
            // OKX reports the fee negative; Petrel's is what was charged: 0.1 % of 0.1 BTC.
            #expect(fills.first?.fee == FixedPoint("0.0001")! && fills.first?.feeAsset == "BTC")
            #expect(fake.balance("USDT").available == FixedPoint("989.99")!)
            let again = try await venue.submit(order)
            #expect(again.status == .filled && again.venueOrderID == placed.venueOrderID)
            #expect(fake.orders(clientID: "myZubotx1") == 1)
            // A fresh client (after a restart) finds the order by the Petrel id.
            let found = try await Self.execution(url, fake).order(order.clientOrderID, symbol: Self.btc)
            #expect(found?.status == .filled && found?.clientOrderID == order.clientOrderID)
            #expect(try await venue.order(ClientOrderID(botID: "my_bot", sequence: 9), symbol: Self.btc) == nil)
        }
    }

    @Test("a resting limit is listed open, cancelled once; a second cancel answers with the cancelled order")
    func limitAndCancel() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(2, Self.btc, .buy, .limit, quantity: "0.2", price: "95.0")
            let placed = try await venue.submit(order)
            #expect(placed.status == .accepted && placed.price == FixedPoint("95")!)
            #expect(fake.balance("USDT").frozen == FixedPoint("19")!)
            let open = try await venue.openOrders(symbol: nil)
            #expect(open.map(\.clientOrderID) == [order.clientOrderID])
            let cancelled = try await venue.cancel(order.clientOrderID, symbol: Self.btc)
            #expect(cancelled.status == .cancelled && fake.balance("USDT").frozen == .zero)
            let twice = try await venue.cancel(order.clientOrderID, symbol: Self.btc)
            #expect(twice.status == .cancelled)
            #expect(try await venue.openOrders(symbol: Self.btc).isEmpty)
        }
    }

    @Test("OKX's per-item sCode rejects with its code and words: short of balance, lot size")
    func rejections() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let short = try Self.order(3, quantity: "50")
            let expensive = await executionFailure { _ = try await venue.submit(short) }
            #expect(expensive?.rejection?.contains("51008") == true, "\(String(describing: expensive))")
            #expect(expensive?.rejection?.contains("Insufficient USDT") == true)
            let odd = try Self.order(4, Self.btc, .sell, quantity: "0.00015")
            let lot = await executionFailure { _ = try await venue.submit(odd) }
            #expect(lot?.rejection?.contains("51121") == true, "\(String(describing: lot))")
            #expect(fake.orderCount == 0)
        }
    }

    @Test("swaps in net mode: leverage set once, base quantity sent as contracts, reduce-only exit closes it")
    func swapNetMode() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake, leverage: 5)
            let entry = try await venue.submit(try Self.order(5, Self.btcSwap, quantity: "0.05"))
            #expect(entry.status == .filled && entry.filledQuantity == FixedPoint("0.05")!)
            #expect(fake.order(clientID: "okx1x5")?.size == "5" && fake.order(clientID: "okx1x5")?.tdMode == "cross")
            #expect(fake.leverage("BTC-USDT-SWAP") == "5")
            #expect(fake.position("BTC-USDT-SWAP") == FixedPoint("5")!)
            #expect(try await venue.positions() == [Self.btcSwap: FixedPoint("0.05")!])
            let fills = try await venue.fills(symbol: Self.btcSwap, since: 0)
            #expect(fills.map(\.quantity) == [FixedPoint("0.05")!] && fills.first?.feeAsset == "USDT")
            // 0.05 BTC × 100.1 × 0.05 % fee.
            #expect(fills.first?.fee == FixedPoint("0.0025025")!)
            _ = try await venue.submit(try Self.order(6, Self.btcSwap, .sell, quantity: "0.05", reduceOnly: true))
            #expect(fake.position("BTC-USDT-SWAP") == .zero)
            #expect(try await venue.positions().isEmpty)
            let setLeverage = fake.requests.filter { $0.path == "/api/v5/account/set-leverage" }
            #expect(setLeverage.count == 1)
            // Not a whole number of contracts: refused before anything is sent.
            let sent = fake.requests.count
            await #expect(throws: ExecutionError.self) {
                _ = try await venue.submit(try Self.order(7, Self.btcSwap, quantity: "0.015"))
            }
            #expect(fake.requests.count == sent)
            // Nothing left to reduce: OKX's 51169.
            let nothing = try Self.order(8, Self.btcSwap, .sell, quantity: "0.01", reduceOnly: true)
            let refused = await executionFailure { _ = try await venue.submit(nothing) }
            #expect(refused?.rejection?.contains("51169") == true, "\(String(describing: refused))")
        }
    }

    @Test("swaps in long/short mode: entries open longs, reduce-only exits close them; isolated leverage per side")
    func swapLongShortMode() async throws {
        let fake = Self.venue()
        fake.setPositionMode("long_short_mode")
        try await fake.run { url in
            let venue = Self.execution(url, fake, marginMode: .isolated, leverage: 3)
            _ = try await venue.submit(try Self.order(1, Self.btcSwap, quantity: "0.1"))
            #expect(fake.order(clientID: "okx1x1")?.posSide == "long")
            #expect(fake.order(clientID: "okx1x1")?.tdMode == "isolated")
            #expect(fake.leverage("BTC-USDT-SWAP", mode: "isolated", side: "long") == "3")
            #expect(fake.leverage("BTC-USDT-SWAP", mode: "isolated", side: "short") == "3")
            #expect(fake.position("BTC-USDT-SWAP", side: "long") == FixedPoint("10")!)
            _ = try await venue.submit(try Self.order(2, Self.btcSwap, .sell, quantity: "0.04", reduceOnly: true))
            #expect(fake.order(clientID: "okx1x2")?.posSide == "long")
            #expect(fake.position("BTC-USDT-SWAP", side: "long") == FixedPoint("6")!)
            _ = try await venue.submit(try Self.order(3, Self.btcSwap, .sell, quantity: "0.02"))
            #expect(fake.order(clientID: "okx1x3")?.posSide == "short")
            #expect(
                try await venue.positions() == [Self.btcSwap: FixedPoint("0.04")!],
                "0.06 long and 0.02 short net to 0.04")
        }
    }

    @Test("an order accepted but answered too late is an unknown outcome; its id finds it; no second order")
    func acceptedThenTimedOut() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake, timeout: 1)
            let order = try Self.order(9)
            _ = try await Self.execution(url, fake).instrumentRules(Self.btc)
            fake.inject(.slowAfterAccepting(milliseconds: 3_000), path: "/api/v5/trade/order")
            var outcome: ExecutionError?
            for _ in 0..<5 {
                do {
                    _ = try await venue.submit(order)
                } catch ExecutionError.retryable(let why) where !why.contains("trade/order") {
                    // On a loaded machine a read before the order (clock, instrument) can outlast one second.
                    continue
                } catch {
                    outcome = error as? ExecutionError
                }
                break
            }
            guard case .unknownOutcome? = outcome else {
                Issue.record("expected an unknown outcome, got \(String(describing: outcome))")
                return
            }
            let patient = Self.execution(url, fake)
            let found = try #require(try await patient.order(order.clientOrderID, symbol: Self.btc))
            #expect(found.status == .filled)
            let again = try await patient.submit(order)
            #expect(again.venueOrderID == found.venueOrderID)
            #expect(fake.orders(clientID: "okx1x9") == 1)
        }
    }

    @Test("5xx on an order is an unknown outcome, on a read retryable; malformed JSON is retryable")
    func serverFaults() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            _ = try await venue.balances()
            fake.inject(.serverError, path: "/api/v5/trade/order")
            let order = try Self.order(10)
            let lost = await executionFailure { _ = try await venue.submit(order) }
            guard case .unknownOutcome(let why)? = lost, why.contains("503") else {
                Issue.record("a 503 on an order is an unknown outcome, got \(String(describing: lost))")
                return
            }
            #expect(try await venue.order(try ClientOrderID(botID: "okx1", sequence: 10), symbol: Self.btc) == nil)
            fake.inject(.serverError, path: "/api/v5/trade/orders-pending")
            let read = await executionFailure { _ = try await venue.openOrders(symbol: Self.btc) }
            guard case .retryable(let readWhy)? = read, readWhy.contains("503") else {
                Issue.record("a 503 on a read is retryable, got \(String(describing: read))")
                return
            }
            fake.inject(.malformed, path: "/api/v5/trade/fills-history")
            let malformed = await executionFailure { _ = try await venue.fills(symbol: Self.btc, since: 0) }
            guard case .retryable(let malformedWhy)? = malformed, malformedWhy.contains("envelope") else {
                Issue.record("malformed JSON is retryable, got \(String(describing: malformed))")
                return
            }
        }
    }

    @Test("updates: a resting order that the market crosses is reported filled, and its fill, once each")
    func updates() async throws {
        let fake = Self.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try Self.order(11, Self.btc, .sell, .limit, quantity: "0.2", price: "101.0")
            _ = try await venue.submit(order)
            let seen = Seen()
            let reader = Task {
                for await update in venue.updates() { seen.add(update) }
            }
            defer { reader.cancel() }
            fake.setPrice("BTC-USDT", bid: "101.2", ask: "101.3", last: "101.2")
            let deadline = ContinuousClock.now + .seconds(20)
            while seen.fills.isEmpty || seen.finalStates.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            // A few more polls must not repeat either.
            try await Task.sleep(for: .milliseconds(500))
            #expect(seen.fills.count == 1 && seen.fills.first?.liquidity == .maker)
            #expect(seen.fills.first?.price == FixedPoint("101")! && seen.fills.first?.quantity == FixedPoint("0.2")!)
            #expect(seen.finalStates == [order.clientOrderID])
        }
    }

    final class Seen: Sendable {
        let state = Mutex<[ExecutionUpdate]>([])
        func add(_ update: ExecutionUpdate) { state.withLock { $0.append(update) } }
        var fills: [Fill] {
            state.withLock { $0 }.compactMap {
                if case .fill(let fill) = $0 { return fill }
                return nil
            }
        }
        var finalStates: [ClientOrderID] {
            state.withLock { $0 }.compactMap {
                if case .order(let order) = $0, order.status == .filled { return order.clientOrderID }
                return nil
            }
        }
    }
}

extension ExecutionError {
    /// The reason of a rejection (`nil` for other errors).
    var rejection: String? {
        if case .rejected(let why) = self { return why }
        return nil
    }
}
