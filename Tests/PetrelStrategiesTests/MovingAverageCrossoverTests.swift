import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

@Suite("Moving-average crossover on hand-built candles")
struct MovingAverageCrossoverTests {
    /// SMA(2) and SMA(3) over 10, 10, 10, 13, 7, 4:
    /// bar 2: 10 vs 10 (equal); bar 3: 11.5 vs 11 (above: golden cross); bar 4: 10 vs 10 (touching,
    /// no cross); bar 5: 5.5 vs 8 (below: death cross).
    static let candles = TestCandles.closes(["10", "10", "10", "13", "7", "4"])

    static func strategy() throws -> any Strategy {
        try StrategyRegistry.strategy(named: "ma_crossover").instantiate([
            "fast_period": .integer(2), "slow_period": .integer(3), "ma_type": .text("sma"),
        ])
    }

    @Test("a golden cross enters long and the death cross exits it")
    func longOnly() throws {
        let signals = try StrategyHarness.run(
            try Self.strategy(), candles: Self.candles, symbol: StrategyHarness.symbol)
        #expect(signals.map(\.bar) == [3, 5])
        #expect(signals.map(\.signal.action) == [.enterLong, .exitLong])
        #expect(signals[0].signal.reasoning == "golden cross: fast SMA 11.50 crossed above slow SMA 11.00")
        #expect(signals[1].signal.reasoning == "death cross: fast SMA 5.50 crossed below slow SMA 8.00")
        #expect(signals[1].context.isLong)
    }

    @Test("a death cross while flat asks for a short, and a golden cross covers it")
    func shorts() throws {
        var strategy = try Self.strategy()
        var signals: [Signal?] = []
        for (bar, candle) in Self.candles.enumerated() {
            // Short throughout: the golden cross at bar 3 covers.
            signals.append(
                try strategy.onCandle(candle, context: StrategyHarness.context(bar: bar, quantity: "-1", entry: "10")))
        }
        #expect(signals[3]?.action == .exitShort)
        #expect(signals[3]?.reasoning == "golden cross: fast SMA 11.50 crossed above slow SMA 11.00")

        var flat = try Self.strategy()
        let flatSignals = try Self.candles.enumerated().map { bar, candle in
            try flat.onCandle(candle, context: StrategyHarness.context(bar: bar))
        }
        #expect(flatSignals.compactMap { $0?.action } == [.enterLong, .enterShort])
        #expect(flatSignals[5]?.reasoning == "death cross: fast SMA 5.50 crossed below slow SMA 8.00")
    }

    @Test("the warm-up is the slow average's length plus the bar that confirms a cross")
    func warmUp() throws {
        #expect(try Self.strategy().warmUpBars == 4)
        #expect(try StrategyRegistry.strategy(named: "ma_crossover").instantiate().warmUpBars == 51)
    }
}
