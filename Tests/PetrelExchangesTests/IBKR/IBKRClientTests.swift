import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The Client Portal gateway client against the local fake: session, accounts first, contract search,
/// snapshot pre-flight, reply confirmations, error objects, rate limits, faults and exact balances.
@Suite("IBKR gateway client")
struct IBKRClientTests {
    static func client(
        _ url: String, account: String? = nil, pause: Int64 = 15_000, attempts: Int = 6, confirmations: Int = 5
    ) -> IBKRClient {
        IBKRClient(
            baseURL: url + "/v1/api", account: account, http: VenueHTTP(timeoutSeconds: 30),
            rateLimitPauseMilliseconds: pause, snapshotAttempts: attempts,
            snapshotBackoff: Backoff(initial: 20, maximum: 100, jitter: 0), maxConfirmations: confirmations)
    }

    static func ticket(_ id: String, type: String = "LMT", price: String? = "150.00") -> IBKRClient.OrderTicket {
        IBKRClient.OrderTicket(
            conid: 265_598, orderType: type, side: "BUY", tif: "GTC", quantity: FixedPoint(10),
            price: price.map { FixedPoint($0)! }, clientOrderID: id)
    }

    @Test("the session is read; a gateway nobody logged in to is fatal and says where to log in")
    func session() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            let status = try await client.authStatus()
            #expect(status.authenticated && status.connected && !status.competing)
            try await client.ensureAuthenticated()
            fake.setSession(.brokerageDown)
            guard case .fatal(let down)? = await executionFailure({ try await client.ensureAuthenticated() }) else {
                Issue.record("a session that is not authenticated must be fatal")
                return
            }
            #expect(down.contains("not authenticated") && down.contains("log in at \(url) in a browser"))
            fake.setSession(.loggedOut)
            guard case .fatal(let out)? = await executionFailure({ _ = try await client.authStatus() }) else {
                Issue.record("HTTP 401 must be fatal")
                return
            }
            #expect(out.contains("HTTP 401") && out.contains("log in at \(url)"))
        }
    }

    @Test("the accounts are read once, before market data and orders, and again after the gateway forgets them")
    func accountsFirst() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            _ = try await client.snapshot(conid: 265_598)
            let placed = try await client.placeOrder(Self.ticket("acct-1"))
            #expect(!placed.orderID.isEmpty)
            let paths = fake.requests.map(\.path)
            #expect(paths.first == "/iserver/accounts")
            #expect(paths.filter { $0 == "/iserver/accounts" }.count == 1)
            // A new login at the gateway: it refuses until the accounts are read again, which the client does.
            fake.restartSession()
            _ = try await client.liveOrders()
            #expect(fake.requests.map(\.path).filter { $0 == "/iserver/accounts" }.count == 2)
            #expect(try await client.account() == fake.accountID)
            let stranger = Self.client(url, account: "U9999999")
            guard case .fatal(let why)? = await executionFailure({ _ = try await stranger.account() }) else {
                Issue.record("an account the gateway does not list must be fatal")
                return
            }
            #expect(why.contains("U9999999") && why.contains(fake.accountID))
        }
    }

    @Test("the contract search picks the stock among the results; an unknown symbol is fatal and names it")
    func contracts() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            let conid = try await client.conid(for: "aapl")
            #expect(conid == 265_598)
            let sent = fake.requests.count
            let again = try await client.conid(for: "AAPL")
            #expect(again == 265_598)
            #expect(fake.requests.count == sent)
            guard case .fatal(let why)? = await executionFailure({ _ = try await client.conid(for: "ZZZQ") }) else {
                Issue.record("an unknown symbol must be fatal")
                return
            }
            #expect(why.contains("'ZZZQ'") && why.contains("No symbol found"))
        }
    }

    @Test("the first snapshot of a conid only subscribes; prices come on a later request, prefixes read")
    func snapshot() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            let first = try await client.snapshot(conid: 265_598)
            #expect(first.last == FixedPoint("190")! && first.bid == FixedPoint("189.98")!)
            #expect(first.ask == FixedPoint("190.02")! && first.symbol == "AAPL" && !first.lastIsPreviousClose)
            #expect(fake.requests.filter { $0.path == "/iserver/marketdata/snapshot" }.count == 2)
            #expect(fake.requests.last?.query == "conids=265598&fields=31,55,84,86")
            fake.setPrices(conid: 265_598, bid: "1187.10", ask: "1187.30", last: "1188.50", lastMark: "C")
            let closed = try await client.snapshot(conid: 265_598)
            #expect(closed.last == FixedPoint("1188.5")! && closed.lastIsPreviousClose && !closed.halted)
            fake.setPrices(conid: 265_598, bid: "1187.10", ask: "1187.30", last: "1188.50", lastMark: "H")
            #expect(try await client.snapshot(conid: 265_598).halted)
        }
        let silent = FakeIBKR(snapshotWarmup: 100)
        try await silent.run { url in
            let client = Self.client(url, attempts: 3)
            guard case .retryable(let why)? = await executionFailure({ _ = try await client.snapshot(conid: 265_598) })
            else {
                Issue.record("a snapshot that never brings prices must be retryable")
                return
            }
            #expect(why.contains("no prices after 3 requests"))
            #expect(silent.requests.filter { $0.path == "/iserver/marketdata/snapshot" }.count == 3)
        }
    }

    @Test("an order that asks for two confirmations is confirmed twice and placed once")
    func confirmations() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            fake.requireConfirmations(2)
            let placed = try await client.placeOrder(Self.ticket("conf-1"))
            #expect(placed.confirmedMessages.count == 2 && placed.status == "Submitted")
            #expect(fake.orders(clientOrderID: "conf-1") == 1 && fake.orderCount == 1)
            let replies = fake.requests.filter { $0.path.hasPrefix("/iserver/reply/") }
            #expect(replies.count == 2 && replies.allSatisfy { $0.body == #"{"confirmed":true}"# })
            #expect(Set(replies.map(\.path)).count == 2)
            // More warnings than the cap: refused, naming the last message, and nothing placed.
            let careful = Self.client(url, confirmations: 1)
            fake.requireConfirmations(3)
            guard
                case .rejected(let why)? = await executionFailure({
                    _ = try await careful.placeOrder(Self.ticket("conf-2"))
                })
            else {
                Issue.record("an endless chain of confirmations must be refused")
                return
            }
            #expect(why.contains("still asks for confirmation after 1") && why.contains("directly routed to NASDAQ"))
            #expect(fake.orders(clientOrderID: "conf-2") == 0)
        }
    }

    @Test("an error object refuses the order with its text; a repeated client order id is refused by the gateway")
    func errorObject() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            fake.rejectNextOrder("Order price exceeds the Percentage constraint of 3%.")
            guard
                case .rejected(let why)? = await executionFailure({
                    _ = try await client.placeOrder(Self.ticket("err-1"))
                })
            else {
                Issue.record("an error object must be a rejection")
                return
            }
            #expect(why.contains("Order price exceeds the Percentage constraint of 3%."))
            #expect(fake.orderCount == 0)
            _ = try await client.placeOrder(Self.ticket("err-2"))
            guard
                case .rejected(let twice)? = await executionFailure({
                    _ = try await client.placeOrder(Self.ticket("err-2"))
                })
            else {
                Issue.record("a repeated cOID must be refused")
                return
            }
            #expect(twice.contains("already registered") && fake.orders(clientOrderID: "err-2") == 1)
        }
    }

    @Test("a 429 silences every client of the host for the configured pause, or its Retry-After")
    func rateLimit() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url, pause: 1_500)
            fake.inject(.tooManyRequests(retryAfterSeconds: nil))
            guard case .rateLimited(let wait, _)? = await executionFailure({ _ = try await client.authStatus() }) else {
                Issue.record("a 429 must be rate limited")
                return
            }
            #expect(wait == 1_500)
            let sent = fake.requests.count
            let other = Self.client(url)
            guard case .rateLimited? = await executionFailure({ _ = try await other.authStatus() }) else {
                Issue.record("the pause must hold for every client of the host")
                return
            }
            #expect(fake.requests.count == sent)
            try await Task.sleep(for: .milliseconds(1_600))
            #expect(try await other.authStatus().authenticated)
            fake.inject(.tooManyRequests(retryAfterSeconds: 1))
            guard case .rateLimited(let told, _)? = await executionFailure({ _ = try await client.authStatus() }) else {
                Issue.record("a 429 must be rate limited")
                return
            }
            #expect(told == 1_000)
        }
    }

    @Test("5xx is retryable on reads and an unknown outcome on orders; a malformed answer is reported, not a crash")
    func faults() async throws {
        let fake = FakeIBKR()
        try await fake.run { url in
            let client = Self.client(url)
            _ = try await client.accounts()
            fake.inject(.serverError, method: "GET", path: "/iserver/account/trades")
            guard case .retryable(let read)? = await executionFailure({ _ = try await client.trades() }) else {
                Issue.record("a 5xx on a read must be retryable")
                return
            }
            #expect(read.contains("HTTP 503"))
            fake.inject(.serverError, method: "POST", path: "/orders")
            guard
                case .unknownOutcome? = await executionFailure({ _ = try await client.placeOrder(Self.ticket("f-1")) })
            else {
                Issue.record("a 5xx on an order must be an unknown outcome")
                return
            }
            fake.inject(.malformed, method: "GET", path: "/iserver/account/orders")
            guard case .retryable(let garbled)? = await executionFailure({ _ = try await client.liveOrders() }) else {
                Issue.record("a malformed answer to a read must be retryable")
                return
            }
            #expect(garbled.contains("not JSON"))
            #expect(try await client.liveOrders().isEmpty)
        }
    }

    @Test("ledger cash is exact to the last digit, JSON numbers included; BASE is left out")
    func balances() async throws {
        let fake = FakeIBKR()
        fake.setCash("USD", "92233.12345678")
        fake.setCash("EUR", "0.10")
        try await fake.run { url in
            let ledger = try await Self.client(url).ledger()
            #expect(ledger["USD"]?.cash == FixedPoint(rawValue: 9_223_312_345_678))
            #expect(ledger["EUR"]?.cash == FixedPoint("0.1")! && ledger["EUR"]?.settled == FixedPoint("0.1")!)
            #expect(ledger["BASE"] == nil && ledger.count == 2)
            #expect(fake.requests.contains { $0.path == "/portfolio/accounts" })
        }
    }

    @Test("self-signed certificates are accepted only from loopback hosts, and only when asked for")
    func certificatePolicy() {
        let gateway = VenueHTTP(allowsSelfSignedLoopbackCertificates: true)
        for url in ["https://localhost:5000/v1/api", "https://127.0.0.1:5000/v1/api", "https://[::1]:5000/v1/api"] {
            #expect(gateway.skipsCertificateVerification(for: url), "\(url)")
        }
        for url in [
            "https://api.ibkr.com/v1/api", "https://localhost.example.com:5000", "https://127.0.0.1.example.com",
            "https://10.0.0.5:5000", "http://localhost:5000",
        ] {
            #expect(!gateway.skipsCertificateVerification(for: url), "\(url)")
        }
        #expect(!VenueHTTP().skipsCertificateVerification(for: "https://localhost:5000/v1/api"))
        #expect(IBKRClient().baseURL == "https://localhost:5000/v1/api")
    }
}
