import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

/// Entry and exit rules on hand-built candles where the exact firing bar is known.
@Suite("Entry and exit rules on hand-built candles")
struct RuleTests {
    /// `RSIBBEntryMixin` with RSI(3), oversold 30, Bollinger(5, 1.5), built through the registry.
    static func rsiBollingerEntry() throws -> any EntryRule {
        let rule = try #require(StrategyRegistry.entryRules.first { $0.name == "RSIBBEntryMixin" })
        return rule.make(
            try rule.schema.resolve([
                "e_rsi_period": .integer(3), "e_rsi_oversold": .integer(30), "e_bb_period": .integer(5),
                "e_bb_dev": .number(1.5),
            ]))
    }

    /// Feeds closes to an entry rule while flat; returns the signal of every bar.
    static func entrySignals(_ rule: any EntryRule, closes: [String]) -> [Signal?] {
        var rule = rule
        return TestCandles.closes(closes).enumerated().map { bar, candle in
            rule.evaluate(candle, context: StrategyHarness.context(bar: bar))
        }
    }

    @Test("RSIBBEntry fires on the first bar where RSI < 30 and the close is at or below the lower band")
    func rsiBollingerFires() throws {
        // RSI(3) (Wilder): gains +1, +1, +1 → 100 at bar 3 and bar 4; bar 5 falls 9:
        // avg gain (1·2 + 0)/3 = 0.667, avg loss (0·2 + 9)/3 = 3 → RSI = 0.667 / 3.667 = 18.18 < 30.
        // Bollinger(5) at bar 5: 101 … 104, 95 → mean 101, σ = √((0+1+4+9+36)/5) = √10 = 3.162;
        // lower = 101 − 1.5 × 3.162 = 96.26 ≥ 95.
        // The bands warm up at bar 4, one bar after the RSI: bar 5 is the first bar both can agree.
        let signals = Self.entrySignals(
            try Self.rsiBollingerEntry(), closes: ["100", "101", "102", "103", "104", "95"])
        #expect(signals.prefix(5).allSatisfy { $0 == nil })
        let signal = try #require(signals[5])
        #expect(signal.action == .enterLong)
        #expect(signal.reasoning == "RSI 18.18 < 30.00 and close 95 ≤ lower band 96.26")
    }

    @Test("RSIBBEntry stays quiet when only the RSI is oversold")
    func rsiBollingerNeedsTheBand() throws {
        // A steady decline: RSI(3) = 0 from bar 3, but each close sits 1.414σ under the mean,
        // inside the 1.5σ band (bar 4: lower 99.88 < close 100).
        let signals = Self.entrySignals(
            try Self.rsiBollingerEntry(), closes: ["104", "103", "102", "101", "100", "99", "98"])
        #expect(signals.allSatisfy { $0 == nil })
    }

    @Test("RSIBBEntry stays quiet when only the band is broken")
    func rsiBollingerNeedsTheRSI() throws {
        // After big gains, bar 6 closes on its collapsed band (100 ≤ 100) and bar 7 under it
        // (97 ≤ 97.6), but RSI(3) is 100 and then (3.29 / (3.29 + 1)) = 76.7: not oversold.
        let signals = Self.entrySignals(
            try Self.rsiBollingerEntry(), closes: ["50", "80", "100", "100", "100", "100", "100", "97"])
        #expect(signals.allSatisfy { $0 == nil })
    }

    @Test("TimeBasedExit exits once the position has been open for N candles, and only when long")
    func timeBasedExit() throws {
        var rule = TimeBasedExit(maximumBars: 3)
        let candle = TestCandles.candle("100", "101", "99", "100", at: TestCandles.newYear2024)
        for held in 0..<3 {
            #expect(
                rule.evaluate(
                    candle,
                    context: StrategyHarness.context(bar: held, quantity: "1", entry: "100", barsInPosition: held))
                    == nil)
        }
        let third = rule.evaluate(
            candle, context: StrategyHarness.context(bar: 3, quantity: "1", entry: "100", barsInPosition: 3))
        let signal = try #require(third)
        #expect(signal.action == .exitLong)
        #expect(signal.reasoning == "held 3 candles (limit 3)")
        #expect(rule.evaluate(candle, context: StrategyHarness.context(bar: 9, barsInPosition: 9)) == nil)
    }

    @Test("FixedRatioExit takes profit at +x % and stops at −y % of the entry, on closes")
    func fixedRatioExit() throws {
        var rule = FixedRatioExit(takeProfitPct: 4, stopLossPct: 2)
        let long = StrategyHarness.context(bar: 5, quantity: "1", entry: "100", barsInPosition: 1)
        func close(_ price: String) -> Candle {
            TestCandles.candle(price, price, price, price, at: TestCandles.newYear2024)
        }
        #expect(rule.evaluate(close("103.99"), context: long) == nil)
        #expect(rule.evaluate(close("98.01"), context: long) == nil)
        let atTarget = rule.evaluate(close("104"), context: long)
        let profit = try #require(atTarget)
        #expect(profit.action == .exitLong)
        #expect(profit.reasoning == "gain 4.00% ≥ take profit 4.00%")
        let atStop = rule.evaluate(close("98"), context: long)
        let loss = try #require(atStop)
        #expect(loss.reasoning == "loss 2.00% ≥ stop loss 2.00%")
        #expect(rule.evaluate(close("90"), context: StrategyHarness.context(bar: 6)) == nil)
    }

    @Test("TrailingStopExit trails the highest close once activated and exits on the first close under it")
    func trailingStopExit() throws {
        var rule = TrailingStopExit(trailPct: 2, activationPct: 3)
        var immediate = TrailingStopExit(trailPct: 2, activationPct: 0)
        let long = StrategyHarness.context(bar: 1, quantity: "1", entry: "100", barsInPosition: 1)
        func close(_ price: String) -> Candle {
            TestCandles.candle(price, price, price, price, at: TestCandles.newYear2024)
        }

        // High 102.5 < activation 103: no trailing yet, although 100.4 is 2 % under 102.5 (100.45)…
        #expect(rule.evaluate(close("102.5"), context: long) == nil)
        #expect(rule.evaluate(close("100.4"), context: long) == nil)
        // … which the same rule without activation exits on.
        #expect(immediate.evaluate(close("102.5"), context: long) == nil)
        #expect(immediate.evaluate(close("100.4"), context: long)?.action == .exitLong)

        // 104 activates; the stop is 104 × 0.98 = 101.92: 102 holds, 101.9 exits.
        #expect(rule.evaluate(close("104"), context: long) == nil)
        #expect(rule.evaluate(close("102"), context: long) == nil)
        let underStop = rule.evaluate(close("101.9"), context: long)
        let exit = try #require(underStop)
        #expect(exit.reasoning == "close 101.9 ≤ trailing stop 101.92 (2.00% below high 104.00)")

        // Flat resets the high: a new position starts trailing from its own closes.
        #expect(rule.evaluate(close("80"), context: StrategyHarness.context(bar: 7)) == nil)
        #expect(rule.evaluate(close("100"), context: long) == nil)
    }
}
