/// Statistics of a list of closed trades: win rate, profit factor, expectancy, SQN, streaks.
///
/// A trade is a **win** when `pnl > 0`, a **loss** when `pnl < 0`, and **breakeven** when
/// `pnl == 0`; breakeven trades count in ``count`` (and so lower the win rate) but are neither
/// wins nor losses, and they end a streak. Streaks follow the order of the list (pass trades
/// by exit time). Undefined values are `nil`, never NaN or infinity.
public struct TradeStatistics: Sendable, Hashable, Codable {
    /// Number of trades.
    public var count: Int
    /// Trades with `pnl > 0`.
    public var winningCount: Int
    /// Trades with `pnl < 0`.
    public var losingCount: Int
    /// Trades with `pnl == 0`.
    public var breakevenCount: Int
    /// Long trades.
    public var longCount: Int
    /// Short trades.
    public var shortCount: Int
    /// `winningCount / count`; `nil` without trades.
    public var winRate: Double?
    /// Sum of the winning P&Ls (≥ 0; 0 without trades).
    public var grossProfit: Double?
    /// Sum of the losing P&Ls' magnitudes, as a **positive** number.
    public var grossLoss: Double?
    /// Sum of all P&Ls (`grossProfit − grossLoss`).
    public var netProfit: Double?
    /// `grossProfit / grossLoss`; `nil` without trades or without a losing trade (it would be
    /// infinite: check `losingCount == 0 && winningCount > 0` to show "∞").
    public var profitFactor: Double?
    /// Mean P&L per trade (`netProfit / count`); `nil` without trades.
    public var expectancy: Double?
    /// Mean ``TradeOutcome/returnFraction`` per trade; `nil` without trades.
    public var averageReturn: Double?
    /// Van Tharp's System Quality Number `√N · mean(pnl) / std(pnl)` with the sample (n − 1)
    /// deviation, over all N trades (not capped at 100); `nil` for fewer than two trades or
    /// identical P&Ls.
    public var sqn: Double?
    /// Mean P&L of the winning trades; `nil` without a win.
    public var averageWin: Double?
    /// Mean P&L of the losing trades, a **negative** number; `nil` without a loss.
    public var averageLoss: Double?
    /// `averageWin / |averageLoss|` (payoff ratio); `nil` unless there are wins and losses.
    public var payoffRatio: Double?
    /// Largest P&L; `nil` without trades.
    public var bestTrade: Double?
    /// Smallest (most negative) P&L; `nil` without trades.
    public var worstTrade: Double?
    /// Largest return fraction; `nil` without trades.
    public var bestTradeReturn: Double?
    /// Smallest return fraction; `nil` without trades.
    public var worstTradeReturn: Double?
    /// Longest run of consecutive wins.
    public var maxConsecutiveWins: Int
    /// Longest run of consecutive losses.
    public var maxConsecutiveLosses: Int
    /// Mean holding time in milliseconds; `nil` without trades.
    public var averageHoldingMilliseconds: Double?
    /// Sum of the trades' fees (0 without trades).
    public var feesPaid: Double?

    /// Computes the statistics of `trades`.
    /// - Parameters:
    ///   - trades: closed trades in exit order (the order matters only for streaks).
    ///   - estimator: deviation for the SQN; sample (n − 1) by default, as Van Tharp uses.
    /// - Returns: the statistics (counts and sums 0, ratios and means `nil` for an empty list).
    /// - Complexity: O(n), two passes, no allocation.
    public static func compute(
        trades: [TradeOutcome],
        estimator: AnalyticsConventions.DeviationEstimator = .sample
    ) -> TradeStatistics {
        var s = TradeStatistics()
        guard !trades.isEmpty else { return s }
        var profit = 0.0, loss = 0.0, returns = 0.0, fees = 0.0, holding = 0.0
        var best = -Double.infinity, worst = Double.infinity
        var bestReturn = -Double.infinity, worstReturn = Double.infinity
        var winStreak = 0, lossStreak = 0
        for trade in trades {
            if trade.pnl > 0 {
                s.winningCount += 1
                profit += trade.pnl
                winStreak += 1
                lossStreak = 0
            } else if trade.pnl < 0 {
                s.losingCount += 1
                loss -= trade.pnl
                lossStreak += 1
                winStreak = 0
            } else {
                s.breakevenCount += 1
                winStreak = 0
                lossStreak = 0
            }
            s.maxConsecutiveWins = Swift.max(s.maxConsecutiveWins, winStreak)
            s.maxConsecutiveLosses = Swift.max(s.maxConsecutiveLosses, lossStreak)
            if trade.isLong { s.longCount += 1 } else { s.shortCount += 1 }
            best = Swift.max(best, trade.pnl)
            worst = Swift.min(worst, trade.pnl)
            bestReturn = Swift.max(bestReturn, trade.returnFraction)
            worstReturn = Swift.min(worstReturn, trade.returnFraction)
            returns += trade.returnFraction
            fees += trade.fees
            holding += Double(trade.holdingMilliseconds)
        }
        let n = Double(trades.count)
        s.count = trades.count
        s.winRate = Double(s.winningCount) / n
        s.grossProfit = Analytics.finite(profit)
        s.grossLoss = Analytics.finite(loss)
        s.netProfit = Analytics.finite(profit - loss)
        s.profitFactor = loss > 0 ? Analytics.finite(profit / loss) : nil
        let expectancy = (profit - loss) / n
        s.expectancy = Analytics.finite(expectancy)
        s.averageReturn = Analytics.finite(returns / n)
        s.averageWin = s.winningCount > 0 ? Analytics.finite(profit / Double(s.winningCount)) : nil
        s.averageLoss = s.losingCount > 0 ? Analytics.finite(-loss / Double(s.losingCount)) : nil
        if let win = s.averageWin, let lossMean = s.averageLoss, lossMean != 0 {
            s.payoffRatio = Analytics.finite(win / -lossMean)
        }
        s.bestTrade = Analytics.finite(best)
        s.worstTrade = Analytics.finite(worst)
        s.bestTradeReturn = Analytics.finite(bestReturn)
        s.worstTradeReturn = Analytics.finite(worstReturn)
        s.averageHoldingMilliseconds = Analytics.finite(holding / n)
        s.feesPaid = Analytics.finite(fees)
        s.sqn = systemQualityNumber(trades, mean: expectancy, estimator: estimator)
        return s
    }

    /// Statistics per ``TradeOutcome/symbol`` (trades without a symbol are grouped under `""`).
    /// - Parameters:
    ///   - trades: closed trades in exit order.
    ///   - estimator: deviation for the SQN.
    /// - Returns: one entry per symbol.
    /// - Complexity: O(n); allocates one list per symbol.
    public static func computeBySymbol(
        trades: [TradeOutcome],
        estimator: AnalyticsConventions.DeviationEstimator = .sample
    ) -> [String: TradeStatistics] {
        Dictionary(grouping: trades, by: { $0.symbol ?? "" })
            .mapValues { compute(trades: $0, estimator: estimator) }
    }

    /// `√N · mean / std` of the P&Ls, or `nil` when undefined.
    static func systemQualityNumber(
        _ trades: [TradeOutcome],
        mean: Double,
        estimator: AnalyticsConventions.DeviationEstimator
    ) -> Double? {
        let divisor = estimator == .sample ? trades.count - 1 : trades.count
        guard trades.count >= 2, divisor > 0, mean.isFinite else { return nil }
        var squares = 0.0
        for trade in trades {
            let deviation = trade.pnl - mean
            squares += deviation * deviation
        }
        let deviation = (squares / Double(divisor)).squareRoot()
        // P&Ls are in currency: "identical" is judged relative to their size.
        guard deviation > Analytics.zeroDeviationThreshold * Swift.max(1, mean.magnitude) else { return nil }
        return Analytics.finite(Double(trades.count).squareRoot() * mean / deviation)
    }

    /// Empty statistics: no trades.
    private init() {
        count = 0
        winningCount = 0
        losingCount = 0
        breakevenCount = 0
        longCount = 0
        shortCount = 0
        maxConsecutiveWins = 0
        maxConsecutiveLosses = 0
        grossProfit = 0
        grossLoss = 0
        netProfit = 0
        feesPaid = 0
    }

    /// Statistics of an empty trade list (counts and sums 0, ratios and means `nil`).
    public static let empty = TradeStatistics()
}
