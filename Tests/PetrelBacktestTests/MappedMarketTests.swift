import Foundation
import PetrelBacktest
import PetrelCore
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

@Suite("Backtests over memory-mapped candles")
struct MappedMarketTests {
    @Test("a mapped range backtests exactly like the same candles in an array")
    func mappedEqualsArray() throws {
        let directory = try Fixtures.temporaryDirectory()
        let series = try CandleSeries.load(from: Fixtures.sharedData("binance_BTCUSDT_1m_2024-01.csv"))
        let url = directory.appendingPathComponent("btc.pcandles")
        try series.write(binaryTo: url)
        let file = try #require(try MappedCandleFile.open(url))
        let rules = InstrumentRules.unrestricted(try Symbol(parsing: "BTC/USDT"))
        let mapped = BacktestMarket(rules: rules, timeframe: .m1, mapped: file, range: 1_000..<11_000)
        let array = BacktestMarket(rules: rules, timeframe: .m1, candles: Array(series.candles[1_000..<11_000]))
        #expect(mapped.count == 10_000)
        #expect(mapped.first == array.first)
        #expect(mapped.last == array.last)
        #expect(mapped.candles == array.candles)
        let engine = BacktestEngine(configuration: BacktestConfiguration(initialBalance: 10_000))
        let descriptor = try StrategyRegistry.strategy(named: "rsi_bb")
        let a = try engine.run(markets: [mapped], makeStrategy: { _ in try descriptor.instantiate() })
        let b = try engine.run(markets: [array], makeStrategy: { _ in try descriptor.instantiate() })
        #expect(!a.trades.isEmpty)
        #expect(a.trades == b.trades)
        #expect(a.equity == b.equity)
        #expect(a.finalEquity == b.finalEquity)
    }
}
