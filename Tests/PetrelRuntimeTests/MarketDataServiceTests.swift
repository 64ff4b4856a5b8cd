import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Market data service: shared feeds, history, gaps and reconnection")
struct MarketDataServiceTests {
    static let symbol = try! Symbol(parsing: "BTC/USDT")
    static let key = CandleFeedKey(venue: "fake", symbol: symbol, timeframe: .m1)

    /// Candle `index` minutes after 2024-01-01 00:00 UTC.
    static func candle(_ index: Int) -> Candle {
        TestCandles.candle("100", "101", "99", "100", at: TestCandles.newYear2024 + Int64(index) * 60_000)
    }

    /// The next event, or a recorded issue if none arrives in time (a safety net, not a timing test).
    static func next(_ iterator: inout AsyncStream<MarketDataEvent>.Iterator) async -> MarketDataEvent? {
        nonisolated(unsafe) var local = iterator
        let event = await withTaskGroup(of: MarketDataEvent?.self) { group in
            group.addTask { await local.next() }
            group.addTask {
                try? await Task.sleep(nanoseconds: 10_000_000_000)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        iterator = local
        if event == nil { Issue.record("no market data event arrived") }
        return event
    }

    /// Waits (by yielding, with a bound) until the service has opened `count` live streams.
    static func awaitStreams(_ client: FakeMarketDataClient, _ count: Int) async {
        var spins = 0
        while client.streamsOpened < count && spins < 100_000 {
            await Task.yield()
            spins += 1
        }
        #expect(client.streamsOpened >= count)
    }

    /// Candle timestamps carried by events, in order.
    static func timestamps(_ events: [MarketDataEvent]) -> [Int64] {
        events.flatMap { event -> [Int64] in
            switch event {
            case .history(let candles), .backfill(let candles): return candles.map(\.timestamp)
            case .candle(let candle): return [candle.timestamp]
            default: return []
            }
        }
    }

    @Test("subscribers of one market share one feed and each gets its own warm-up history first")
    func sharedFeed() async throws {
        let client = FakeMarketDataClient(archive: (0..<5).map(Self.candle))
        let service = MarketDataService(clients: [client], clock: TestClock(), sleeper: RecordingSleeper())
        var a = try await service.subscribe(to: Self.key, lookback: 3).makeAsyncIterator()
        var b = try await service.subscribe(to: Self.key, lookback: 2).makeAsyncIterator()
        #expect(await Self.next(&a) == .history((2..<5).map(Self.candle)))
        #expect(await Self.next(&b) == .history((3..<5).map(Self.candle)))
        #expect(await service.feedCount == 1)
        await Self.awaitStreams(client, 1)
        client.send(Self.candle(5))
        #expect(await Self.next(&a) == .candle(Self.candle(5)))
        #expect(await Self.next(&b) == .candle(Self.candle(5)))
        #expect(client.streamsOpened == 1)
    }

    @Test("a dropped feed waits the retry interval with jitter, back-fills what it missed and goes on in order")
    func reconnectAndBackfill() async throws {
        let client = FakeMarketDataClient(archive: (0..<3).map(Self.candle))
        let sleeper = RecordingSleeper()
        let service = MarketDataService(
            clients: [client], clock: TestClock(), sleeper: sleeper,
            configuration: .init(retryIntervalMilliseconds: 60_000, jitterFraction: 0.2))
        var events = try await service.subscribe(to: Self.key, lookback: 3).makeAsyncIterator()
        var seen: [MarketDataEvent] = []
        seen.append(await Self.next(&events)!)
        await Self.awaitStreams(client, 1)
        client.send(Self.candle(3))
        seen.append(await Self.next(&events)!)
        // Candles 4 and 5 close while the connection is down.
        client.record([Self.candle(4), Self.candle(5)])
        client.drop()
        let disconnected = await Self.next(&events)
        guard case .disconnected(_, let wait) = disconnected else {
            Issue.record("expected a disconnection, got \(String(describing: disconnected))")
            return
        }
        #expect((48_000...72_000).contains(wait))
        #expect(await Self.next(&events) == .backfill([Self.candle(4), Self.candle(5)]))
        #expect(await Self.next(&events) == .reconnected)
        #expect(sleeper.requested == [wait])
        // The reconnected stream replays candle 5 (already delivered) and then 6.
        await Self.awaitStreams(client, 2)
        client.send(Self.candle(5), record: false)
        client.send(Self.candle(6))
        seen.append(await Self.next(&events)!)
        let stamps = Self.timestamps(seen)
        #expect(stamps == (0...3).map { Self.candle($0).timestamp } + [Self.candle(6).timestamp])
    }

    @Test("candles the live feed skipped are back-filled before the next one")
    func gapInLiveFeed() async throws {
        let client = FakeMarketDataClient(archive: [Self.candle(0)])
        let service = MarketDataService(clients: [client], clock: TestClock(), sleeper: RecordingSleeper())
        var events = try await service.subscribe(to: Self.key, lookback: 1).makeAsyncIterator()
        _ = await Self.next(&events)
        await Self.awaitStreams(client, 1)
        client.record([Self.candle(1), Self.candle(2)])
        client.send(Self.candle(3))
        #expect(await Self.next(&events) == .backfill([Self.candle(1), Self.candle(2)]))
        #expect(await Self.next(&events) == .candle(Self.candle(3)))
    }

    @Test("quotes are served from the cache until the TTL runs out")
    func quoteCache() async throws {
        let client = FakeMarketDataClient()
        client.setQuote(
            Quote(symbol: Self.symbol, bid: 100, ask: 101, last: 100, timestamp: TestCandles.newYear2024))
        let clock = TestClock(TestCandles.newYear2024)
        let service = MarketDataService(
            clients: [client], clock: clock, sleeper: RecordingSleeper(),
            configuration: .init(quoteTTLMilliseconds: 3_000))
        _ = try await service.quote(venue: "fake", symbol: Self.symbol)
        clock.advance(by: 2_999)
        let cached = try await service.quote(venue: "fake", symbol: Self.symbol)
        #expect(cached.ask == 101)
        #expect(client.quoteCalls == 1)
        clock.advance(by: 1)
        _ = try await service.quote(venue: "fake", symbol: Self.symbol)
        #expect(client.quoteCalls == 2)
    }

    @Test("a caller's own maximum age decides whether the shared cached quote is served")
    func quoteMaxAge() async throws {
        let client = FakeMarketDataClient()
        client.setQuote(
            Quote(symbol: Self.symbol, bid: 100, ask: 101, last: 100, timestamp: TestCandles.newYear2024))
        let clock = TestClock(TestCandles.newYear2024)
        let service = MarketDataService(
            clients: [client], clock: clock, sleeper: RecordingSleeper(),
            configuration: .init(quoteTTLMilliseconds: 3_000))
        _ = try await service.quote(venue: "fake", symbol: Self.symbol)
        clock.advance(by: 1_000)
        _ = try await service.quote(venue: "fake", symbol: Self.symbol, maxAgeMilliseconds: 1_001)
        #expect(client.quoteCalls == 1)
        _ = try await service.quote(venue: "fake", symbol: Self.symbol, maxAgeMilliseconds: 1_000)
        #expect(client.quoteCalls == 2)
        clock.advance(by: 5_000)
        _ = try await service.quote(venue: "fake", symbol: Self.symbol, maxAgeMilliseconds: 10_000)
        #expect(client.quoteCalls == 2)
        _ = try await service.quote(venue: "fake", symbol: Self.symbol, maxAgeMilliseconds: 0)
        #expect(client.quoteCalls == 3)
    }

    @Test("an unknown source and an impossible lookback are refused with clear messages")
    func badSubscriptions() async throws {
        let service = MarketDataService(
            clients: [FakeMarketDataClient()], clock: TestClock(), sleeper: RecordingSleeper())
        await #expect {
            _ = try await service.subscribe(
                to: CandleFeedKey(venue: "nope", symbol: Self.symbol, timeframe: .m1), lookback: 1)
        } throws: { error in
            "\(error)".contains("no market data source 'nope'") && "\(error)".contains("fake")
        }
        await #expect {
            _ = try await service.subscribe(to: Self.key, lookback: -1)
        } throws: { error in
            "\(error)".contains("lookback_bars -1")
        }
    }

    @Test("the shared feed stops when its last subscriber goes away")
    func unsubscribe() async throws {
        let client = FakeMarketDataClient(archive: [Self.candle(0)])
        let service = MarketDataService(clients: [client], clock: TestClock(), sleeper: RecordingSleeper())
        var stream: AsyncStream<MarketDataEvent>? = try await service.subscribe(to: Self.key, lookback: 1)
        #expect(await service.feedCount == 1)
        stream = nil
        _ = stream
        var spins = 0
        while await service.feedCount > 0 && spins < 10_000 {
            await Task.yield()
            spins += 1
        }
        #expect(await service.feedCount == 0)
    }
}
