import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

@Suite("Simulated exchange matching rules")
struct SimulatedExchangeTests {
    static func order(
        _ id: String, _ side: OrderSide, _ type: OrderType = .market, quantity: String, price: String? = nil,
        stop: String? = nil, reduceOnly: Bool = false
    ) throws -> Order {
        try Order(
            clientOrderID: ClientOrderID(id), symbol: Market.btc, side: side, type: type, quantity: decimal(quantity),
            price: price.map(decimal), stopPrice: stop.map(decimal), reduceOnly: reduceOnly, createdAt: 0)
    }

    static func fills(_ events: [ExchangeEvent]) -> [Fill] {
        events.compactMap { if case .filled(let fill) = $0 { return fill } else { return nil } }
    }

    static func cancellations(_ events: [ExchangeEvent]) -> [String] {
        events.compactMap { if case .cancelled(_, let reason, _) = $0 { return reason } else { return nil } }
    }

    @Test("a reduce-only order is cut to the position and never opens or flips one")
    func reduceOnly() throws {
        var exchange = try SimulatedExchange(rules: [Market.rules(Market.btc)], costs: ExecutionCosts(takerFee: 0.001))
        let bar = TestCandles.candle("100", "101", "99", "100", at: 0)
        var events: [ExchangeEvent] = []
        exchange.submit(
            try Self.order("buy", .buy, quantity: "2"), instrument: 0, during: nil, cash: decimal("10000"),
            timestamp: 0, into: &events)
        exchange.match(bar, instrument: 0, cash: decimal("10000"), into: &events)
        #expect(exchange.netPositions == [decimal("2")])

        events = []
        exchange.submit(
            try Self.order("sell", .sell, quantity: "5", reduceOnly: true), instrument: 0, during: nil, cash: .zero,
            timestamp: 0,
            into: &events)
        exchange.match(bar, instrument: 0, cash: .zero, into: &events)
        #expect(Self.fills(events).map(\.quantity) == [decimal("2")])
        #expect(Self.cancellations(events) == ["rest of a reduce-only order beyond the position"])
        #expect(exchange.netPositions == [.zero])

        events = []
        exchange.submit(
            try Self.order("again", .sell, quantity: "1", reduceOnly: true), instrument: 0, during: nil, cash: .zero,
            timestamp: 0,
            into: &events)
        exchange.match(bar, instrument: 0, cash: .zero, into: &events)
        #expect(Self.fills(events).isEmpty)
        #expect(Self.cancellations(events) == ["reduce-only order has no position to reduce"])
        #expect(exchange.netPositions == [.zero])
        #expect(exchange.restingOrderCount == 0)
    }

    @Test("within one candle, fills at the open come first, then stops, then limits")
    func adversePathOrder() throws {
        var exchange = try SimulatedExchange(
            rules: [Market.rules(Market.btc)], costs: ExecutionCosts(makerFee: 0, takerFee: 0))
        var events: [ExchangeEvent] = []
        // Long 3 first; then a take-profit limit sent before a stop, both reduce-only for 3.
        exchange.submit(
            try Self.order("entry", .buy, quantity: "3"), instrument: 0, during: nil, cash: decimal("1000"),
            timestamp: 0, into: &events)
        exchange.match(
            TestCandles.candle("100", "100", "100", "100", at: 0), instrument: 0, cash: decimal("1000"), into: &events)
        events = []
        exchange.submit(
            try Self.order("target", .sell, .limit, quantity: "3", price: "110", reduceOnly: true), instrument: 0,
            during: nil,
            cash: .zero, timestamp: 0, into: &events)
        exchange.submit(
            try Self.order("stop", .sell, .stopMarket, quantity: "3", stop: "95", reduceOnly: true), instrument: 0,
            during: nil,
            cash: .zero, timestamp: 0, into: &events)
        exchange.match(TestCandles.candle("100", "111", "94", "100", at: 1), instrument: 0, cash: .zero, into: &events)
        let fills = Self.fills(events)
        #expect(fills.map(\.clientOrderID.rawValue) == ["stop"])
        #expect(fills.map(\.price) == [decimal("95")])
        #expect(fills.map(\.liquidity) == [.taker])
        #expect(Self.cancellations(events) == ["reduce-only order has no position to reduce"])
    }

    @Test("a limit buy fills at its price when touched, or at the open when the market opens below it")
    func limitFills() throws {
        var exchange = try SimulatedExchange(
            rules: [Market.rules(Market.btc)], costs: ExecutionCosts(makerFee: 0.0002, takerFee: 0.001))
        var events: [ExchangeEvent] = []
        exchange.submit(
            try Self.order("touch", .buy, .limit, quantity: "1", price: "98.5"), instrument: 0, during: nil,
            cash: decimal("1000"),
            timestamp: 0, into: &events)
        exchange.match(
            TestCandles.candle("100", "101", "99", "100", at: 0), instrument: 0, cash: decimal("1000"), into: &events)
        #expect(Self.fills(events).isEmpty)
        exchange.match(
            TestCandles.candle("100", "101", "98", "99", at: 1), instrument: 0, cash: decimal("1000"), into: &events)
        // 98.5 × 1 = 98.5; maker fee 0.02 % = 0.0197.
        #expect(Self.fills(events).map(\.price) == [decimal("98.5")])
        #expect(Self.fills(events).map(\.fee) == [decimal("0.0197")])
        #expect(Self.fills(events).map(\.liquidity) == [.maker])

        events = []
        exchange.submit(
            try Self.order("gap", .buy, .limit, quantity: "1", price: "98.5"), instrument: 0, during: nil,
            cash: decimal("1000"),
            timestamp: 0, into: &events)
        exchange.match(
            TestCandles.candle("97", "99", "96", "98", at: 2), instrument: 0, cash: decimal("1000"), into: &events)
        #expect(Self.fills(events).map(\.price) == [decimal("97")])
    }

    /// An entry rule that fires on one bar only.
    struct EntryAt: EntryRule {
        var bar: Int
        var warmUpBars: Int { 1 }

        mutating func evaluate(_ candle: Candle, context: StrategyContext) -> Signal? {
            context.barIndex == bar ? Signal(.enterLong, reasoning: "entry at bar \(bar)") : nil
        }
    }

    @Test("TimeBasedExit in a backtest holds the position for exactly N candles")
    func timeBasedExitHoldsNBars() throws {
        let market = Market.hourly(candles: TestCandles.flat("100", count: 8, start: TestCandles.newYear2024))
        let run = try BacktestEngine(configuration: .scenario()).run(markets: [market]) { _ in
            CompositeStrategy(entry: EntryAt(bar: 1), exit: TimeBasedExit(maximumBars: 3))
        }
        // Signal at bar 1, bought at bar 2's open; bars in position 1, 2, 3 at the closes of bars
        // 2, 3, 4: the exit is signalled at bar 4 and sold at bar 5's open.
        let trade = try #require(run.trades.first)
        #expect(trade.barsHeld == 3)
        #expect(trade.entryTime == Market.time(2))
        #expect(trade.exitTime == Market.time(5))
        #expect(
            run.journal("signal").map(\.message) == [
                "enter_long: entry at bar 1", "exit_long: held 3 candles (limit 3)",
            ])
    }
}
