import PetrelCore
import PetrelRuntime

/// Drives the trading kernel over historical candles against the simulated exchange (DESIGN §1.1):
/// a tight synchronous loop with a simulated clock, no `await` and no allocation per bar unless
/// something trades.
public struct BacktestEngine: Sendable {
    public let configuration: BacktestConfiguration

    public init(configuration: BacktestConfiguration) {
        self.configuration = configuration
    }

    /// Runs the backtest.
    /// - Parameters:
    ///   - markets: one or more markets sharing a timeframe and a quote asset (one portfolio).
    ///   - makeStrategy: builds the strategy instance for a market.
    ///   - progress: called now and then with (steps done, total steps).
    /// - Returns: everything that happened, at full resolution.
    /// - Throws: ``BacktestError``.
    public func run(
        markets: [BacktestMarket], makeStrategy: (Symbol) throws -> any Strategy,
        progress: ((Int, Int) -> Void)? = nil
    ) throws(BacktestError) -> BacktestRun {
        guard !markets.isEmpty else { throw .noMarkets }
        for market in markets where market.count == 0 { throw .emptyData(market.symbol) }
        let frames = Set(markets.map(\.timeframe))
        guard frames.count == 1 else { throw .mixedTimeframes(frames.map(\.rawValue).sorted()) }
        var seen = Set<Symbol>()
        for market in markets where !seen.insert(market.symbol).inserted { throw .duplicateSymbol(market.symbol) }
        guard configuration.initialBalance.isPositive else {
            throw .invalidConfiguration("initial balance \(configuration.initialBalance) must be greater than zero")
        }
        var instruments: [KernelInstrument] = []
        for market in markets {
            do {
                instruments.append(
                    KernelInstrument(
                        rules: market.rules, strategy: try makeStrategy(market.symbol), timeframe: market.timeframe))
            } catch {
                throw .strategy("\(error)")
            }
        }
        let kernelConfiguration = KernelConfiguration(
            botID: "bt", risk: configuration.risk, sizing: configuration.sizing, allowShort: configuration.allowShort,
            costReserve: configuration.costs.takerFee + configuration.costs.slippage,
            initialCash: configuration.initialBalance,
            entryRetryIntervals: KernelConfiguration.defaultEntryRetryIntervals)
        var simulation: Simulation
        do {
            simulation = Simulation(
                kernel: try TradingKernel(configuration: kernelConfiguration, instruments: instruments),
                exchange: try SimulatedExchange(rules: markets.map(\.rules), costs: configuration.costs),
                symbols: markets.map(\.symbol), journalLimit: configuration.journalLimit)
        } catch let error as KernelError {
            throw .kernel(error)
        } catch {
            throw .invalidConfiguration("\(error)")
        }
        if markets.count == 1 {
            try markets[0].withCandles { (candles) throws(BacktestError) in
                try simulation.runSingle(candles, progress: progress)
            }
        } else {
            try simulation.runMerged(markets.map(\.candles), progress: progress)
        }
        return simulation.finish(markets: markets, configuration: configuration)
    }
}
