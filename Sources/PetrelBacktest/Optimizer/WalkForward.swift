import PetrelAnalytics
import PetrelCore
import PetrelRuntime

/// Walk-forward analysis: optimise on a rolling training window, trade the best parameters on the
/// following test window, move on by the test length, and judge the strategy only on the stitched
/// out-of-sample test windows.
public struct WalkForward: Sendable {
    /// One train/test window.
    public struct Window: Sendable, Hashable, Codable {
        public var trainStart: Int64
        public var trainEnd: Int64
        public var testStart: Int64
        public var testEnd: Int64
        public var bestParameters: [String: ParameterValue]
        public var inSampleScore: Double?
        public var outOfSampleScore: Double?
        public var outOfSampleReturn: Double?
        public var outOfSampleTrades: Int
    }

    /// All windows and the out-of-sample statistics.
    public struct Result: Sendable, Codable {
        public var strategy: String
        public var objective: Objective
        public var windows: [Window]
        /// Statistics of the test windows chained into one equity curve.
        public var outOfSample: PerformanceStatistics
    }

    public var trainBars: Int
    public var testBars: Int

    public init(trainBars: Int, testBars: Int) {
        self.trainBars = trainBars
        self.testBars = testBars
    }

    /// Runs the analysis on one market.
    /// - Throws: ``BacktestError`` when the data is shorter than one train + test window.
    public func run(
        _ descriptor: StrategyDescriptor, parameterSets: [[String: ParameterValue]], market: BacktestMarket,
        optimizer: Optimizer, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(BacktestError) -> Result {
        let candles = market.candles
        guard trainBars > 0, testBars > 0, candles.count >= trainBars + testBars else {
            throw .invalidConfiguration(
                "walk-forward needs at least train + test = \(trainBars + testBars) candles; the data has \(candles.count)"
            )
        }
        var windows: [Window] = []
        var stitched: [EquityPoint] = []
        var level = optimizer.configuration.initialBalance.doubleValue
        var start = 0
        let windowCount = (candles.count - trainBars) / testBars
        while start + trainBars + testBars <= candles.count {
            let train = Array(candles[start..<(start + trainBars)])
            let test = Array(candles[(start + trainBars)..<(start + trainBars + testBars)])
            let trainMarket = BacktestMarket(rules: market.rules, timeframe: market.timeframe, candles: train)
            let ranked = optimizer.evaluate(descriptor, parameterSets: parameterSets, markets: [trainMarket])
            guard let best = ranked.first else { break }
            let testMarket = BacktestMarket(rules: market.rules, timeframe: market.timeframe, candles: test)
            let run = try BacktestEngine(configuration: optimizer.configuration).run(
                markets: [testMarket],
                makeStrategy: { _ in try descriptor.instantiate(best.parameters) })
            for index in run.equity.indices {
                let previous = index == 0 ? optimizer.configuration.initialBalance.doubleValue : run.equity[index - 1]
                if previous > 0 { level *= run.equity[index] / previous }
                stitched.append(EquityPoint(timestamp: run.timestamps[index], equity: level))
            }
            let score = optimizer.objective.score(equity: run.equity, timeframe: market.timeframe)
            windows.append(
                Window(
                    trainStart: train.first!.timestamp, trainEnd: train.last!.timestamp,
                    testStart: test.first!.timestamp,
                    testEnd: test.last!.timestamp, bestParameters: best.parameters, inSampleScore: best.score,
                    outOfSampleScore: score.isFinite ? score : nil,
                    outOfSampleReturn: Analytics.totalReturn(equity: run.equity),
                    outOfSampleTrades: run.trades.count))
            progress?(windows.count, windowCount)
            start += testBars
        }
        let statistics = PerformanceStatistics.compute(
            equity: stitched, conventions: AnalyticsConventions(timeframe: market.timeframe))
        return Result(
            strategy: descriptor.name, objective: optimizer.objective, windows: windows, outOfSample: statistics)
    }
}
