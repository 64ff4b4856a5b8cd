import Dispatch
import PetrelAnalytics
import PetrelCore
import PetrelRuntime
import Synchronization

/// One evaluated parameter set.
public struct OptimizationTrial: Sendable, Hashable, Codable {
    /// Position in the evaluated list (stable for a seed), used to break score ties.
    public var index: Int
    public var parameters: [String: ParameterValue]
    /// The objective's value; `nil` when undefined (no trades, flat equity) or the run failed.
    public var score: Double?
    public var totalReturn: Double?
    public var maxDrawdown: Double?
    public var trades: Int
    /// Why the run failed (an invalid combination of parameters).
    public var error: String?
}

/// Grid or random search over a strategy's parameters, in parallel over all cores, deterministic
/// for a seed: results are ranked by score, ties by evaluation order, whatever the thread timing.
public struct Optimizer: Sendable {
    public var configuration: BacktestConfiguration
    public var objective: Objective
    /// Worker threads (1 = sequential).
    public var jobs: Int

    public init(configuration: BacktestConfiguration, objective: Objective, jobs: Int) {
        self.configuration = configuration
        self.objective = objective
        self.jobs = Swift.max(1, jobs)
    }

    /// Evaluates every parameter set on `markets` and ranks them, best first.
    /// - Parameters:
    ///   - descriptor: the strategy.
    ///   - parameterSets: the values to try (see ``ParameterSpace``).
    ///   - markets: the data (all trials share it; nothing is copied).
    ///   - progress: called with (done, total) as trials finish, from worker threads.
    public func evaluate(
        _ descriptor: StrategyDescriptor, parameterSets: [[String: ParameterValue]], markets: [BacktestMarket],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [OptimizationTrial] {
        let total = parameterSets.count
        let results = TrialBuffer(count: total)
        let done = Atomic<Int>(0)
        let engine = BacktestEngine(configuration: configuration)
        let objective = self.objective
        let workers = Swift.min(jobs, Swift.max(1, total))
        let timeframe = markets.first?.timeframe ?? .d1
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < total {
                let values = parameterSets[index]
                var trial = OptimizationTrial(index: index, parameters: values, trades: 0)
                do {
                    let resolved = try descriptor.schema.resolve(values)
                    let run = try engine.run(markets: markets, makeStrategy: { _ in try descriptor.make(resolved) })
                    let score = objective.score(equity: run.equity, timeframe: timeframe)
                    trial.score = score.isFinite ? score : nil
                    trial.totalReturn = Analytics.totalReturn(equity: run.equity)
                    trial.maxDrawdown = Analytics.maxDrawdown(equity: run.equity)
                    trial.trades = run.trades.count
                } catch {
                    trial.error = "\(error)"
                }
                results.store(trial, at: index)
                let finished = done.add(1, ordering: .relaxed).newValue
                progress?(finished, total)
                index += workers
            }
        }
        return Self.rank(results.trials)
    }

    /// Best score first; undefined scores last; ties by evaluation order.
    public static func rank(_ trials: [OptimizationTrial]) -> [OptimizationTrial] {
        trials.sorted { a, b in
            switch (a.score, b.score) {
            case (let x?, let y?): return x != y ? x > y : a.index < b.index
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.index < b.index
            }
        }
    }
}

/// Slots written by exactly one worker each, read after all workers finish.
final class TrialBuffer: Sendable {
    private let storage: Mutex<[OptimizationTrial?]>

    init(count: Int) {
        storage = Mutex(Array(repeating: nil, count: count))
    }

    func store(_ trial: OptimizationTrial, at index: Int) {
        storage.withLock { $0[index] = trial }
    }

    var trials: [OptimizationTrial] { storage.withLock { $0.compactMap { $0 } } }
}
