import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Uphold against the local fake: tickers, cards behind the bearer token, a conversion quoted then
/// committed, a quote that expires, a refused amount named by Uphold's codes, and a 429.
@Suite("Uphold client")
struct UpholdClientTests {
    static func client(_ url: String, token: String?) -> UpholdClient {
        UpholdClient(baseURL: url, token: token, http: VenueHTTP(timeoutSeconds: 30))
    }

    @Test("a conversion is quoted, then committed: the cards move by the quoted amounts")
    func quoteThenCommit() async throws {
        let fake = FakeUphold()
        fake.setRate(base: "BTC", quote: "USD", "64000")
        let usd = fake.addCard(currency: "USD", balance: "1000.00")
        let btc = fake.addCard(currency: "BTC", balance: "0")
        try await fake.run { url in
            let client = Self.client(url, token: fake.token)
            let ticker = try await client.ticker(base: "BTC", quote: "USD")
            #expect(ticker.bid == FixedPoint("64000")! && ticker.ask == FixedPoint("64000")!)
            let cards = try await client.cards()
            #expect(Set(cards.map(\.currency)) == ["USD", "BTC"])
            #expect(cards.first { $0.id == usd }?.available == FixedPoint("1000")!)
            let quote = try await client.quote(from: usd, to: btc, amount: FixedPoint("128")!, currency: "USD")
            #expect(quote.status == "pending" && quote.ttl == 18_000)
            #expect(quote.originAmount == FixedPoint("128")! && quote.destinationAmount == FixedPoint("0.002")!)
            // Nothing moves before the commit.
            #expect(fake.balance(card: usd) == FixedPoint("1000")!)
            let done = try await client.commit(quote.id, card: usd)
            #expect(done.status == "completed")
            #expect(fake.balance(card: usd) == FixedPoint("872")! && fake.balance(card: btc) == FixedPoint("0.002")!)
        }
    }

    @Test("an expired quote is refused; too large an amount names Uphold's code; a bad token is fatal; 429 pauses")
    func failures() async throws {
        let fake = FakeUphold(ttl: 50)
        fake.setRate(base: "BTC", quote: "USD", "64000")
        let usd = fake.addCard(currency: "USD", balance: "100.00")
        let btc = fake.addCard(currency: "BTC", balance: "0")
        try await fake.run { url in
            let client = Self.client(url, token: fake.token)
            let quote = try await client.quote(from: usd, to: btc, amount: FixedPoint("10")!, currency: "USD")
            try await Task.sleep(for: .milliseconds(100))
            do {
                _ = try await client.commit(quote.id, card: usd)
                Issue.record("an expired quote must be refused")
            } catch {
                guard case .rejected(let why)? = error as? ExecutionError else {
                    Issue.record("expected rejected, got \(error)")
                    return
                }
                #expect(why.contains("the quote expired"))
            }
            #expect(fake.balance(card: usd) == FixedPoint("100")!)
            do {
                _ = try await client.quote(from: usd, to: btc, amount: FixedPoint("500")!, currency: "USD")
                Issue.record("too large an amount must be refused")
            } catch {
                #expect("\(error)".contains("denomination.amount: sufficient_funds (Not enough funds"))
            }
            let stranger = Self.client(url, token: "not-the-token-0123456789")
            do {
                _ = try await stranger.cards()
                Issue.record("a bad token must fail")
            } catch {
                guard case .fatal(let why)? = error as? ExecutionError else {
                    Issue.record("expected fatal, got \(error)")
                    return
                }
                #expect(why.contains("HTTP 401") && !why.contains("not-the-token"))
            }
            fake.tooManyRequests(retryAfter: 1)
            await #expect(throws: ExecutionError.self) { _ = try await client.ticker(base: "BTC", quote: "USD") }
            let sent = fake.requests.count
            await #expect(throws: ExecutionError.self) { _ = try await stranger.ticker(base: "BTC", quote: "USD") }
            #expect(fake.requests.count == sent)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await stranger.ticker(base: "USD", quote: "BTC").bid == FixedPoint("0.00001562")!)
        }
    }

    @Test("the all-pairs list of a currency holds both directions; the market-data client quotes a pair's ticker")
    func tickerList() async throws {
        let fake = FakeUphold()
        fake.setRate(base: "BTC", quote: "USD", "64000")
        fake.setRate(base: "USD", quote: "EUR", "0.84855")
        fake.setRate(base: "ETH", quote: "BTC", "0.05")
        fake.setDrift(base: "BTC", quote: "USD", "100")
        try await fake.run { url in
            let client = Self.client(url, token: nil)
            let list = try await client.tickers(currency: "USD")
            #expect(list.map(\.pair) == ["BTCUSD", "USDEUR"])
            #expect(list.map(\.currency) == ["USD", "EUR"])
            #expect(list.first?.bid == FixedPoint("64000")! && list.last?.ask == FixedPoint("0.84855")!)
            #expect(fake.requests.contains("GET /v0/ticker/USD"))

            let market = UpholdMarketDataClient(client: client)
            #expect(market.venue == "uphold" && market.liveFeed == .quotes)
            let first = try await market.quote(symbol: TestQuotes.symbol("BTC/USD"))
            #expect(first.bid == FixedPoint("64000")! && first.ask == FixedPoint("64000")!)
            #expect(first.last == FixedPoint("64000")!)
            // The fake's drift: each read moves the rate by 100.
            #expect(try await market.quote(symbol: TestQuotes.symbol("BTC/USD")).bid == FixedPoint("64100")!)
            let unknown = await #expect(throws: ExecutionError.self) {
                _ = try await market.quote(symbol: TestQuotes.symbol("DOGE/USD"))
            }
            #expect("\(String(describing: unknown))".contains("HTTP 404"))
        }
    }
}
