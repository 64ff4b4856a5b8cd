import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The simulated multi-pair market `petrel runbot` trades on.
@Suite("Simulated quote market")
struct SimulatedQuoteClientTests {
    static let btc = TestQuotes.symbol("BTC/USD")
    static let eth = TestQuotes.symbol("ETH/USD")

    static func mids(_ client: SimulatedQuoteClient, _ symbol: Symbol, _ count: Int) async throws -> [Price] {
        var prices: [Price] = []
        for _ in 0..<count { prices.append(try await client.quote(symbol: symbol).last) }
        return prices
    }

    @Test("each pair follows its own path, the same in every run, across chunk boundaries")
    func deterministicPerPair() async throws {
        let configuration = SimulatedQuoteClient.Configuration(chunkSize: 7)
        let first = SimulatedQuoteClient(
            symbols: [Self.btc, Self.eth], configuration: configuration, clock: TestClock())
        let second = SimulatedQuoteClient(
            symbols: [Self.btc, Self.eth], configuration: configuration, clock: TestClock())
        let path = try await Self.mids(first, Self.btc, 20)
        // Asking for another pair in between does not move BTC/USD's path.
        _ = try await Self.mids(second, Self.eth, 3)
        #expect(try await Self.mids(second, Self.btc, 20) == path)
        #expect(Set(path).count > 10, "the price moves")
        #expect(path[0] > 25_000 && path[0] < 35_000, "BTC starts near 30,000")
        let eth = try await Self.mids(first, Self.eth, 20)
        #expect(eth != path)
        #expect(eth[0] > 1_500 && eth[0] < 2_500, "ETH starts near 2,000")
        // A bigger chunk gives the same first chunk's prices.
        let whole = SimulatedQuoteClient(symbols: [Self.btc], clock: TestClock())
        #expect(try await Self.mids(whole, Self.btc, 7) == Array(path.prefix(7)))
        #expect(first.steps(of: Self.btc) == 20)
    }

    @Test("a quote is 1 bp either side of the path's price, rounded out to 0.01, stamped with the clock")
    func quoteShape() async throws {
        let clock = TestClock(1_700_000_000_000)
        let client = SimulatedQuoteClient(symbols: [Self.btc], clock: clock)
        let quote = try await client.quote(symbol: Self.btc)
        #expect(quote.timestamp == 1_700_000_000_000)
        #expect(!quote.isCrossed)
        #expect(quote.ask - quote.last == quote.last - quote.bid)
        let offset = try quote.last.multiplied(by: decimal("0.0001"), rounding: .up)
            .rounded(toStep: decimal("0.01"), rule: .up)
        #expect(quote.ask == quote.last + offset)
        for price in [quote.bid, quote.ask, quote.last] { #expect(price.rawValue % 1_000_000 == 0) }
        await #expect(throws: ExecutionError.self) { _ = try await client.quote(symbol: Self.eth) }
    }

    @Test("the attached paper exchange receives every quote first, so a market order fills at it")
    func feedsTheVenue() async throws {
        let clock = TestClock(1_700_000_000_000)
        let rules = try InstrumentRules(symbol: Self.btc, tickSize: decimal("0.01"), stepSize: decimal("0.0001"))
        let paper = PaperExchange(
            configuration: PaperExchangeConfiguration(rules: [rules]), balances: ["USD": decimal("100000")],
            clock: clock)
        let client = SimulatedQuoteClient(symbols: [Self.btc], clock: clock, feeding: paper)
        let quote = try await client.quote(symbol: Self.btc)
        #expect(await paper.lastQuoteTimestamp(symbol: Self.btc) == quote.timestamp)
        let order = try Order(
            clientOrderID: ClientOrderID(botID: "sim", sequence: 1), symbol: Self.btc, side: .buy, type: .market,
            quantity: decimal("1"), price: nil, stopPrice: nil, createdAt: clock.now(), tag: nil)
        let accepted = try await paper.submit(order)
        #expect(accepted.status == .filled)
        #expect(try await paper.fills(symbol: Self.btc, since: 0).first?.price == quote.ask)
    }
}
