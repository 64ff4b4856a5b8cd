import Dispatch
import Foundation
import Logging
import PetrelAnalytics
import PetrelBacktest
import PetrelCore
import PetrelMarketData
import PetrelPersistence
import PetrelRuntime
import PetrelStrategies
import Synchronization

/// The headline figures of a finished backtest job (stored with the job; the full result is separate).
struct BacktestSummary: Codable, Sendable {
    var symbol: String
    var timeframe: String
    var candles: Int
    var startTime: Int64?
    var endTime: Int64?
    var initialBalance: Money
    var finalEquity: Money
    var totalReturn: Double?
    var buyAndHoldReturn: Double?
    var sharpeRatio: Double?
    var maxDrawdown: Double?
    var trades: Int
    var winRate: Double?
    var profitFactor: Double?
    var totalFees: Money
}

/// Runs the API's backtest jobs one at a time, off the request threads (the engine is a tight
/// synchronous loop: it gets a thread of its own instead of holding one of the concurrency pool's).
///
/// Jobs live in the `backtest_jobs` table: a job queued or running when the server stops is run again
/// after the next start. Progress is kept in memory while a job runs and written with its end state.
public final class BacktestQueue: Sendable {
    /// Queued jobs per user at most (a submit beyond it is a 429).
    static let maxQueuedPerUser = 20

    let database: PetrelDatabase
    /// `<data-dir>/candles`: the files a job may read.
    let candleDirectory: String
    let clock: any TradingClock
    let logger: Logger
    private let progress = Mutex<[String: Double]>([:])
    private let pending: AsyncStream<String>.Continuation
    private let stream: AsyncStream<String>

    init(database: PetrelDatabase, candleDirectory: String, clock: any TradingClock, logger: Logger) {
        self.database = database
        self.candleDirectory = candleDirectory
        self.clock = clock
        self.logger = logger
        (stream, pending) = AsyncStream.makeStream(of: String.self)
    }

    /// The progress of a running job (0…1), if it runs now.
    func liveProgress(_ id: String) -> Double? { progress.withLock { $0[id] } }

    func setProgress(_ id: String, _ value: Double) { progress.withLock { $0[id] = value } }

    /// Stores and queues a job.
    func submit(_ job: BacktestJobRecord) async throws {
        try await database.backtestJobs.create(job)
        pending.yield(job.id)
    }

    /// Runs queued jobs until cancelled; first re-queues what an earlier run of the server left unfinished.
    public func run() async {
        if let left = try? await database.backtestJobs.unfinished() {
            for job in left { pending.yield(job.id) }
        }
        for await id in stream {
            if Task.isCancelled { break }
            await runJob(id)
        }
    }

    /// Ends ``run()`` after the job in progress.
    public func finish() { pending.finish() }

    func runJob(_ id: String) async {
        guard var job = try? await database.backtestJobs.job(id: id), !job.status.isFinished else { return }
        job.status = .running
        job.startedAt = clock.now()
        job.progress = 0
        do {
            try await database.backtestJobs.update(job)
        } catch {
            logger.error("backtest job could not be marked running", metadata: ["job": "\(id)", "error": "\(error)"])
            return
        }
        progress.withLock { $0[id] = 0 }
        defer { progress.withLock { _ = $0.removeValue(forKey: id) } }
        do {
            let request = try BacktestRequest(body: Data(job.request.utf8))
            let directory = candleDirectory
            let (result, report) = try await Self.offload {
                try Self.execute(request, candleDirectory: directory) { done, total in
                    guard total > 0 else { return }
                    self.setProgress(id, Double(done) / Double(total))
                }
            }
            // Shutting down: the job stays `running` and runs again after the next start.
            guard !Task.isCancelled else { return }
            job.status = .succeeded
            job.progress = 1
            job.finishedAt = clock.now()
            job.summary = String(decoding: try JSONResponse.encoder.encode(Self.summary(of: result)), as: UTF8.self)
            try await database.backtestJobs.finish(job, result: Data(try result.jsonBytes()), report: Data(report.utf8))
            logger.info("backtest job finished", metadata: ["job": "\(id)", "trades": "\(result.trades.count)"])
        } catch {
            guard !Task.isCancelled else { return }
            job.status = .failed
            job.finishedAt = clock.now()
            job.progress = progress.withLock { $0[id] } ?? 0
            job.error = Self.message(error)
            logger.warning("backtest job failed", metadata: ["job": "\(id)", "error": "\(job.error ?? "")"])
            try? await database.backtestJobs.update(job)
        }
    }

    /// Loads the market, runs the engine and renders the report (synchronous; on a thread of its own).
    static func execute(
        _ request: BacktestRequest, candleDirectory: String, progress: @escaping (Int, Int) -> Void
    ) throws -> (BacktestResult, String) {
        let market = try loadMarket(request, candleDirectory: candleDirectory)
        let descriptor = request.selection.descriptor
        let resolved = try descriptor.schema.resolve(request.selection.values)
        let run = try BacktestEngine(configuration: request.configuration).run(
            markets: [market], makeStrategy: { _ in try descriptor.make(resolved) }, progress: progress)
        let result = BacktestResult(
            run: run, strategy: .init(name: descriptor.name, parameters: resolved.values),
            configuration: request.configuration)
        return (result, HTMLReport.render(result, candles: [market.candles]))
    }

    static func loadMarket(_ request: BacktestRequest, candleDirectory: String) throws -> BacktestMarket {
        let series: CandleSeries
        switch request.data {
        case .simulated(let symbol, let timeframe, let count, let seed, let startPrice):
            series = SyntheticMarket.generate(
                SyntheticMarket.Configuration(
                    seed: seed, symbol: symbol, startPrice: startPrice, timeframe: timeframe, count: count))
        case .file(let name, let symbol, let timeframe):
            let url = URL(fileURLWithPath: candleDirectory).appendingPathComponent(name)
            do {
                series = try CandleSeries.load(from: url, symbol: symbol, timeframe: timeframe)
            } catch {
                throw BacktestJobError("data.file \(name): \(error)")
            }
        }
        let cut = series.slice(from: request.from, to: request.to)
        guard let symbol = cut.symbol else {
            throw BacktestJobError("cannot tell the symbol of the data; set data.symbol (e.g. \"BTC/USDT\")")
        }
        guard let timeframe = cut.timeframe else {
            throw BacktestJobError(
                "cannot tell the timeframe of the data; set data.timeframe (\(Timeframe.allowedValues))")
        }
        guard !cut.candles.isEmpty else { throw BacktestJobError("no candles between from and to") }
        let rules = try InstrumentRules(symbol: symbol, tickSize: .ulp, stepSize: .ulp, minNotional: .zero)
        return BacktestMarket(rules: rules, timeframe: timeframe, candles: cut.candles)
    }

    static func summary(of result: BacktestResult) -> BacktestSummary {
        let statistics = result.statistics
        let market = result.markets.first
        return BacktestSummary(
            symbol: market?.symbol.description ?? "", timeframe: market?.timeframe.rawValue ?? "",
            candles: result.markets.reduce(0) { $0 + $1.candles }, startTime: statistics.startTime,
            endTime: statistics.endTime, initialBalance: result.settings.initialBalance,
            finalEquity: result.finalEquity, totalReturn: statistics.totalReturn,
            buyAndHoldReturn: statistics.buyAndHoldReturn,
            sharpeRatio: statistics.sharpeRatio, maxDrawdown: statistics.maxDrawdown,
            trades: statistics.trades.count, winRate: statistics.trades.winRate,
            profitFactor: statistics.trades.profitFactor, totalFees: result.totalFees)
    }

    static func message(_ error: any Error) -> String {
        switch error {
        case let job as BacktestJobError: return job.message
        case let api as APIError: return api.message
        default: return "\(error)"
        }
    }

    static func offload<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// Why a backtest job failed, for its `error`.
struct BacktestJobError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
