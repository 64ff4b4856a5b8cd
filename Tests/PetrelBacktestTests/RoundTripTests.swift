import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Complete trades computed on paper, to the last fixed-point digit. Hourly BTC/USDT candles from
/// 2024-01-01T00:00Z, tick 0.01, lot 0.001, 10 000 USDT. An order sent at bar i's close fills at
/// bar i+1's open.
@Suite("Backtest round trips computed by hand")
struct RoundTripTests {
    @Test("a long round trip books the fills, fees, cash, P&L and equity of every bar to the cent")
    func longRoundTrip() throws {
        let market = Market.hourly([
            "100 101 99 100",
            "100 102 99 101",  // bar 1: enter long at the close
            "102 104 101 103",  // bar 2: the buy fills at the open, 102
            "103 106 102 105",  // bar 3: exit long at the close
            "106 107 104 105",  // bar 4: the sell fills at the open, 106
            "105 106 104 104",
        ])
        let run = try backtest(market, .scenario(), [1: .enterLong, 3: .exitLong])

        // Size at bar 1: 1 000 USDT / close 101 = 9.90099… → lot 0.001 → 9.900 BTC.
        // Buy 9.9 @ 102: notional 1 009.8, fee 0.1 % = 1.0098; cash 10 000 − 1 009.8 − 1.0098 = 8 989.1902.
        // Sell 9.9 @ 106: notional 1 049.4, fee 1.0494; cash 8 989.1902 + 1 049.4 − 1.0494 = 10 037.5408.
        let trade = try #require(run.trades.first)
        #expect(run.trades.count == 1)
        #expect(trade.symbol == Market.btc)
        #expect(trade.direction == "long")
        #expect(trade.entryTime == Market.time(2))
        #expect(trade.exitTime == Market.time(4))
        #expect(trade.entryPrice == decimal("102"))
        #expect(trade.exitPrice == decimal("106"))
        #expect(trade.quantity == decimal("9.9"))
        // Gross 1 049.4 − 1 009.8 = 39.6; fees 1.0098 + 1.0494 = 2.0592; net 37.5408.
        #expect(trade.grossPnL == decimal("39.6"))
        #expect(trade.fees == decimal("2.0592"))
        #expect(trade.netPnL == decimal("37.5408"))
        #expect(trade.returnFraction == decimal("37.5408").doubleValue / decimal("1009.8").doubleValue)
        // Held through the closes of bars 2 and 3.
        #expect(trade.barsHeld == 2)
        #expect(trade.exitReason == "exit")
        #expect(trade.entryReasoning == "scripted enter_long at bar 1")

        #expect(run.finalCash == decimal("10037.5408"))
        #expect(run.finalEquity == decimal("10037.5408"))
        #expect(run.totalFees == decimal("2.0592"))
        #expect(run.finalPositions.allSatisfy { $0.isFlat })
        // Equity at each close: cash + 9.9 × close while long.
        // bar 2: 8 989.1902 + 9.9 × 103 = 10 008.8902; bar 3: 8 989.1902 + 9.9 × 105 = 10 028.6902.
        #expect(run.equity == equities(["10000", "10000", "10008.8902", "10028.6902", "10037.5408", "10037.5408"]))
        #expect(run.timestamps == (0..<6).map(Market.time))
        #expect(run.barsInMarket == 2)

        let orders = run.orders
        #expect(orders.count == 2)
        #expect(orders.map(\.side) == [.buy, .sell])
        #expect(orders.map(\.type) == [.market, .market])
        #expect(orders.map(\.status) == [.filled, .filled])
        #expect(orders.map(\.averageFillPrice) == [decimal("102"), decimal("106")])
        #expect(orders.map(\.fees) == [decimal("1.0098"), decimal("1.0494")])
        #expect(orders[1].reduceOnly)
    }

    @Test("a short round trip with allowShort sells first, buys back and earns the fall minus fees")
    func shortRoundTrip() throws {
        let market = Market.hourly([
            "100 101 99 100",
            "100 101 98 99",  // bar 1: enter short at the close
            "98 99 96 97",  // bar 2: the sell fills at 98
            "97 98 94 95",  // bar 3: exit short
            "94 95 93 94",  // bar 4: the buy fills at 94
            "94 95 93 94",
        ])
        let run = try backtest(market, .scenario(allowShort: true), [1: .enterShort, 3: .exitShort])

        // Size: 1 000 / 99 = 10.1010… → 10.101 (a short is not capped by cash).
        // Sell 10.101 @ 98: 989.898, fee 0.989898; cash 10 000 + 989.898 − 0.989898 = 10 988.908102.
        // Buy 10.101 @ 94: 949.494, fee 0.949494; cash 10 988.908102 − 949.494 − 0.949494 = 10 038.464608.
        let trade = try #require(run.trades.first)
        #expect(trade.direction == "short")
        #expect(trade.entryPrice == decimal("98"))
        #expect(trade.exitPrice == decimal("94"))
        #expect(trade.quantity == decimal("10.101"))
        // Gross 989.898 − 949.494 = 40.404; fees 1.939392; net 38.464608.
        #expect(trade.grossPnL == decimal("40.404"))
        #expect(trade.fees == decimal("1.939392"))
        #expect(trade.netPnL == decimal("38.464608"))
        #expect(trade.returnFraction == decimal("38.464608").doubleValue / decimal("989.898").doubleValue)
        #expect(trade.barsHeld == 2)
        #expect(run.finalCash == decimal("10038.464608"))
        // While short the position is worth −10.101 × close:
        // bar 2: 10 988.908102 − 979.797 = 10 009.111102; bar 3: 10 988.908102 − 959.595 = 10 029.313102.
        #expect(
            run.equity
                == equities(["10000", "10000", "10009.111102", "10029.313102", "10038.464608", "10038.464608"]))
        #expect(run.orders.map(\.side) == [.sell, .buy])
    }

    @Test("without allowShort an enter-short signal is ignored: no order, no journal line")
    func shortsNeedPermission() throws {
        let market = Market.hourly(["100 101 99 100", "100 101 98 99", "98 99 96 97"])
        let run = try backtest(market, .scenario(), [1: .enterShort])
        #expect(run.orders.isEmpty)
        #expect(run.journal.isEmpty)
        #expect(run.equity == equities(["10000", "10000", "10000"]))
    }

    @Test("a market order fills at the next open moved by the slippage, rounded to the tick against the trader")
    func marketOrderSlippage() throws {
        let market = Market.hourly([
            "100 101 99 100",
            "100 102 99 101.3",  // bar 1: enter long
            "102.37 104 101 103",  // bar 2: buy at the open 102.37 + slippage
            "103 106 102 105",  // bar 3: exit long
            "106.53 107 104 105",  // bar 4: sell at the open 106.53 − slippage
        ])
        // Taker fee 0.075 %, slippage 5 bp.
        let run = try backtest(
            market, .scenario(taker: 0.00075, slippage: 0.0005), [1: .enterLong, 3: .exitLong])

        // Size: 1 000 / 101.3 = 9.8716… → 9.871.
        // Buy: 102.37 × 1.0005 = 102.421185 → rounded up to the tick: 102.43.
        // Notional 102.43 × 9.871 = 1 011.08653; fee × 0.00075 = 0.7583148975 → rounded up: 0.75831490.
        // Sell: 106.53 × 0.9995 = 106.476735 → rounded down: 106.47.
        // Notional 106.47 × 9.871 = 1 050.96537; fee 0.7882240275 → 0.78822403.
        #expect(run.orders.map(\.averageFillPrice) == [decimal("102.43"), decimal("106.47")])
        #expect(run.orders.map(\.fees) == [decimal("0.7583149"), decimal("0.78822403")])
        let trade = try #require(run.trades.first)
        #expect(trade.entryPrice == decimal("102.43"))
        #expect(trade.exitPrice == decimal("106.47"))
        // Gross 1 050.96537 − 1 011.08653 = 39.87884; fees 1.54653893; net 38.33230107.
        #expect(trade.grossPnL == decimal("39.87884"))
        #expect(trade.fees == decimal("1.54653893"))
        #expect(trade.netPnL == decimal("38.33230107"))
        // Cash: 10 000 − 1 011.08653 − 0.7583149 = 8 988.1551551; + 1 050.96537 − 0.78822403 = 10 038.33230107.
        #expect(run.finalCash == decimal("10038.33230107"))
        // bar 2: 8 988.1551551 + 9.871 × 103 = 10 004.8681551; bar 3: + 9.871 × 105 = 10 024.6101551.
        #expect(
            run.equity == equities(["10000", "10000", "10004.8681551", "10024.6101551", "10038.33230107"]))
    }

    @Test("a strategy that throws stops the run with the symbol, the candle time and its message")
    func strategyFailure() throws {
        let market = Market.hourly(["100 101 99 100", "100 101 99 100", "100 101 99 100", "100 101 99 100"])
        let engine = BacktestEngine(configuration: .scenario())
        do {
            _ = try engine.run(markets: [market]) { _ in ScriptedStrategy([:], failingBar: 2) }
            Issue.record("the run should have failed")
        } catch {
            guard case .kernel(.strategyFailed(let symbol, let timestamp, let message)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(symbol == Market.btc)
            #expect(timestamp == Market.time(2))
            #expect(message == "scripted failure at bar 2")
            #expect(
                error.description == "strategy for BTC/USDT failed at 2024-01-01T02:00:00Z: scripted failure at bar 2")
        }
    }
}
