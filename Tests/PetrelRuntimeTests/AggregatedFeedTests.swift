import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Synchronization
import Testing

/// The market-data service over sources that stream only trades or quotes.
@Suite("Market data service: candles built from trades and quotes")
struct AggregatedFeedTests {
    typealias M = MarketDataServiceTests
    static let t0 = TestCandles.newYear2024

    static func trade(_ price: String, at seconds: Int64) -> TradeTick {
        TradeTick(symbol: M.symbol, price: decimal(price), quantity: decimal("1"), timestamp: t0 + seconds * 1_000)
    }

    @Test("a trades-only source: live candles are built from trades, the joined-late minute is back-filled")
    func tradesOnly() async throws {
        let client = FakeMarketDataClient(archive: [M.candle(0)], liveFeed: .trades)
        let service = MarketDataService(
            clients: [client], clock: TestClock(), sleeper: RecordingSleeper(),
            configuration: .init(candleCloseGraceMilliseconds: nil))
        var events = try await service.subscribe(to: M.key, lookback: 1).makeAsyncIterator()
        #expect(await M.next(&events) == .history([M.candle(0)]))
        await M.awaitStreams(client, 1)
        // Joined in the middle of minute 1: its candle comes from the venue's history instead.
        client.record([M.candle(1)])
        client.sendTrade(Self.trade("100", at: 90))
        client.sendTrade(Self.trade("102", at: 120))
        client.sendTrade(Self.trade("101", at: 150))
        client.sendTrade(Self.trade("103", at: 180))
        #expect(await M.next(&events) == .backfill([M.candle(1)]))
        #expect(
            await M.next(&events)
                == .candle(
                    Candle(
                        timestamp: M.candle(2).timestamp, open: decimal("102"), high: decimal("102"),
                        low: decimal("101"), close: decimal("101"), volume: decimal("2"))))
        #expect(client.streamsOpened == 1)
    }

    @Test("a quotes-only source on a quiet market: the timer closes each minute after the grace period")
    func quotesClosedByTimer() async throws {
        let client = FakeMarketDataClient(liveFeed: .quotes)
        let clock = TestClock(Self.t0)
        let sleeper = GateSleeper()
        var requests = sleeper.requests.makeAsyncIterator()
        let service = MarketDataService(
            clients: [client], clock: clock, sleeper: sleeper,
            configuration: .init(candleCloseGraceMilliseconds: 2_000))
        var events = try await service.subscribe(to: M.key, lookback: 0).makeAsyncIterator()
        #expect(await M.next(&events) == .history([]))
        await M.awaitStreams(client, 1)
        client.sendQuote(
            Quote(symbol: M.symbol, bid: decimal("99"), ask: decimal("101"), last: decimal("100"), timestamp: Self.t0))
        // The timer waits for minute 0's end plus the grace: 62 s from 00:00:00.
        var wait = await requests.next()
        while wait != 62_000 {
            sleeper.release()
            wait = await requests.next()
        }
        clock.advance(by: 62_000)
        sleeper.release()
        #expect(
            await M.next(&events)
                == .candle(
                    Candle(
                        timestamp: Self.t0, open: decimal("100"), high: decimal("100"), low: decimal("100"),
                        close: decimal("100"), volume: .zero)))
        // Nothing traded in minute 1: a flat candle once it has ended and the grace passed.
        #expect(await requests.next() == 60_000)
        clock.advance(by: 60_000)
        sleeper.release()
        guard case .candle(let flat) = await M.next(&events) else {
            Issue.record("expected the flat candle of minute 1")
            return
        }
        #expect(flat.timestamp == M.candle(1).timestamp)
        #expect(flat.close == decimal("100") && flat.volume == .zero)
    }
}

/// A sleeper the test steps by hand: each sleep is announced on ``requests`` and waits until released.
final class GateSleeper: Sleeper {
    let requests: AsyncStream<Int64>
    private let requestSink: AsyncStream<Int64>.Continuation
    private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

    init() {
        (requests, requestSink) = AsyncStream.makeStream(of: Int64.self)
    }

    func sleep(milliseconds: Int64) async {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0.append(continuation) }
            requestSink.yield(milliseconds)
        }
    }

    /// Lets the oldest blocked sleep return.
    func release() {
        let next = waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        next?.resume()
    }
}
