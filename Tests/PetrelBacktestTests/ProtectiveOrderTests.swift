import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Stop-loss, take-profit and trailing stops, computed by hand. Every scenario buys 10 BTC at 100
/// (1 000 USDT fixed size, signal at bar 1's close of 100, fill at bar 2's open of 100) with a
/// 0.1 % taker fee: cash after the entry is 10 000 − 1 000 − 1 = 8 999.
@Suite("Backtest stop-loss, take-profit and trailing stop computed by hand")
struct ProtectiveOrderTests {
    /// Bars 0–2 of every scenario: flat, the signal bar, then the entry bar.
    static let opening = ["100 101 99 100", "100 101 99 100", "100 102 98 101"]

    @Test("a stop-loss touched inside a candle fills at the stop price with the taker fee")
    func stopLossInsideCandle() throws {
        // Stop 5 % under the entry: 100 × 0.95 = 95.00. Bar 2's low (98) stays above it.
        let market = Market.hourly(Self.opening + ["98 99 94 96", "96 97 95 96"])
        let run = try backtest(market, .scenario(risk: RiskSettings(stopLossPct: 5)), [1: .enterLong])

        let trade = try #require(run.trades.first)
        // Bar 3's low 94 ≤ 95 and its open 98 is above: the stop fills at 95.
        // Sell 10 @ 95: 950, fee 0.95; cash 8 999 + 950 − 0.95 = 9 948.05.
        #expect(trade.exitPrice == decimal("95"))
        #expect(trade.exitTime == Market.time(3))
        #expect(trade.exitReason == "stop_loss")
        // Gross 950 − 1 000 = −50; fees 1 + 0.95 = 1.95; net −51.95 = −5.195 % of 1 000.
        #expect(trade.grossPnL == decimal("-50"))
        #expect(trade.fees == decimal("1.95"))
        #expect(trade.netPnL == decimal("-51.95"))
        #expect(trade.returnFraction == decimal("-51.95").doubleValue / 1_000)
        #expect(trade.barsHeld == 1)
        #expect(run.finalCash == decimal("9948.05"))
        // bar 2: 8 999 + 10 × 101 = 10 009.
        #expect(run.equity == equities(["10000", "10000", "10009", "9948.05", "9948.05"]))
        let stop = try #require(run.orders(tagged: "stop loss").first)
        #expect(stop.type == .stopMarket)
        #expect(stop.stopPrice == decimal("95"))
        #expect(stop.reduceOnly)
        #expect(stop.status == .filled)
        #expect(stop.fees == decimal("0.95"))
    }

    @Test("a candle that gaps through the stop fills it at the open, not at the stop")
    func gapThroughStop() throws {
        let market = Market.hourly(Self.opening + ["93 94 90 92", "92 93 91 92"])
        let run = try backtest(market, .scenario(risk: RiskSettings(stopLossPct: 5)), [1: .enterLong])

        // Bar 3 opens at 93, already under the 95 stop: sell 10 @ 93 = 930, fee 0.93.
        // Cash 8 999 + 930 − 0.93 = 9 928.07; net −70 − 1.93 = −71.93.
        let trade = try #require(run.trades.first)
        #expect(trade.exitPrice == decimal("93"))
        #expect(trade.exitReason == "stop_loss")
        #expect(trade.netPnL == decimal("-71.93"))
        #expect(run.finalCash == decimal("9928.07"))
    }

    @Test("a take-profit limit fills at its limit price with the maker fee and cancels the stop")
    func takeProfitAtLimit() throws {
        let market = Market.hourly(Self.opening + ["105 111 104 108", "108 109 107 108"])
        let risk = RiskSettings(stopLossPct: 5, takeProfitPct: 10)
        let run = try backtest(market, .scenario(maker: 0.0002, risk: risk), [1: .enterLong])

        // Target 100 × 1.10 = 110.00; bar 3 opens at 105 and reaches 111: the limit fills at 110.
        // Sell 10 @ 110: 1 100, maker fee 0.02 % = 0.22; cash 8 999 + 1 100 − 0.22 = 10 098.78.
        let trade = try #require(run.trades.first)
        #expect(trade.exitPrice == decimal("110"))
        #expect(trade.exitReason == "take_profit")
        // Gross 100; fees 1 (taker entry) + 0.22 = 1.22; net 98.78.
        #expect(trade.grossPnL == decimal("100"))
        #expect(trade.fees == decimal("1.22"))
        #expect(trade.netPnL == decimal("98.78"))
        #expect(run.finalCash == decimal("10098.78"))
        let target = try #require(run.orders(tagged: "take profit 10.0%").first)
        #expect(target.type == .limit)
        #expect(target.price == decimal("110"))
        #expect(target.status == .filled)
        let stop = try #require(run.orders(tagged: "stop loss").first)
        #expect(stop.status == .cancelled)
    }

    @Test("when stop-loss and take-profit are both inside one candle the stop-loss wins (adverse path assumed)")
    func stopLossWinsInsideOneCandle() throws {
        // Bar 3 spans 94 … 111: both 95 and 110 are touched. The simulator cannot know which came
        // first and assumes the worse one (documented on SimulatedExchange): the stop fills at 95.
        let market = Market.hourly(Self.opening + ["100 111 94 100", "100 101 99 100"])
        let risk = RiskSettings(stopLossPct: 5, takeProfitPct: 10)
        let run = try backtest(market, .scenario(risk: risk), [1: .enterLong])

        #expect(run.trades.count == 1)
        let trade = try #require(run.trades.first)
        #expect(trade.exitPrice == decimal("95"))
        #expect(trade.exitReason == "stop_loss")
        #expect(trade.netPnL == decimal("-51.95"))
        #expect(run.finalCash == decimal("9948.05"))
        #expect(run.finalPositions.allSatisfy { $0.isFlat })
        let target = try #require(run.orders(tagged: "take profit 10.0%").first)
        #expect(target.status == .cancelled)
        #expect(target.filledQuantity == .zero)
    }

    @Test("a short's stop-loss sits above the entry and its take-profit below, each filling when touched")
    func shortProtection() throws {
        let risk = RiskSettings(stopLossPct: 5, takeProfitPct: 10)
        // Short 10 @ 100 (1 000 / 100): cash 10 000 + 1 000 − 1 = 10 999. Stop 100 × 1.05 = 105,
        // target 100 × 0.90 = 90.
        let stopped = try backtest(
            Market.hourly(Self.opening + ["101 106 100 104", "104 104 104 104"]),
            .scenario(risk: risk, allowShort: true),
            [1: .enterShort])
        // The high 106 reaches 105: buy 10 @ 105 = 1 050, fee 1.05; cash 10 999 − 1 051.05 = 9 947.95.
        let loss = try #require(stopped.trades.first)
        #expect(loss.direction == "short")
        #expect((loss.exitPrice, loss.exitReason) == (decimal("105"), "stop_loss"))
        #expect(loss.netPnL == decimal("-52.05"))
        #expect(stopped.finalCash == decimal("9947.95"))

        let targeted = try backtest(
            Market.hourly(Self.opening + ["95 96 89 92", "92 92 92 92"]), .scenario(risk: risk, allowShort: true),
            [1: .enterShort])
        // The low 89 reaches 90: buy 10 @ 90 = 900, maker fee 0.9; cash 10 999 − 900.9 = 10 098.1.
        let profit = try #require(targeted.trades.first)
        #expect((profit.exitPrice, profit.exitReason) == (decimal("90"), "take_profit"))
        #expect(profit.netPnL == decimal("98.1"))
        #expect(targeted.finalCash == decimal("10098.1"))
        #expect(targeted.finalPositions.allSatisfy { $0.isFlat })
    }

    @Test("a trailing stop activates after the gain, tightens behind each new high and exits at its level")
    func trailingStop() throws {
        let market = Market.hourly([
            "100 101 99 100",
            "100 101 99 100",  // bar 1: enter long
            "100 102 99 101",  // bar 2: buy 10 @ 100; high 102 < activation 103: fixed stop 95 stays
            "101 104 100.5 103.5",  // bar 3: high 104 ≥ 103 activates; stop → 104 × 0.98 = 101.92
            "104 106 103 105.5",  // bar 4: new high 106; stop → 106 × 0.98 = 103.88
            "105 105.5 103 103.5",  // bar 5: low 103 ≤ 103.88: the stop fills at 103.88
            "103.5 104 103 103.5",
        ])
        let risk = RiskSettings(stopLossPct: 5, trailingStop: .init(activationPct: 3, trailingPct: 2))
        let run = try backtest(market, .scenario(risk: risk), [1: .enterLong])

        let stops = run.orders.filter { $0.type == .stopMarket }
        #expect(stops.map(\.stopPrice) == [decimal("95"), decimal("101.92"), decimal("103.88")])
        #expect(stops.map(\.tag) == ["stop loss", "trailing stop", "trailing stop"])
        #expect(stops.map(\.status) == [.cancelled, .cancelled, .filled])
        // Each tightened stop is sent at the close of the bar that made the new high.
        #expect(stops.map(\.createdAt) == [Market.time(2), Market.time(3), Market.time(4)])

        // Sell 10 @ 103.88: 1 038.8, fee 1.0388; cash 8 999 + 1 038.8 − 1.0388 = 10 036.7612.
        let trade = try #require(run.trades.first)
        #expect(trade.exitPrice == decimal("103.88"))
        #expect(trade.exitTime == Market.time(5))
        #expect(trade.exitReason == "stop_loss")
        #expect(trade.grossPnL == decimal("38.8"))
        #expect(trade.fees == decimal("2.0388"))
        #expect(trade.netPnL == decimal("36.7612"))
        #expect(trade.barsHeld == 3)
        // bar 2: 8 999 + 1 010; bar 3: + 1 035; bar 4: + 1 055.
        #expect(
            run.equity
                == equities(["10000", "10000", "10009", "10034", "10054", "10036.7612", "10036.7612"]))
    }

    @Test("a reduce-only exit that meets a position already stopped out is cancelled and never opens a short")
    func reduceOnlyNeverFlips() throws {
        // Bar 3 signals an exit; bar 4 gaps to 90, under the 95 stop. Both orders execute at the
        // open; the stop was booked first, so it sells the 10 BTC and the market exit finds nothing.
        let market = Market.hourly(Self.opening + ["99 100 97 98", "90 91 89 90", "90 91 89 90"])
        let run = try backtest(
            market, .scenario(risk: RiskSettings(stopLossPct: 5), allowShort: true), [1: .enterLong, 3: .exitLong])

        #expect(run.trades.count == 1)
        let trade = try #require(run.trades.first)
        #expect(trade.exitPrice == decimal("90"))
        #expect(trade.exitReason == "stop_loss")
        #expect(run.finalPositions.allSatisfy { $0.isFlat })
        let exit = try #require(run.orders.first { $0.tag == "scripted exit_long at bar 3" })
        #expect(exit.reduceOnly)
        #expect(exit.status == .cancelled)
        #expect(exit.filledQuantity == .zero)
        #expect(exit.reason == "reduce-only order has no position to reduce")
        // 8 999 + 900 − 0.9 = 9 898.1, and nothing more moves.
        #expect(run.finalCash == decimal("9898.1"))
        #expect(run.finalEquity == decimal("9898.1"))
    }
}
