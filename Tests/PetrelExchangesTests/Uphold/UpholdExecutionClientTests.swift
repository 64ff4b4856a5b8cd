import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// `UpholdExecutionClient` against the local fake: market orders as conversions between cards, the client
/// order id as the transaction's `reference` (one transaction per id, a lost commit answer resolved by a
/// look-up), expired quotes, missing cards, card balances and a 429.
@Suite("Uphold execution client")
struct UpholdExecutionClientTests {
    static let btcUSD = TestQuotes.symbol("BTC/USD")

    static func execution(_ url: String, token: String) -> UpholdExecutionClient {
        UpholdExecutionClient(client: UpholdClient(baseURL: url, token: token, http: VenueHTTP(timeoutSeconds: 30)))
    }

    static func order(_ id: String, _ side: OrderSide, _ quantity: String, type: OrderType = .market) throws -> Order {
        try Order(
            clientOrderID: try ClientOrderID(id), symbol: btcUSD, side: side, type: type,
            quantity: FixedPoint(quantity)!, price: type == .market ? nil : FixedPoint("60000")!, createdAt: 0)
    }

    static func fake(ttl: Int64 = 18_000) -> (FakeUphold, usd: String, btc: String) {
        let fake = FakeUphold(ttl: ttl)
        fake.setRate(base: "BTC", quote: "USD", "64000")
        let usd = fake.addCard(currency: "USD", balance: "1000.00")
        let btc = fake.addCard(currency: "BTC", balance: "0")
        return (fake, usd, btc)
    }

    @Test("a buy converts USD into BTC and a sell BTC into USD, with exact amounts, prices and commissions")
    func buyAndSell() async throws {
        let (fake, usd, btc) = Self.fake()
        fake.setCommission("0.0065")
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            let bought = try await client.submit(try Self.order("portx1", .buy, "0.002"))
            #expect(bought.status == .filled && bought.side == .buy && bought.venueOrderID != nil)
            #expect(bought.filledQuantity == FixedPoint("0.002")! && bought.averageFillPrice == FixedPoint("64000")!)
            // 128 USD leave; 0.002 BTC less Uphold's 0.65 % commission (0.000013 BTC) arrive.
            #expect(fake.balance(card: usd) == FixedPoint("872")!)
            #expect(fake.balance(card: btc) == FixedPoint("0.001987")!)

            let sold = try await client.submit(try Self.order("portx2", .sell, "0.001"))
            #expect(sold.status == .filled && sold.side == .sell && sold.filledQuantity == FixedPoint("0.001")!)
            // 0.001 BTC leave; 64 USD less 0.416 USD commission arrive.
            #expect(fake.balance(card: btc) == FixedPoint("0.000987")!)
            #expect(fake.balance(card: usd) == FixedPoint("935.584")!)
            #expect(fake.transactions.map(\.reference) == ["portx1", "portx2"])

            let fills = try await client.fills(symbol: Self.btcUSD, since: 0)
            #expect(fills.map(\.clientOrderID.rawValue) == ["portx1", "portx2"])
            #expect(fills.map(\.side) == [.buy, .sell])
            #expect(fills.map(\.price) == [FixedPoint("64000")!, FixedPoint("64000")!])
            #expect(fills.map(\.quantity) == [FixedPoint("0.002")!, FixedPoint("0.001")!])
            #expect(fills.map(\.fee) == [FixedPoint("0.000013")!, FixedPoint("0.416")!])
            #expect(fills.map(\.feeAsset) == ["BTC", "USD"])
            #expect(fills.map(\.tradeID) == [bought.venueOrderID!, sold.venueOrderID!])

            let balances = try await client.balances()
            #expect(balances["USD"] == PortfolioLedger.Balance(free: FixedPoint("935.584")!, locked: .zero))
            #expect(balances["BTC"]?.free == FixedPoint("0.000987")!)
            let rules = try await client.instrumentRules(Self.btcUSD)
            #expect(rules.stepSize == FixedPoint("0.00000001")! && rules.tickSize == FixedPoint("0.00000001")!)
        }
    }

    @Test("the same client order id twice makes one transaction and answers with it")
    func idempotentSubmit() async throws {
        let (fake, usd, _) = Self.fake()
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            let first = try await client.submit(try Self.order("portx7", .buy, "0.001"))
            let again = try await client.submit(try Self.order("portx7", .buy, "0.001"))
            #expect(again.venueOrderID == first.venueOrderID && again.status == .filled)
            #expect(fake.transactions.count == 1)
            #expect(fake.balance(card: usd) == FixedPoint("936")!)
        }
    }

    @Test("an id already used for another conversion is refused, not answered with that one's fill; nothing moves")
    func reusedReference() async throws {
        let (fake, usd, btc) = Self.fake()
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            _ = try await client.submit(try Self.order("portx7", .buy, "0.002"))
            let before = (fake.balance(card: usd), fake.balance(card: btc), fake.transactions.count)
            // The same id for a sell (a bot whose order numbers started again): a conflict, not a fill.
            let outcome = await executionFailure { try await client.submit(try Self.order("portx7", .sell, "0.001")) }
            guard case .rejected(let why)? = outcome else {
                Issue.record("expected a rejection, got \(String(describing: outcome))")
                return
            }
            #expect(why.contains("already names transaction") && why.contains("used before"))
            #expect((fake.balance(card: usd), fake.balance(card: btc), fake.transactions.count) == before)
        }
    }

    @Test("a lost commit answer is an unknown outcome; the look-up finds it by reference; a re-submit sends nothing")
    func lostCommitAnswer() async throws {
        let (fake, usd, btc) = Self.fake()
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            let id = try ClientOrderID("portx9")
            fake.loseNextCommitAnswer()
            let failure = await executionFailure { try await client.submit(try Self.order("portx9", .buy, "0.001")) }
            guard case .unknownOutcome? = failure else {
                Issue.record("expected an unknown outcome, got \(String(describing: failure))")
                return
            }
            #expect(fake.balance(card: btc) == FixedPoint("0.001")!)
            let found = try #require(try await client.order(id, symbol: Self.btcUSD))
            #expect(found.status == .filled && found.filledQuantity == FixedPoint("0.001")!)
            #expect(found.averageFillPrice == FixedPoint("64000")!)
            let quotes = fake.requests.filter { $0 == "POST /v0/me/cards/\(usd)/transactions" }.count
            let resent = try await client.submit(try Self.order("portx9", .buy, "0.001"))
            #expect(resent.venueOrderID == found.venueOrderID && resent.status == .filled)
            #expect(fake.requests.filter { $0 == "POST /v0/me/cards/\(usd)/transactions" }.count == quotes)
            #expect(fake.transactions.count == 1)
            #expect(fake.balance(card: usd) == FixedPoint("936")!)
            #expect(try await client.order(try ClientOrderID("portx10"), symbol: Self.btcUSD) == nil)
        }
    }

    @Test("a quote that expires before its commit is rejected and moves nothing; the id is then unknown")
    func expiredQuote() async throws {
        let (fake, usd, btc) = Self.fake(ttl: -1)
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            let failure = await executionFailure { try await client.submit(try Self.order("portx3", .buy, "0.001")) }
            guard case .rejected(let why)? = failure else {
                Issue.record("expected a rejection, got \(String(describing: failure))")
                return
            }
            #expect(why.contains("the quote expired"))
            #expect(fake.balance(card: usd) == FixedPoint("1000")! && fake.balance(card: btc) == FixedPoint("0")!)
            let lookedUp = try await client.order(try ClientOrderID("portx3"), symbol: Self.btcUSD)
            #expect(lookedUp == nil)
        }
    }

    @Test("a missing card is fatal and names the currency; limit orders are refused; nothing is quoted")
    func missingCardAndLimit() async throws {
        let (fake, _, _) = Self.fake()
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            #expect(!client.supportsStopOrders)
            let order = try Order(
                clientOrderID: try ClientOrderID("portx4"), symbol: TestQuotes.symbol("ETH/USD"), side: .buy,
                type: .market, quantity: FixedPoint("1")!, createdAt: 0)
            let missing = await executionFailure { try await client.submit(order) }
            guard case .fatal(let why)? = missing else {
                Issue.record("expected fatal, got \(String(describing: missing))")
                return
            }
            #expect(why.contains("no ETH card"))
            let limit = await executionFailure {
                try await client.submit(try Self.order("portx5", .buy, "0.001", type: .limit))
            }
            guard case .rejected(let reason)? = limit else {
                Issue.record("expected a rejection, got \(String(describing: limit))")
                return
            }
            #expect(reason.contains("only market orders"))
            #expect(fake.transactions.isEmpty)
        }
    }

    @Test("a 429 pauses the client until Retry-After; the order is sent after the pause, once")
    func rateLimited() async throws {
        let (fake, usd, _) = Self.fake()
        try await fake.run { url in
            let client = Self.execution(url, token: fake.token)
            fake.tooManyRequests(retryAfter: 1)
            let failure = await executionFailure { try await client.submit(try Self.order("portx6", .buy, "0.001")) }
            guard case .rateLimited(let wait, _)? = failure else {
                Issue.record("expected rate limited, got \(String(describing: failure))")
                return
            }
            #expect(wait == 1_000)
            let sent = fake.requests.count
            #expect(await executionFailure { try await client.balances() } != nil)
            #expect(fake.requests.count == sent)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await client.submit(try Self.order("portx6", .buy, "0.001")).status == .filled)
            #expect(fake.transactions.count == 1 && fake.balance(card: usd) == FixedPoint("936")!)
        }
    }
}
