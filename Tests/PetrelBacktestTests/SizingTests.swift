import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Entry sizes for every sizing mode, shared cash across symbols, reversals and what happens when
/// the cash runs out, computed by hand.
@Suite("Backtest position sizing and one portfolio across symbols")
struct SizingTests {
    static let flat100 = Array(repeating: "100 100 100 100", count: 4)

    @Test("percent of equity sizes the entry from the current equity")
    func percentOfEquity() throws {
        let run = try backtest(Market.hourly(Self.flat100), .scenario(sizing: .percentOfEquity(0.25)), [1: .enterLong])
        // 25 % of 10 000 = 2 500 → 25 BTC @ 100; fee 2.5; cash 10 000 − 2 500 − 2.5 = 7 497.5.
        #expect(run.orders.map(\.quantity) == [decimal("25")])
        #expect(run.finalCash == decimal("7497.5"))
        #expect(run.finalEquity == decimal("9997.5"))
    }

    @Test("compounding (seed 003) buys the fixed amount first, then with all the cash")
    func compounding() throws {
        let market = Market.hourly([
            "100 100 100 100",
            "100 100 100 100",  // bar 1: enter; first trade: 1 000 / 100 = 10 BTC
            "100 100 100 100",  // bar 2: buy 10 @ 100, fee 1 → cash 8 999
            "110 110 110 110",  // bar 3: exit
            "110 110 110 110",  // bar 4: sell 10 @ 110 = 1 100, fee 1.1 → cash 10 097.9
            "110 110 110 110",  // bar 5: enter again with all the cash
            "110 110 110 110",  // bar 6: filled
        ])
        let run = try backtest(
            market, .scenario(sizing: .compounding(initialAmount: decimal("1000"))),
            [1: .enterLong, 3: .exitLong, 5: .enterLong])

        // All cash, less the cost reserve (taker fee 0.1 %): 10 097.9 / 1.001 = 10 087.81218781;
        // / 110 = 91.7073… → 91.707 BTC. Notional 10 087.77, fee 10.08777, cash left 0.04223.
        #expect(run.orders.filter { !$0.reduceOnly }.map(\.quantity) == [decimal("10"), decimal("91.707")])
        #expect(run.trades.first?.netPnL == decimal("97.9"))
        #expect(run.finalCash == decimal("0.04223"))
        // Equity: 0.04223 + 91.707 × 110 = 10 087.81223 (the second fee, 10.08777, is the difference).
        #expect(run.finalEquity == decimal("10087.81223"))
    }

    @Test("risk per trade sizes by equity × risk / (multiple × ATR) and waits for the ATR to warm up")
    func riskPerTrade() throws {
        // True ranges from bar 1: max(102−99, |102−100|, |99−100|) = 3; max(103−100, 2, 1) = 3;
        // max(102.5−101, 0.5, 1) = 1.5 → ATR(3) at bar 3 = (3 + 3 + 1.5) / 3 = 2.5.
        let market = Market.hourly([
            "100 101 99 100",
            "100 102 99 101",
            "101 103 100 102",  // bar 2: enter → skipped, ATR(3) not ready
            "102 102.5 101 102",  // bar 3: enter: 10 000 × 1 % / (2 × 2.5) = 20 BTC
            "102 103 101 102",  // bar 4: buy 20 @ 102
        ])
        let sizing = PositionSizing.riskPerTrade(riskFraction: 0.01, atrPeriod: 3, atrMultiple: 2)
        let run = try backtest(market, .scenario(sizing: sizing), [2: .enterLong, 3: .enterLong])

        #expect(
            run.journal("skipped").map(\.message) == ["entry skipped: ATR not warmed up yet for risk-per-trade sizing"])
        #expect(run.journal("skipped").map(\.timestamp) == [Market.time(2)])
        let entry = try #require(run.orders.first)
        #expect(entry.quantity == decimal("20"))
        #expect(entry.averageFillPrice == decimal("102"))
        // 2 040 + fee 2.04.
        #expect(run.finalCash == decimal("7957.96"))
    }

    /// BTC flat at 100 and ETH at 50 for `bars` hours, 1 000 USDT, no costs, two positions allowed.
    static func flatPair(bars: Int, btc: [Int: Signal.Action], eth: [Int: Signal.Action]) throws -> BacktestRun {
        try backtest(
            [
                Market.hourly(Array(repeating: "100 100 100 100", count: bars)),
                Market.hourly(Array(repeating: "50 50 50 50", count: bars), symbol: Market.eth),
            ],
            .scenario(taker: 0, maker: 0, risk: RiskSettings(maxPositions: 2), initialBalance: "1000"),
            scripts: [Market.btc: ScriptedStrategy(btc), Market.eth: ScriptedStrategy(eth)])
    }

    @Test("an entry with no cash left is skipped with the reason, retried on the next three bars, then dropped")
    func insufficientBalance() throws {
        // No costs: BTC buys 10 @ 100 with the whole 1 000, leaving exactly 0 for ETH at bar 3.
        let run = try Self.flatPair(bars: 8, btc: [1: .enterLong], eth: [3: .enterLong])

        let reason = "entry skipped: insufficient balance: 0 USDT free"
        #expect(
            run.journal("skipped").map(\.message) == [
                "\(reason); retrying next interval (3 left)", "\(reason); retrying next interval (2 left)",
                "\(reason); retrying next interval (1 left)", reason,
            ])
        #expect(run.journal("skipped").map(\.symbol) == Array(repeating: "ETH/USDT", count: 4))
        #expect(run.journal("skipped").map(\.timestamp) == (3...6).map { Market.time($0) })
        #expect(run.orders.count == 1)
        #expect(run.finalCash == .zero)
        #expect(run.finalPositions.map(\.quantity) == [decimal("10"), .zero])
    }

    @Test("an entry waiting for cash goes through on a later bar once an exit has freed it")
    func retryAfterExit() throws {
        let run = try Self.flatPair(bars: 7, btc: [1: .enterLong, 3: .exitLong], eth: [2: .enterLong])

        // Bar 2 and 3: no cash (BTC's exit fills at bar 4's open); bar 4: the retry buys with it.
        #expect(run.journal("skipped").map(\.timestamp) == [Market.time(2), Market.time(3)])
        #expect(run.orders.count == 3)
        #expect(run.finalPositions.map(\.quantity) == [.zero, decimal("20")])
        #expect(run.finalCash == .zero)
    }

    @Test("a buy the cash cannot pay at the next open is cut to what it affords and the rest cancelled")
    func buyCutToCash() throws {
        // All of 10 000 at the close of 100: 10 000 / 1.001 = 9 990.00999 → 99.900 BTC.
        // Bar 2 opens at 101: one BTC costs 101 × 1.001 = 101.101 with its fee; 10 000 / 101.101 =
        // 98.91099 → 98.910 BTC. Notional 9 989.91, fee 9.98991, cash 0.10009.
        let market = Market.hourly(["100 100 100 100", "100 100 100 100", "101 101 101 101"])
        let run = try backtest(market, .scenario(sizing: .percentOfEquity(1)), [1: .enterLong])

        let entry = try #require(run.orders.first)
        #expect(entry.quantity == decimal("99.9"))
        #expect(entry.filledQuantity == decimal("98.91"))
        #expect(entry.status == .cancelled)
        #expect(entry.reason == "rest not affordable with the available cash")
        #expect(run.finalPositions[0].quantity == decimal("98.91"))
        #expect(run.finalCash == decimal("0.10009"))
        #expect(!run.finalCash.isNegative)
    }

    @Test("two symbols share one cash balance and one equity curve")
    func twoSymbolsOnePortfolio() throws {
        let btc = Market.hourly([
            "100 100 100 100", "100 100 100 100", "100 102 99 101", "101 103 100 102", "102 103 101 102",
            "102 103 101 102",
        ])
        let eth = Market.hourly(
            ["50 50 50 50", "50 50 50 50", "50 52 49 51", "51 52 50 52", "52 53 51 53", "53 54 52 54"],
            symbol: Market.eth)
        let run = try backtest(
            [btc, eth], .scenario(risk: RiskSettings(maxPositions: 2)),
            scripts: [
                Market.btc: ScriptedStrategy([1: .enterLong, 3: .exitLong]),
                Market.eth: ScriptedStrategy([1: .enterLong]),
            ])

        // Bar 2: BTC 10 @ 100 (fee 1) and ETH 1 000 / 50 = 20 @ 50 (fee 1): cash 7 998.
        // Equity bar 2: 7 998 + 10 × 101 + 20 × 51 = 10 028; bar 3: 7 998 + 1 020 + 1 040 = 10 058.
        // Bar 4: BTC sold 10 @ 102 (fee 1.02): cash 9 016.98; + 20 × 53 = 10 076.98.
        // Bar 5: 9 016.98 + 20 × 54 = 10 096.98.
        #expect(run.equity == equities(["10000", "10000", "10028", "10058", "10076.98", "10096.98"]))
        #expect(run.timestamps == (0..<6).map(Market.time))
        #expect(run.finalCash == decimal("9016.98"))
        #expect(run.totalFees == decimal("3.02"))
        #expect(run.trades.map(\.symbol) == [Market.btc])
        #expect(run.trades.first?.netPnL == decimal("17.98"))
        #expect(run.finalPositions.map(\.quantity) == [.zero, decimal("20")])
        #expect(run.markets.map(\.symbol) == [Market.btc, Market.eth])
    }

    @Test("entering short while long (allowShort) closes the long first, then opens the short")
    func reversal() throws {
        let market = Market.hourly([
            "100 101 99 100",
            "100 101 99 100",  // bar 1: enter long
            "100 101 99 100",  // bar 2: buy 10 @ 100; cash 8 999
            "100 101 99 100",  // bar 3: enter short: close the long and sell 1 000 / 100 = 10 short
            "102 103 101 102",  // bar 4: both at the open 102
            "102 102 100 101",  // bar 5: exit short
            "101 101 100 100.5",  // bar 6: buy back 10 @ 101
        ])
        let run = try backtest(market, .scenario(allowShort: true), [1: .enterLong, 3: .enterShort, 5: .exitShort])

        // Long: +20 gross, fees 1 + 1.02, net 17.98. Short: sold 10 @ 102, bought @ 101: +10 gross,
        // fees 1.02 + 1.01, net 7.97. Cash: 8 999 + 1 020 − 1.02 = 10 017.98; + 1 020 − 1.02 =
        // 11 036.96; − 1 010 − 1.01 = 10 025.95.
        #expect(run.trades.map(\.direction) == ["long", "short"])
        #expect(run.trades.map(\.exitReason) == ["exit", "exit"])
        #expect(run.trades.map(\.netPnL) == [decimal("17.98"), decimal("7.97")])
        #expect(run.trades.map(\.entryPrice) == [decimal("100"), decimal("102")])
        #expect(run.trades.map(\.exitPrice) == [decimal("102"), decimal("101")])
        #expect(run.trades[1].entryReasoning == "scripted enter_short at bar 3")
        #expect(run.orders.map(\.side) == [.buy, .sell, .sell, .buy])
        #expect(run.orders.map(\.reduceOnly) == [false, true, false, true])
        #expect(run.finalCash == decimal("10025.95"))
        // bar 4: 11 036.96 − 10 × 102 = 10 016.96; bar 5: 11 036.96 − 10 × 101 = 10 026.96.
        #expect(
            run.equity
                == equities(["10000", "10000", "9999", "9999", "10016.96", "10026.96", "10025.95"]))
    }
}
