import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

/// Every built-in strategy and every entry × exit composite backtested over a real month of
/// Binance BTC/USDT minutes (January 2024, 44 640 candles).
@Suite("Built-in strategies backtested on real BTC/USDT data")
struct RealDataStrategyTests {
    static let composites: [String] = StrategyRegistry.entryRules.flatMap { entry in
        StrategyRegistry.exitRules.map { "\(entry.name)+\($0.name)" }
    }

    /// Loaded once for all cases.
    static let january = Result { try loadMarket() }

    static func market() throws -> BacktestMarket { try january.get() }

    /// Binance's BTCUSDT rules: cent ticks, 0.00001 BTC lots, 5 USDT minimum order.
    static func loadMarket() throws -> BacktestMarket {
        let candles = try Fixtures.canonicalCandles("binance_BTCUSDT_1m_2024-01.csv")
        let rules = try InstrumentRules(
            symbol: Market.btc, tickSize: decimal("0.01"), stepSize: decimal("0.00001"),
            minQuantity: decimal("0.00001"),
            minNotional: decimal("5"))
        return BacktestMarket(rules: rules, timeframe: .m1, candles: candles)
    }

    static let configuration = BacktestConfiguration(
        initialBalance: decimal("10000"), costs: ExecutionCosts(makerFee: 0.001, takerFee: 0.001, slippage: 0.0001),
        sizing: .percentOfEquity(0.5))

    /// Checks what every run must show: trades with reasons, a journal line with reasoning for
    /// every signal, one equity point per candle, fees paid and no cash overdrawn.
    static func checkTraded(_ run: BacktestRun, candles: Int, name: String) {
        #expect(!run.trades.isEmpty, "\(name) never traded")
        #expect(run.equity.count == candles)
        let signals = run.journal("signal")
        #expect(signals.count >= run.trades.count * 2, "\(name): an entry and an exit signal per trade")
        for line in signals {
            let parts = line.message.split(separator: ":", maxSplits: 1)
            let action = parts.first.map(String.init) ?? ""
            let reasoning = parts.count == 2 ? String(parts[1].drop { $0 == " " }) : ""
            #expect(Signal.Action(rawValue: action) != nil, "\(name): \(line.message)")
            #expect(!reasoning.isEmpty, "\(name): a signal without reasoning at \(line.timestamp)")
            let quotesFigure = reasoning.contains { $0.isNumber }
            #expect(quotesFigure, "\(name): '\(reasoning)' quotes no figure")
        }
        for trade in run.trades {
            #expect(!trade.entryReasoning.isEmpty)
            #expect(trade.direction == "long")
            #expect(trade.exitTime >= trade.entryTime)
            #expect(trade.netPnL == trade.grossPnL - trade.fees)
        }
        #expect(run.totalFees.isPositive)
        #expect(!run.finalCash.isNegative)
        #expect(run.journalDropped == 0)
    }

    @Test(
        "every named strategy trades on a real month and explains every signal",
        arguments: StrategyRegistry.strategies.map(\.name))
    func namedStrategy(name: String) throws {
        let market = try Self.market()
        let descriptor = try StrategyRegistry.strategy(named: name)
        let run = try BacktestEngine(configuration: Self.configuration).run(markets: [market]) { _ in
            try descriptor.instantiate()
        }
        Self.checkTraded(run, candles: market.candles.count, name: name)
    }

    @Test("every entry × exit composite trades on a real month and explains every signal", arguments: composites)
    func composite(pair: String) throws {
        let names = pair.split(separator: "+").map(String.init)
        let descriptor = try StrategyRegistry.composite(entry: names[0], exit: names[1])
        let market = try Self.market()
        let run = try BacktestEngine(configuration: Self.configuration).run(markets: [market]) { _ in
            try descriptor.instantiate()
        }
        Self.checkTraded(run, candles: market.candles.count, name: descriptor.name)
    }
}
