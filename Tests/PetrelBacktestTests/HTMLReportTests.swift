import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("HTML backtest report")
struct HTMLReportTests {
    static let hostile = "RSI < 30 & close > band \"quoted\" <script>alert('x')</script>"

    /// The long round trip of ``RoundTripTests`` with a reasoning full of HTML.
    static func result(name: String = "scripted <b>test</b>") throws -> (BacktestResult, [Candle]) {
        let market = Market.hourly([
            "100 101 99 100", "100 102 99 101", "102 104 101 103", "103 106 102 105", "106 107 104 105",
            "105 106 104 104",
        ])
        let configuration = BacktestConfiguration.scenario()
        let strategy = ScriptedStrategy(signals: [
            1: Signal(.enterLong, reasoning: hostile), 3: Signal(.exitLong, reasoning: "done"),
        ])
        let run = try BacktestEngine(configuration: configuration).run(markets: [market]) { _ in strategy }
        let result = BacktestResult(
            run: run, strategy: .init(name: name, parameters: ["note": .text("a<b")]), configuration: configuration)
        return (result, market.candles)
    }

    @Test("the report is one self-contained document: no scripts, no external files, inline SVG charts")
    func selfContained() throws {
        let (result, candles) = try Self.result()
        let html = HTMLReport.render(result, candles: [candles])
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("href="))
        // Price, equity and drawdown.
        #expect(html.split(separator: "<svg", omittingEmptySubsequences: false).count - 1 == 3)
        #expect(html.split(separator: "</svg>", omittingEmptySubsequences: false).count - 1 == 3)
        #expect(html.contains("<style>"))
    }

    @Test("every statistics row appears, escaped, in the statistics table")
    func statisticsRows() throws {
        let (result, candles) = try Self.result()
        let html = HTMLReport.render(result, candles: [candles])
        let rows = result.summaryRows
        #expect(rows.count >= 25)
        for (label, value) in rows {
            let escapedValue = value.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
            #expect(
                html.contains("<tr><th>\(label.replacingAll("&", "&amp;"))</th><td>\(escapedValue)</td></tr>"),
                "row \(label)")
        }
        let values = Dictionary(rows, uniquingKeysWith: { a, _ in a })
        #expect(values["Trades"] == "1")
        #expect(values["Final equity"] == "10037.54 USDT")  // exact 10037.5408, shown in cents
        #expect(values["Initial balance"] == "10000 USDT")
        #expect(values["Fees paid"] == "2.06 USDT")  // exact 2.0592, shown in cents
        #expect(values["Total return"] == "0.38%")
        #expect(values["Win rate"] == "100.00%")
        #expect(values["Trading state"] == "active")
        #expect(values["Candles"] == "6")
        // One trade row in the trade list.
        #expect(html.contains("<h2>Trades (1)</h2>"))
        #expect(html.contains("<td>102</td><td>106</td><td>9.9</td><td>37.5408</td>"))
    }

    @Test("reasoning, strategy names and parameter values are escaped, never injected")
    func escaping() throws {
        let (result, candles) = try Self.result()
        let html = HTMLReport.render(result, candles: [candles])
        #expect(!html.contains(Self.hostile))
        #expect(!html.contains("<b>test</b>"))
        #expect(
            html.contains(
                "RSI &lt; 30 &amp; close &gt; band &quot;quoted&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("<title>Petrel backtest — scripted &lt;b&gt;test&lt;/b&gt;</title>"))
        #expect(html.contains("<tr><th>note</th><td>a&lt;b</td></tr>"))
    }

    @Test("a run without trades says so instead of drawing an empty table")
    func noTrades() throws {
        let market = Market.hourly(["100 101 99 100", "100 101 99 100"])
        let run = try backtest(market, .scenario(), [:])
        let result = BacktestResult(
            run: run, strategy: .init(name: "idle", parameters: [:]), configuration: .scenario())
        let html = HTMLReport.render(result, candles: [market.candles])
        #expect(html.contains("<h2>Trades (0)</h2><p class=\"empty\">No trades.</p>"))
        #expect(!html.contains("<h3>Parameters</h3>"))
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    fileprivate func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
