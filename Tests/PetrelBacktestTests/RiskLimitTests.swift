import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The kernel's pre-trade limits and trading states driven through whole backtests.
@Suite("Backtest risk limits and trading states")
struct RiskLimitTests {
    /// `count` flat hourly candles at 100 from 2024-01-01T00:00Z (bar 24 is 2024-01-02T00:00Z).
    static func flatDays(_ count: Int) -> BacktestMarket {
        Market.hourly(candles: TestCandles.flat("100", count: count, start: TestCandles.newYear2024))
    }

    @Test("a time exit closes a position at the first candle close at or after the limit, in any state")
    func timeExit() throws {
        let risk = RiskSettings(timeExitMinutes: 180)
        // Bar 1 enters (filled at bar 2's open, 02:00); bar 4 closes at 05:00 = 3 hours later.
        let run = try backtest(Self.flatDays(8), .scenario(risk: risk), [1: .enterLong])

        let trade = try #require(run.trades.first)
        #expect(run.trades.count == 1)
        #expect(trade.exitReason == "time_exit")
        #expect(trade.entryTime == Market.time(2))
        #expect(trade.exitTime == Market.time(5))
        let exits = run.orders.filter(\.reduceOnly)
        #expect(exits.map(\.createdAt) == [Market.time(4)])
        #expect(exits.first?.tag == "time exit: held 180 min, limit 180 min")
        #expect(run.finalPositions[0].quantity == .zero)
    }

    @Test("max daily trades skips further entries with a journal line until the next UTC day")
    func maxDailyTrades() throws {
        let risk = RiskSettings(maxDailyTrades: 1)
        // Bar 1 enters, bar 3 exits, bars 5 and 23 (23:00) try again, bar 24 (00:00 next day) may.
        let run = try backtest(
            Self.flatDays(27), .scenario(risk: risk),
            [1: .enterLong, 3: .exitLong, 5: .enterLong, 23: .enterLong, 24: .enterLong])

        let skipped = run.journal("skipped")
        #expect(skipped.map(\.timestamp) == [Market.time(5), Market.time(23)])
        #expect(
            skipped.allSatisfy { $0.message == "entry skipped: max daily trades 1 reached" && $0.symbol == "BTC/USDT" })
        // Every signal is journalled, the skipped ones too.
        #expect(run.journal("signal").map(\.timestamp) == [1, 3, 5, 23, 24].map(Market.time))
        // Two entries were sent: bar 1's and the next day's at bar 24 (filled at bar 25).
        let entries = run.orders.filter { !$0.reduceOnly }
        #expect(entries.map(\.createdAt) == [Market.time(1), Market.time(24)])
        #expect(entries.map(\.status) == [.filled, .filled])
        #expect(run.trades.count == 1)
        #expect(run.finalPositions[0].quantity == decimal("10"))
    }

    @Test("max daily loss switches to reducing (exits only) and back to active at the next UTC day")
    func maxDailyLoss() throws {
        var candles = TestCandles.series([
            "100 100 100 100",
            "100 100 100 100",  // bar 1: enter long 50 BTC (5 000 USDT)
            "100 100 100 100",  // bar 2: filled at 100, cash 5 000, equity 10 000
            "100 100 98 98.9",  // bar 3: equity 5 000 + 50 × 98.9 = 9 945: lost 55 ≥ 50 today
            "98.9 99 98.9 99",  // bar 4: exit long (allowed while reducing)
            "99 99 99 99",  // bar 5: sold 50 @ 99
            "99 99 99 99",  // bar 6: enter long → skipped
        ])
        candles += TestCandles.flat("99", count: 21, start: Market.time(7))  // bars 7 … 27; bar 24 is a new day
        let configuration = BacktestConfiguration.scenario(
            taker: 0, maker: 0, risk: RiskSettings(maxDailyLoss: decimal("50")), sizing: .fixedAmount(decimal("5000")))
        let run = try backtest(
            Market.hourly(candles: candles), configuration,
            [1: .enterLong, 4: .exitLong, 6: .enterLong, 25: .enterLong])

        let states = run.journal("state")
        #expect(
            states.map(\.message) == ["reducing: max daily loss 50 reached (lost 55 today)", "active: new UTC day"])
        #expect(states.map(\.timestamp) == [Market.time(3), Market.time(24)])
        // The exit went through while reducing: 5 000 + 50 × 99 = 9 950.
        #expect(run.trades.count == 1)
        #expect(run.trades.first?.exitPrice == decimal("99"))
        #expect(run.trades.first?.netPnL == decimal("-50"))
        #expect(run.journal("skipped").map(\.message) == ["entry skipped: trading state is reducing"])
        #expect(run.journal("skipped").map(\.timestamp) == [Market.time(6)])
        // The next day's entry was sent and filled: 5 000 / 99 = 50.505… → 50.505 BTC @ 99.
        let last = try #require(run.orders.last)
        #expect(last.createdAt == Market.time(25))
        #expect(last.status == .filled)
        #expect(last.filledQuantity == decimal("50.505"))
        #expect(run.tradingState == .active)
    }

    @Test("max drawdown halts the bot, cancels its stop and closes the position with a risk exit")
    func maxDrawdownHalts() throws {
        let market = Market.hourly([
            "100 100 100 100",
            "100 100 100 100",  // bar 1: enter long with all the equity: 10 000 / 100 = 100 BTC
            "100 100 100 100",  // bar 2: filled at 100, cash 0
            "100 100 89 89",  // bar 3: equity 8 900, 11 % under the 10 000 peak ≥ 10 %: halt
            "90 91 89 90",  // bar 4: the risk exit sells 100 @ 90
            "90 91 89 90",  // bar 5: enter long → skipped, halted
            "90 91 89 90",
        ])
        let configuration = BacktestConfiguration.scenario(
            taker: 0, maker: 0, risk: RiskSettings(stopLossPct: 20, maxDrawdownPct: 10), sizing: .percentOfEquity(1))
        let run = try backtest(market, configuration, [1: .enterLong, 5: .enterLong])

        #expect(run.tradingState == .halted)
        #expect(run.journal("state").map(\.message) == ["halted: max drawdown 10.0% reached (11.0% from peak)"])
        #expect(run.journal("state").map(\.timestamp) == [Market.time(3)])
        let trade = try #require(run.trades.first)
        #expect(trade.exitReason == "risk_exit")
        #expect(trade.exitPrice == decimal("90"))
        #expect(trade.exitTime == Market.time(4))
        #expect(trade.netPnL == decimal("-1000"))
        #expect(run.orders(tagged: "stop loss").map(\.status) == [.cancelled])
        #expect(run.journal("skipped").map(\.message) == ["entry skipped: trading state is halted"])
        #expect(run.finalCash == decimal("9000"))
        #expect(run.finalPositions.allSatisfy { $0.isFlat })
        #expect(run.equity == equities(["10000", "10000", "10000", "8900", "9000", "9000", "9000"]))
    }

    @Test("max positions counts open and pending positions across the bot's symbols")
    func maxPositionsAcrossSymbols() throws {
        let btc = Market.hourly([
            "100 100 100 100", "100 100 100 100", "100 100 100 100", "100 100 100 100",
            "100 100 100 100", "100 100 100 100", "100 100 100 100",
        ])
        let eth = Market.hourly(
            [
                "50 50 50 50", "50 50 50 50", "50 50 50 50", "50 50 50 50", "50 50 50 50",
                "50 50 50 50", "50 50 50 50",
            ], symbol: Market.eth)
        // Both signal at bar 1; BTC (the first market) takes the only slot. BTC exits at bar 3
        // (sold at bar 4); ETH's second try at bar 5 is allowed.
        let run = try backtest(
            [btc, eth], .scenario(risk: RiskSettings(maxPositions: 1)),
            scripts: [
                Market.btc: ScriptedStrategy([1: .enterLong, 3: .exitLong]),
                Market.eth: ScriptedStrategy([1: .enterLong, 5: .enterLong]),
            ])

        let skipped = run.journal("skipped")
        #expect(skipped.map(\.message) == ["entry skipped: max positions 1 reached"])
        #expect(skipped.map(\.symbol) == ["ETH/USDT"])
        #expect(skipped.map(\.timestamp) == [Market.time(1)])
        #expect(run.orders.filter { !$0.reduceOnly }.map(\.symbol) == [Market.btc, Market.eth])
        #expect(run.finalPositions.map(\.quantity) == [.zero, decimal("20")])

        let both = try backtest(
            [btc, eth], .scenario(risk: RiskSettings(maxPositions: 2)),
            scripts: [Market.btc: ScriptedStrategy([1: .enterLong]), Market.eth: ScriptedStrategy([1: .enterLong])])
        #expect(both.journal("skipped").isEmpty)
        #expect(both.finalPositions.map(\.quantity) == [decimal("10"), decimal("20")])
    }

    @Test("max exposure caps the entry size and skips an entry when no room is left")
    func maxExposure() throws {
        let rows = Array(repeating: "100 100 100 100", count: 6)
        let btc = Market.hourly(rows)
        let eth = Market.hourly(Array(repeating: "50 50 50 50", count: 6), symbol: Market.eth)
        let configuration = BacktestConfiguration.scenario(
            risk: RiskSettings(maxPositions: 2, maxExposure: 0.5), sizing: .percentOfEquity(1))
        let run = try backtest(
            [btc, eth], configuration,
            scripts: [Market.btc: ScriptedStrategy([1: .enterLong]), Market.eth: ScriptedStrategy([3: .enterLong])])

        // BTC at bar 1: 100 % of 10 000 wanted, exposure limit 0.5 × 10 000 = 5 000 → 50 BTC @ 100.
        // Fee 5; cash 4 995. At bar 3 equity is 4 995 + 5 000 = 9 995, the limit 4 997.5 and the
        // exposure already 5 000: ETH has no room.
        let btcEntry = try #require(run.orders.first)
        #expect(btcEntry.quantity == decimal("50"))
        #expect(btcEntry.fees == decimal("5"))
        #expect(run.journal("skipped").map(\.message) == ["entry skipped: max exposure 0.5 of equity reached"])
        #expect(run.journal("skipped").map(\.symbol) == ["ETH/USDT"])
        #expect(run.finalCash == decimal("4995"))
        #expect(run.finalEquity == decimal("9995"))
    }
}
