import PetrelAnalytics
import Testing

@Suite("Closed-trade statistics")
struct TradeStatisticsTests {
    /// Eight trades in exit order: W W L B L L L W (B = breakeven).
    static let trades: [TradeOutcome] = {
        let pnls: [Double] = [50, 30, -20, 0, -10, -15, -5, 40]
        return pnls.enumerated().map { index, pnl in
            let entry = Int64(index) * 10_000
            return TradeOutcome(
                entryTime: entry, exitTime: entry + Int64(index + 1) * 1_000, pnl: pnl, returnFraction: pnl / 1_000,
                fees: 1, isLong: index % 3 != 2, symbol: index < 4 ? "BTCUSDT" : "ETHUSDT")
        }
    }()

    let stats = TradeStatistics.compute(trades: trades)

    @Test("counts wins, losses and breakevens, and divides wins by all trades for the win rate")
    func counts() {
        #expect(stats.count == 8)
        #expect(stats.winningCount == 3)
        #expect(stats.losingCount == 4)
        #expect(stats.breakevenCount == 1)
        #expect(stats.longCount == 6)  // indices 2 and 5 are short
        #expect(stats.shortCount == 2)
        #expect(stats.winRate == 3.0 / 8.0)  // the breakeven trade counts in the denominator
    }

    @Test("profit factor divides gross profit by gross loss")
    func profitFactor() {
        // gross profit 50 + 30 + 40 = 120; gross loss 20 + 10 + 15 + 5 = 50; PF = 2.4
        #expect(stats.grossProfit == 120)
        #expect(stats.grossLoss == 50)
        #expect(stats.netProfit == 70)
        #expect(isClose(stats.profitFactor, 2.4))
    }

    @Test("expectancy, average win and loss and payoff ratio are per-trade means")
    func means() {
        #expect(isClose(stats.expectancy, 70.0 / 8.0))  // 8.75
        #expect(isClose(stats.averageWin, 40))  // 120 / 3
        #expect(isClose(stats.averageLoss, -12.5))  // −50 / 4, negative by convention
        #expect(isClose(stats.payoffRatio, 3.2))  // 40 / 12.5
        #expect(isClose(stats.averageReturn, 0.07 / 8))
        #expect(stats.bestTrade == 50)
        #expect(stats.worstTrade == -20)
        #expect(isClose(stats.bestTradeReturn, 0.05))
        #expect(isClose(stats.worstTradeReturn, -0.02))
        #expect(stats.feesPaid == 8)
        // holding times 1 000 … 8 000 ms: mean 4 500
        #expect(stats.averageHoldingMilliseconds == 4_500)
    }

    @Test("SQN is root N times mean over sample deviation of the P&Ls")
    func systemQualityNumber() {
        // deviations from 8.75: 41.25, 21.25, −28.75, −8.75, −18.75, −23.75, −13.75, 31.25
        // Σd² = 5137.5; sample var = 5137.5 / 7 = 733.928571; std = 27.0911160978755
        // SQN = √8 · 8.75 / 27.0911160978755 = 0.913537015312187
        #expect(isClose(stats.sqn, 0.9135370153121869))
    }

    @Test("a breakeven trade ends both streaks")
    func streaks() {
        // W W L B L L L W: wins run 2; losses run 1, then 3 after the breakeven (not 4)
        #expect(stats.maxConsecutiveWins == 2)
        #expect(stats.maxConsecutiveLosses == 3)
    }

    @Test("per-symbol statistics split the list by symbol")
    func bySymbol() throws {
        let grouped = TradeStatistics.computeBySymbol(trades: Self.trades)
        #expect(grouped.keys.sorted() == ["BTCUSDT", "ETHUSDT"])
        let btc = try #require(grouped["BTCUSDT"])
        #expect(btc.count == 4 && btc.netProfit == 60)
        let eth = try #require(grouped["ETHUSDT"])
        #expect(eth.count == 4 && eth.netProfit == 10 && eth.maxConsecutiveLosses == 3)
    }

    @Test("without a losing trade the profit factor and average loss are nil, not infinite")
    func noLosses() {
        let wins = [10.0, 20, 0].map { TradeOutcome(entryTime: 0, exitTime: 1, pnl: $0, returnFraction: $0 / 100) }
        let s = TradeStatistics.compute(trades: wins)
        #expect(s.profitFactor == nil)
        #expect(s.averageLoss == nil)
        #expect(s.payoffRatio == nil)
        #expect(s.grossLoss == 0)
        #expect(s.maxConsecutiveLosses == 0)
        #expect(isClose(s.winRate, 2.0 / 3.0))
    }

    @Test("when every trade loses the profit factor and win rate are zero")
    func allLosses() {
        let losses = [-10.0, -20, -30].map {
            TradeOutcome(entryTime: 0, exitTime: 1, pnl: $0, returnFraction: $0 / 100)
        }
        let s = TradeStatistics.compute(trades: losses)
        #expect(s.winRate == 0)
        #expect(s.profitFactor == 0)
        #expect(s.averageWin == nil)
        #expect(s.payoffRatio == nil)
        #expect(s.maxConsecutiveLosses == 3)
        #expect(s.maxConsecutiveWins == 0)
        // mean −20, sample std 10: SQN = √3 · (−20) / 10
        #expect(isClose(s.sqn, -2 * 3.0.squareRoot()))
    }

    @Test("SQN is nil for a single trade or identical P&Ls")
    func sqnUndefined() {
        let one = [TradeOutcome(entryTime: 0, exitTime: 1, pnl: 5, returnFraction: 0.05)]
        #expect(TradeStatistics.compute(trades: one).sqn == nil)
        let same = Array(repeating: one[0], count: 4)
        #expect(TradeStatistics.compute(trades: same).sqn == nil)
    }

    @Test("no trades gives zero counts and sums and nil ratios")
    func empty() {
        let s = TradeStatistics.compute(trades: [])
        #expect(s == TradeStatistics.empty)
        #expect(s.count == 0 && s.winRate == nil && s.profitFactor == nil && s.expectancy == nil)
        #expect(s.grossProfit == 0 && s.feesPaid == 0)
    }
}
