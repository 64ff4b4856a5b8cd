import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

/// Strategies fed a real month of Binance BTC/USDT minutes directly (no exchange, no risk rules).
@Suite("Strategy signals on real BTC/USDT data")
struct RealDataSignalTests {
    static let january = Result { try Fixtures.canonicalCandles("binance_BTCUSDT_1m_2024-01.csv") }

    static func check(_ strategy: any Strategy, name: String) throws {
        let candles = try january.get()
        #expect(candles.count == 44_640)
        let signals = try StrategyHarness.run(strategy, candles: candles, symbol: StrategyHarness.symbol)
        let entries = signals.filter { $0.signal.action == .enterLong }
        let exits = signals.filter { $0.signal.action == .exitLong }
        #expect(!entries.isEmpty, "\(name) never entered")
        #expect(!exits.isEmpty, "\(name) never exited")
        #expect(signals.allSatisfy { $0.bar >= strategy.warmUpBars - 1 }, "\(name) signalled before its warm-up")
        for emitted in signals {
            #expect(!emitted.signal.reasoning.isEmpty, "\(name) at bar \(emitted.bar)")
            #expect(emitted.signal.reasoning.contains { $0.isNumber }, "\(name): '\(emitted.signal.reasoning)'")
            if let fraction = emitted.signal.sizeFraction { #expect(fraction > 0 && fraction <= 1) }
        }
        // Long-only: entries only when flat, exits only when long, so they alternate.
        #expect(entries.allSatisfy { $0.context.isFlat })
        #expect(exits.allSatisfy { $0.context.isLong })
        let actions = signals.map(\.signal.action).filter { $0 == .enterLong || $0 == .exitLong }
        #expect(
            zip(actions, actions.dropFirst()).allSatisfy { $0 != $1 },
            "\(name) repeated a signal while in the same state")
    }

    @Test(
        "every named strategy enters and exits on a real month, giving reasons with figures",
        arguments: StrategyRegistry.strategies.map(\.name))
    func named(name: String) throws {
        try Self.check(try StrategyRegistry.strategy(named: name).instantiate(), name: name)
    }

    @Test(
        "every entry rule with a time exit enters on a real month, giving reasons with figures",
        arguments: StrategyRegistry.entryRules.map(\.name))
    func entryRule(name: String) throws {
        let descriptor = try StrategyRegistry.composite(entry: name, exit: "TimeBasedExitMixin")
        try Self.check(try descriptor.instantiate(["x_max_bars": .integer(30)]), name: descriptor.name)
    }
}
