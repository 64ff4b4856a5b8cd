import Foundation
import PetrelAnalytics
import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

@testable import PetrelBacktest

/// Same inputs, same outputs: results, optimiser rankings and walk-forward windows.
@Suite("Backtest determinism, optimiser and walk-forward")
struct DeterminismTests {
    static let configuration = BacktestConfiguration(
        initialBalance: decimal("10000"), costs: ExecutionCosts(makerFee: 0.0002, takerFee: 0.001, slippage: 0.0002),
        risk: RiskSettings(stopLossPct: 1.5, takeProfitPct: 3, trailingStop: .init(activationPct: 1, trailingPct: 0.5)),
        sizing: .percentOfEquity(0.5))

    static func market(_ file: String, _ symbol: Symbol, count: Int) throws -> BacktestMarket {
        let candles = try Fixtures.canonicalCandles(file, limit: count)
        let rules = try InstrumentRules(symbol: symbol, tickSize: decimal("0.01"), stepSize: decimal("0.0001"))
        return BacktestMarket(rules: rules, timeframe: .m1, candles: candles)
    }

    static func btc(_ count: Int) throws -> BacktestMarket {
        try market("binance_BTCUSDT_1m_2024-01.csv", Market.btc, count: count)
    }

    static func result(_ markets: [BacktestMarket], _ name: String, _ values: [String: ParameterValue]) throws
        -> BacktestResult
    {
        let descriptor = try StrategyRegistry.strategy(named: name)
        let resolved = try descriptor.schema.resolve(values)
        let run = try BacktestEngine(configuration: configuration).run(markets: markets) { _ in
            try descriptor.make(resolved)
        }
        return BacktestResult(
            run: run, strategy: .init(name: name, parameters: resolved.values), configuration: configuration)
    }

    static let crossover: [String: ParameterValue] = ["fast_period": .integer(10), "slow_period": .integer(30)]

    @Test("running the same backtest twice gives byte-identical JSON, for one market and for two")
    func identicalJSON() throws {
        let btc = try Self.btc(6_000)
        let first = try Self.result([btc], "ma_crossover", Self.crossover).jsonData()
        let second = try Self.result([btc], "ma_crossover", Self.crossover).jsonData()
        #expect(first == second)
        // The hand-written JSON decodes back into the same result.
        let decoded = try JSONDecoder().decode(BacktestResult.self, from: first)
        let original = try Self.result([btc], "ma_crossover", Self.crossover)
        #expect(decoded.trades == original.trades)
        #expect(decoded.orders == original.orders)
        #expect(decoded.statistics == original.statistics)
        #expect(decoded.equityCurve == original.equityCurve)
        #expect(decoded.journal == original.journal)

        let eth = try Self.market("binance_ETHUSDT_1m_2024-01.csv", Market.eth, count: 6_000)
        let pair = try Self.result([btc, eth], "ma_crossover", Self.crossover)
        #expect(Set(pair.trades.map(\.symbol)) == [Market.btc, Market.eth])
        #expect(try pair.jsonData() == (try Self.result([btc, eth], "ma_crossover", Self.crossover).jsonData()))
    }

    @Test("the JSON result keeps money as exact decimal strings and reads back to the same bytes")
    func jsonRoundTrip() throws {
        let result = try Self.result([try Self.btc(6_000)], "ma_crossover", Self.crossover)
        let data = try result.jsonData()
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"finalEquity\":\"\(result.finalEquity)\""))
        #expect(text.contains("\"totalFees\":\"\(result.totalFees)\""))
        let decoded = try JSONDecoder().decode(BacktestResult.self, from: data)
        #expect(decoded.trades == result.trades)
        #expect(decoded.finalEquity == result.finalEquity)
        #expect(try decoded.jsonData() == data)
    }

    static let space = try! ParameterSpace(
        schema: MovingAverageCrossover.descriptor.schema, ranges: ["fast_period=5:35:10", "slow_period=20:40:10"])

    @Test("a parameter space expands ranges and lists, validates them, and draws the same random sets for a seed")
    func parameterSpace() throws {
        // fast 5, 15, 25, 35 × slow 20, 30, 40; the first dimension varies slowest.
        #expect(Self.space.gridSize == 12)
        let grid = Self.space.grid()
        #expect(grid.count == 12)
        #expect(grid.first == ["fast_period": .integer(5), "slow_period": .integer(20)])
        #expect(grid[1] == ["fast_period": .integer(5), "slow_period": .integer(30)])
        #expect(grid.last == ["fast_period": .integer(35), "slow_period": .integer(40)])
        let random = Self.space.random(count: 5, seed: 42)
        #expect(random.count == 5)
        #expect(Set(random).count == 5)
        #expect(random == Self.space.random(count: 5, seed: 42))
        #expect(random != Self.space.random(count: 5, seed: 7))
        #expect(random.allSatisfy { grid.contains($0) })
        #expect(Self.space.random(count: 50, seed: 42) == grid)

        let listed = try ParameterSpace(schema: MovingAverageCrossover.descriptor.schema, ranges: ["ma_type=sma,ema"])
        #expect(listed.grid() == [["ma_type": .text("sma")], ["ma_type": .text("ema")]])
        #expect(
            throws: ParameterError.invalidValue(name: "fast_period", value: "0", allowed: "an integer from 1 to 1000")
        ) {
            try ParameterSpace(schema: MovingAverageCrossover.descriptor.schema, ranges: ["fast_period=0:10"])
        }
        #expect(throws: ParameterError.self) {
            try ParameterSpace(schema: MovingAverageCrossover.descriptor.schema, ranges: ["fast_perod=5:10"])
        }
    }

    @Test("the optimiser ranks the same way with one worker or two, failed combinations last")
    func optimizerIsDeterministic() throws {
        let market = try Self.btc(4_000)
        let descriptor = MovingAverageCrossover.descriptor
        let sets = Self.space.grid()
        let sequential = Optimizer(configuration: Self.configuration, objective: .profit, jobs: 1)
            .evaluate(descriptor, parameterSets: sets, markets: [market])
        let parallel = Optimizer(configuration: Self.configuration, objective: .profit, jobs: 2)
            .evaluate(descriptor, parameterSets: sets, markets: [market])
        #expect(sequential == parallel)
        #expect(sequential.count == 12)
        #expect(Set(sequential.map(\.index)) == Set(0..<12))
        // fast ≥ slow is refused by the strategy: 25/20, 35/20 and 35/30.
        let failed = sequential.filter { $0.error != nil }
        #expect(failed.map(\.index) == [6, 9, 10])
        #expect(failed.allSatisfy { $0.score == nil && $0.error!.contains("an integer below slow_period") })
        #expect(Array(sequential.suffix(3)) == failed)
        // The rest is ordered by score, best first, and each score is the run's total return.
        let scored = sequential.prefix(9)
        #expect(scored.allSatisfy { $0.score != nil && $0.score == $0.totalReturn && $0.trades > 0 })
        #expect(zip(scored, scored.dropFirst()).allSatisfy { $0.score! >= $1.score! })

        let best = try #require(sequential.first)
        let rerun = try BacktestEngine(configuration: Self.configuration).run(markets: [market]) { _ in
            try descriptor.instantiate(best.parameters)
        }
        #expect(rerun.trades.count == best.trades)
        #expect(Objective.profit.score(equity: rerun.equity, timeframe: .m1) == best.score)

        let randomSets = Self.space.random(count: 6, seed: 2024)
        let randomOnce = Optimizer(configuration: Self.configuration, objective: .sharpe, jobs: 2)
            .evaluate(descriptor, parameterSets: randomSets, markets: [market])
        let randomTwice = Optimizer(configuration: Self.configuration, objective: .sharpe, jobs: 1)
            .evaluate(descriptor, parameterSets: Self.space.random(count: 6, seed: 2024), markets: [market])
        #expect(randomOnce == randomTwice)
    }

    @Test("walk-forward slides train and test windows by the test length and stitches the test windows")
    func walkForward() throws {
        let market = try Self.btc(3_000)
        let candles = market.candles
        let optimizer = Optimizer(configuration: Self.configuration, objective: .profit, jobs: 2)
        let result = try WalkForward(trainBars: 1_000, testBars: 500)
            .run(
                MovingAverageCrossover.descriptor, parameterSets: Self.space.grid(), market: market,
                optimizer: optimizer)

        // (3 000 − 1 000) / 500 = 4 windows.
        #expect(result.windows.count == 4)
        for (k, window) in result.windows.enumerated() {
            let start = k * 500
            #expect(window.trainStart == candles[start].timestamp)
            #expect(window.trainEnd == candles[start + 999].timestamp)
            #expect(window.testStart == candles[start + 1_000].timestamp)
            #expect(window.testEnd == candles[start + 1_499].timestamp)
            // The chosen parameters are the training window's best.
            let train = BacktestMarket(
                rules: market.rules, timeframe: .m1, candles: Array(candles[start..<(start + 1_000)]))
            let ranked = optimizer.evaluate(
                MovingAverageCrossover.descriptor, parameterSets: Self.space.grid(), markets: [train])
            #expect(window.bestParameters == ranked.first?.parameters)
            #expect(window.inSampleScore == ranked.first?.score)
        }
        #expect(result.strategy == "ma_crossover")
        #expect(result.objective == .profit)
        // The stitched curve is every test bar once, starting from the initial balance, and
        // compounds the windows' returns.
        let stats = result.outOfSample
        #expect(stats.pointCount == 2_000)
        #expect(stats.startTime == candles[1_000].timestamp)
        #expect(stats.endTime == candles[2_999].timestamp)
        #expect(stats.startEquity == 10_000)
        let compounded = result.windows.reduce(1.0) { $0 * (1 + ($1.outOfSampleReturn ?? 0)) } - 1
        let total = try #require(stats.totalReturn)
        #expect(abs(total - compounded) < 1e-12)
        #expect(stats.finalEquity.map { abs($0 - 10_000 * (1 + compounded)) < 1e-6 } == true)

        let again = try WalkForward(trainBars: 1_000, testBars: 500)
            .run(
                MovingAverageCrossover.descriptor, parameterSets: Self.space.grid(), market: market,
                optimizer: optimizer)
        #expect(again.windows == result.windows)
        #expect(again.outOfSample == result.outOfSample)
    }

    @Test("walk-forward refuses data shorter than one train and test window")
    func walkForwardTooShort() throws {
        let market = try Self.btc(1_200)
        let optimizer = Optimizer(configuration: Self.configuration, objective: .profit, jobs: 1)
        do {
            _ = try WalkForward(trainBars: 1_000, testBars: 500)
                .run(MovingAverageCrossover.descriptor, parameterSets: [[:]], market: market, optimizer: optimizer)
            Issue.record("accepted 1 200 candles for a 1 500-candle window")
        } catch {
            #expect(error.description == "walk-forward needs at least train + test = 1500 candles; the data has 1200")
        }
    }
}

@Suite("Hand-written JSON numbers")
struct JSONNumberTests {
    @Test(
        "decimals and integers are written exactly as FixedPoint and Swift print them",
        arguments: [
            "0", "1", "-1", "0.5", "-0.5", "23141.57", "0.00000001", "-0.00000001", "100", "92233720368.54775807",
            "-92233720368.54775808", "10.1", "1234567.00000010",
        ])
    func numbers(text: String) throws {
        let value = try FixedPoint(parsing: text)
        var out = JSONOutput(capacity: 64)
        out.decimal(value)
        out.comma()
        out.integer(value.rawValue)
        #expect(String(decoding: out.bytes, as: UTF8.self) == "\"\(value.description)\",\(value.rawValue)")
    }
}

@Suite("Hand-written JSON strings")
struct JSONStringTests {
    @Test(
        "escapes quotes, backslashes and control characters and keeps other text as is",
        arguments: [
            "", "plain", "close 42000 ≤ lower band", "say \"hi\"", "back\\slash", "line\nbreak\ttab\r", "bell\u{07}",
            "emoji 🚀 end",
        ])
    func roundTrips(text: String) throws {
        var out = JSONOutput(capacity: 64)
        out.raw("[")
        out.string(text)
        out.raw("]")
        let decoded = try JSONDecoder().decode([String].self, from: Data(out.bytes))
        #expect(decoded == [text])
    }
}
