import Foundation
import PetrelCore
import PetrelNotifications
import PetrelRuntime
import Synchronization
import Testing

/// A channel that records, fails or hangs as told.
final class ScriptedChannel: NotificationChannel {
    let name: String
    let sent = Mutex<[NotificationMessage]>([])
    let failures = Mutex<[DeliveryError]>([])
    let gate: AsyncStream<Void>?
    let gateContinuation: AsyncStream<Void>.Continuation?

    init(name: String = "test", hanging: Bool = false) {
        self.name = name
        if hanging {
            let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
            gate = stream
            gateContinuation = continuation
        } else {
            gate = nil
            gateContinuation = nil
        }
    }

    func send(_ notification: NotificationMessage) async throws(DeliveryError) {
        if let gate { for await _ in gate { break } }
        if let failure = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
        sent.withLock { $0.append(notification) }
    }

    func release() { gateContinuation?.finish() }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    let seconds = Mutex(1_000.0)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

@Suite("Notification dispatcher")
struct DispatcherTests {
    static func message(_ title: String, event: NotificationEvent = .error, at: Int64 = 1) -> NotificationMessage {
        NotificationMessage(event: event, botID: "b", title: title, timestamp: at)
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw FakeFailure("condition not met in time") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("only the events in notify_on reach a channel; manual messages reach every channel")
    func filters() async throws {
        let trades = ScriptedChannel(name: "trades")
        let errors = ScriptedChannel(name: "errors")
        let dispatcher = NotificationDispatcher(routes: [
            .init(channel: trades, events: [.tradeEntry, .tradeExit]), .init(channel: errors, events: [.error]),
        ])
        dispatcher.start()
        dispatcher.notify(Self.message("entry", event: .tradeEntry))
        dispatcher.notify(Self.message("boom", event: .error))
        dispatcher.notify(Self.message("hello", event: .manual))
        try await Self.waitUntil { trades.sent.withLock { $0.count } == 2 && errors.sent.withLock { $0.count } == 2 }
        #expect(trades.sent.withLock { $0.map(\.title) } == ["entry", "hello"])
        #expect(errors.sent.withLock { $0.map(\.title) } == ["boom", "hello"])
        #expect(dispatcher.counters()["trades"]?.filtered == 1)
        await dispatcher.shutdown()
    }

    @Test("a flood of identical alerts is sent once per window; the same text later is sent again")
    func deduplicates() async throws {
        let channel = ScriptedChannel()
        let clock = ManualClock()
        let dispatcher = NotificationDispatcher(
            routes: [.init(channel: channel, events: [.apiFailure])], now: { clock.now }, sleep: { _ in })
        dispatcher.start()
        for _ in 0..<50 { dispatcher.notify(Self.message("venue down", event: .apiFailure)) }
        dispatcher.notify(Self.message("other", event: .apiFailure))
        try await Self.waitUntil { channel.sent.withLock { $0.count } == 2 }
        #expect(dispatcher.counters()["test"]?.deduplicated == 49)
        clock.advance(61)
        dispatcher.notify(Self.message("venue down", event: .apiFailure))
        try await Self.waitUntil { channel.sent.withLock { $0.count } == 3 }
        await dispatcher.shutdown()
    }

    @Test("the rate limit lets a burst through, then one message per 60/perMinute seconds")
    func rateLimits() async throws {
        let channel = ScriptedChannel()
        let clock = ManualClock()
        let waits = Mutex<[Double]>([])
        var policy = NotificationDispatcher.Policy()
        policy.burst = 2
        policy.perMinute = 6
        let dispatcher = NotificationDispatcher(
            routes: [.init(channel: channel, events: [.error])], policy: policy, now: { clock.now },
            sleep: { seconds in
                waits.withLock { $0.append(seconds) }
                clock.advance(seconds)
            })
        dispatcher.start()
        for index in 0..<4 { dispatcher.notify(Self.message("m\(index)")) }
        try await Self.waitUntil { channel.sent.withLock { $0.count } == 4 }
        let recorded = waits.withLock { $0 }
        #expect(recorded.count == 2)
        #expect(recorded.allSatisfy { abs($0 - 10) < 0.01 }, "\(recorded)")
        await dispatcher.shutdown()
    }

    @Test("a hanging channel never blocks notify; its queue keeps the newest and counts the dropped")
    func boundedQueue() async throws {
        let stuck = ScriptedChannel(name: "stuck", hanging: true)
        let healthy = ScriptedChannel(name: "healthy")
        var policy = NotificationDispatcher.Policy()
        policy.queueCapacity = 8
        policy.burst = 1_000
        policy.perMinute = 1_000_000
        let dispatcher = NotificationDispatcher(
            routes: [.init(channel: stuck, events: [.error]), .init(channel: healthy, events: [.error])], policy: policy
        )
        dispatcher.start()
        let start = ContinuousClock.now
        for index in 0..<100 { dispatcher.notify(Self.message("m\(index)")) }
        #expect(ContinuousClock.now - start < .seconds(2))
        // The healthy channel works on: every message is sent or (its own queue being small) dropped, the newest sent.
        try await Self.waitUntil {
            healthy.sent.withLock { $0.last?.title } == "m99"
                && healthy.sent.withLock { $0.count } + (dispatcher.counters()["healthy"]?.dropped ?? 0) == 100
        }
        #expect((dispatcher.counters()["stuck"]?.dropped ?? 0) >= 100 - 8 - 1)
        stuck.release()
        try await Self.waitUntil { stuck.sent.withLock { $0.last?.title } == "m99" }
        await dispatcher.shutdown()
    }

    @Test("retryable failures are retried with back-off, rejections are not")
    func retries() async throws {
        let channel = ScriptedChannel()
        channel.failures.withLock { $0 = [.retryable("timeout"), .retryable("503", retryAfterSeconds: 7)] }
        let sleeps = RecordedSleeps()
        let dispatcher = NotificationDispatcher(
            routes: [.init(channel: channel, events: [.error])], sleep: { await sleeps.sleep($0) })
        let outcome = await dispatcher.deliver(Self.message("x"))
        #expect(outcome.first?.error == nil && channel.sent.withLock { $0.count } == 1)
        #expect(sleeps.all.count == 2 && sleeps.all[0] >= 0.8 && sleeps.all[0] <= 1.2 && sleeps.all[1] >= 7)
        channel.failures.withLock { $0 = [.rejected("bad chat")] }
        let rejected = await dispatcher.deliver(Self.message("y"))
        #expect(rejected.first?.error == .rejected("bad chat") && sleeps.all.count == 2)
        #expect(dispatcher.counters()["test"]?.lastError == "rejected: bad chat")
    }
}

@Suite("Bot activity to notifications")
struct ActivityNotificationTests {
    final class Collector: Notifier {
        let messages = Mutex<[NotificationMessage]>([])
        func notify(_ notification: NotificationMessage) { messages.withLock { $0.append(notification) } }
    }

    @Test("entries, exits, high losses, errors, rejections, status and risk changes map to seed 002/004 events")
    func mapping() throws {
        let collector = Collector()
        let activity = ActivityNotifications(botID: "b1", notifier: collector, clock: { 99 })
        let symbol = try Symbol(parsing: "BTC/USDT")
        let id = try ClientOrderID("b1-1")
        let order = try Order(
            clientOrderID: id, symbol: symbol, side: .buy, type: .market, quantity: FixedPoint(parsing: "0.5"),
            createdAt: 1)
        activity.observe(.orderSent(order))
        let fill = try Fill(
            tradeID: "t1", clientOrderID: id, symbol: symbol, side: .buy, price: FixedPoint(parsing: "30000"),
            quantity: FixedPoint(parsing: "0.5"), fee: FixedPoint(parsing: "15"), feeAsset: "USDT", liquidity: .taker,
            timestamp: 10)
        activity.observe(.orderUpdate(.filled(fill)))
        activity.observe(.orderUpdate(.filled(fill)))
        let trade = ClosedTrade(
            symbol: symbol, direction: "long", entryTime: 10, exitTime: 20,
            entryPrice: try FixedPoint(parsing: "30000"),
            exitPrice: try FixedPoint(parsing: "28000"), quantity: try FixedPoint(parsing: "0.5"),
            grossPnL: try FixedPoint(parsing: "-1000"), fees: try FixedPoint(parsing: "29"),
            netPnL: try FixedPoint(parsing: "-1029"), returnFraction: -0.0686, exitReason: "stop_loss",
            entryReasoning: "", barsHeld: 3)
        activity.observe(.tradeClosed(trade))
        activity.observe(.error("venue timeout"))
        activity.observe(.orderUpdate(.closed(id, status: .rejected, reason: "insufficient balance", timestamp: 30)))
        activity.observe(.lifecycle(.running, reason: nil))
        activity.observe(.lifecycle(.reconciling, reason: nil))
        activity.observe(.tradingState(.halted, reason: "max drawdown", timestamp: 40))
        let events = collector.messages.withLock { $0.map(\.event) }
        #expect(events == [.tradeEntry, .tradeExit, .highLoss, .error, .apiFailure, .status, .riskWarning])
        let messages = collector.messages.withLock { $0 }
        #expect(messages[0].title == "BUY 0.5 BTC/USDT at 30000")
        #expect(messages[1].fields.first { $0.name == "P&L" }?.value == "-1029 USDT")
        #expect(messages[2].severity == .critical && messages[6].severity == .critical)
        #expect(messages.allSatisfy { $0.botID == "b1" })
    }
}
