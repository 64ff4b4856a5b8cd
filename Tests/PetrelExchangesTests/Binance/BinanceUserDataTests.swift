import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

/// Order updates through the WebSocket API's user-data subscription against the fake venue: events arrive
/// without waiting for a REST poll, a cancel is named by its order's id, a drop is recovered by a REST pass
/// after the new subscription, and a refused subscription ends with the venue's reason.
@Suite("Binance user data")
struct BinanceUserDataTests {
    static let btc = BinanceExecutionTests.btc

    /// A client whose REST polls are a minute apart: what arrives sooner came through the subscription
    /// (or the REST pass that follows each subscription).
    static func execution(_ url: String, _ fake: FakeBinance, secret: String? = nil) -> BinanceExecutionClient {
        BinanceExecutionClient(
            client: BinanceClient(
                baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: secret ?? fake.secret),
                http: VenueHTTP(timeoutSeconds: 30)),
            pollInterval: .seconds(60),
            userDataURL: url.replacingOccurrences(of: "http://", with: "ws://") + "/ws-api/v3",
            safetyPollInterval: .seconds(60))
    }

    /// Waits until `fake` has `count` subscriptions open (at most about 30 s).
    static func subscribed(_ fake: FakeBinance, made: Int) async -> Bool {
        for _ in 0..<3_000 {
            let now = fake.userStreamSubscriptions
            if now.made >= made, now.open >= 1 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Waits until `log` holds an update matching `match` (at most about 30 s).
    static func waitFor(_ log: UpdateLog, _ match: (ExecutionUpdate) -> Bool) async -> Bool {
        for _ in 0..<3_000 {
            if log.updates.withLock({ $0.contains(where: match) }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static func read(_ venue: BinanceExecutionClient, into log: UpdateLog) -> Task<Void, Never> {
        Task { for await update in venue.updates() { log.updates.withLock { $0.append(update) } } }
    }

    @Test("a resting order's fill and final state arrive through the subscription, each once")
    func fillThroughSubscription() async throws {
        let fake = BinanceExecutionTests.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try BinanceExecutionTests.order(30, .buy, .limit, price: "99.50")
            _ = try await venue.submit(order)
            let log = UpdateLog()
            let reader = Self.read(venue, into: log)
            defer { reader.cancel() }
            #expect(await Self.subscribed(fake, made: 1))
            // Let the REST pass that follows the subscription finish (it ends reading myTrades), then fill.
            for _ in 0..<3_000 where !fake.requests.contains(where: { $0.path == "/api/v3/myTrades" }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(300))
            fake.setPrices("BTCUSDT", bid: "99.40", ask: "99.45", last: "99.42")
            #expect(await Self.waitFor(log) { if case .order(let o) = $0 { o.status == .filled } else { false } })
            #expect(await Self.waitFor(log) { if case .fill = $0 { true } else { false } })
            let fills = log.updates.withLock { $0.compactMap { if case .fill(let f) = $0 { f } else { nil } } }
            #expect(fills.count == 1)
            #expect(fills.first?.clientOrderID == order.clientOrderID && fills.first?.price == FixedPoint("99.5")!)
            #expect(fills.first?.liquidity == .maker && fills.first?.feeAsset == "BTC")
            // The fake sent execution reports to the subscription (REST polls are a minute apart here).
            #expect(fake.executionReportsSent > 0)
        }
    }

    @Test("a cancel is reported under the order's own id (Binance's C), not the cancel request's")
    func cancelNamesOrder() async throws {
        let fake = BinanceExecutionTests.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try BinanceExecutionTests.order(31, .buy, .limit, price: "90.00")
            _ = try await venue.submit(order)
            let log = UpdateLog()
            let reader = Self.read(venue, into: log)
            defer { reader.cancel() }
            #expect(await Self.subscribed(fake, made: 1))
            try await Task.sleep(for: .milliseconds(300))
            _ = try await venue.cancel(order.clientOrderID, symbol: Self.btc)
            #expect(
                await Self.waitFor(log) {
                    if case .order(let o) = $0 {
                        o.status == .cancelled && o.clientOrderID == order.clientOrderID
                    } else {
                        false
                    }
                })
        }
    }

    @Test("a dropped subscription is made again, and the REST pass after it reports what happened meanwhile")
    func dropRecovered() async throws {
        let fake = BinanceExecutionTests.venue()
        try await fake.run { url in
            let venue = Self.execution(url, fake)
            let order = try BinanceExecutionTests.order(32, .buy, .limit, price: "99.50")
            _ = try await venue.submit(order)
            let log = UpdateLog()
            let reader = Self.read(venue, into: log)
            defer { reader.cancel() }
            #expect(await Self.subscribed(fake, made: 1))
            try await Task.sleep(for: .milliseconds(300))
            fake.dropUserStreams()
            // The fill happens while no subscription is open: no event tells of it.
            fake.setPrices("BTCUSDT", bid: "99.40", ask: "99.45", last: "99.42")
            #expect(await Self.subscribed(fake, made: 2))
            #expect(await Self.waitFor(log) { if case .fill = $0 { true } else { false } })
            #expect(await Self.waitFor(log) { if case .order(let o) = $0 { o.status == .filled } else { false } })
            let fills = log.updates.withLock { $0.filter { if case .fill = $0 { true } else { false } } }
            #expect(fills.count == 1)
        }
    }

    @Test("a refused subscription (bad signature) ends the stream with the venue's reason; the secret is in no message")
    func refusedSubscription() async throws {
        let fake = BinanceExecutionTests.venue()
        try await fake.run { url in
            let client = BinanceClient(
                baseURL: url, credentials: VenueCredentials(apiKey: fake.apiKey, secret: "not-the-secret-0123456789"),
                http: VenueHTTP(timeoutSeconds: 30))
            let stream = BinanceUserDataStream(
                url: url.replacingOccurrences(of: "http://", with: "ws://") + "/ws-api/v3", client: client
            ) { _ in Self.btc }
            let probe = StreamProbe(stream.events())
            let error = await probe.waitForEnd()
            #expect("\(error.map { "\($0)" } ?? "")".contains("the subscription was refused (-1022"))
            #expect(!"\(error.map { "\($0)" } ?? "")".contains("not-the-secret"))
            #expect(fake.userStreamSubscriptions.made == 0)
        }
    }
}
