import PetrelAnalytics
import PetrelCore
import PetrelRuntime

extension BacktestResult {
    /// Rows of (label, value) for the summary table and the HTML report.
    public var summaryRows: [(String, String)] {
        let s = statistics
        let t = s.trades
        func pct(_ v: Double?) -> String { v.map { percentText($0) } ?? "—" }
        func num(_ v: Double?, _ d: Int = 2) -> String { v.map { $0.decimalText(d) } ?? "—" }
        let quote = markets.first?.symbol.quote ?? ""
        var rows: [(String, String)] = [
            ("Strategy", strategy.name),
            ("Markets", markets.map { "\($0.symbol) \($0.timeframe.rawValue)" }.joined(separator: ", ")),
            ("Period", periodText),
            ("Candles", String(markets.reduce(0) { $0 + $1.candles })),
            ("Initial balance", "\(settings.initialBalance) \(quote)"),
            ("Final equity", "\(cents(finalEquity)) \(quote)"),
            ("Total return", pct(s.totalReturn)),
            ("Buy & hold", pct(s.buyAndHoldReturn)),
            ("CAGR", pct(s.cagr)),
            ("Annual volatility", pct(s.annualVolatility)),
            ("Sharpe", num(s.sharpeRatio)),
            ("Sortino", num(s.sortinoRatio)),
            ("Calmar", num(s.calmarRatio)),
            ("Max drawdown", pct(s.maxDrawdown.map { -$0 })),
        ]
        if let episode = s.maxDrawdownEpisode, let start = episode.peakTime {
            let end = episode.recoveryTime.map { CivilDate.iso8601(milliseconds: $0) } ?? "not recovered"
            rows.append(("Max drawdown period", "\(CivilDate.iso8601(milliseconds: start)) → \(end)"))
        }
        rows += [
            ("VaR 95% / 99% (per bar)", "\(pct(s.valueAtRisk95)) / \(pct(s.valueAtRisk99))"),
            ("CVaR 95% / 99% (per bar)", "\(pct(s.conditionalValueAtRisk95)) / \(pct(s.conditionalValueAtRisk99))"),
            ("Exposure time", pct(s.exposureTime)),
            ("Trades", String(t.count)),
            ("Win rate", pct(t.winRate)),
            ("Profit factor", num(t.profitFactor)),
            ("Expectancy", num(t.expectancy)),
            ("SQN", num(t.sqn)),
            ("Average win / loss", "\(num(t.averageWin)) / \(num(t.averageLoss))"),
            ("Best / worst trade", "\(num(t.bestTrade)) / \(num(t.worstTrade))"),
            ("Max consecutive wins / losses", "\(t.maxConsecutiveWins) / \(t.maxConsecutiveLosses)"),
            ("Fees paid", "\(cents(totalFees)) \(quote)"),
            ("Trading state", tradingState.rawValue),
        ]
        return rows
    }

    var periodText: String {
        guard let first = markets.map(\.firstTimestamp).min(), let last = markets.map(\.lastTimestamp).max() else {
            return "—"
        }
        return "\(CivilDate.iso8601(milliseconds: first)) → \(CivilDate.iso8601(milliseconds: last))"
    }

    /// A fixed-width text table for the terminal.
    public var summaryTable: String {
        let rows = summaryRows
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(
            separator: "\n")
    }
}

/// An amount rounded half-even to cents for display: `6013.46`.
func cents(_ amount: Money) -> String {
    ((try? amount.rounded(toStep: FixedPoint(rawValue: 1_000_000), rule: .halfEven)) ?? amount).formatted(
        minimumFractionDigits: 2)
}

/// `0.1234` → `12.34%`.
func percentText(_ value: Double) -> String {
    (value * 100).decimalText(2) + "%"
}
