import Benchmark
import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// What one bar writes.
enum BarWrite {
    /// The journal entry and the equity snapshot a running bot writes per bar, each its own transaction.
    case journalAndEquity
    /// The journal entry only.
    case journal
    /// The equity snapshot only.
    case equity
    /// No write: one `count` read, the cost of a round trip through the connection.
    case countRead
}

/// Runs `benchmark.scaledIterations` bars against a fresh database file in the temporary folder.
func run(
    _ benchmark: Benchmark, _ write: BarWrite, synchronous: PetrelDatabase.Configuration.Synchronous = .normal
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = try await PetrelDatabase.open(
        path: folder.appendingPathComponent("bench.sqlite").path,
        configuration: PetrelDatabase.Configuration(synchronous: synchronous))
    let start: Int64 = 1_704_067_200_000
    var count = 0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let time = start + Int64(count) * 60_000
        if write == .journalAndEquity || write == .journal {
            let candle = Candle(
                timestamp: time, open: FixedPoint(rawValue: 4_200_000_000_000),
                high: FixedPoint(rawValue: 4_201_000_000_000), low: FixedPoint(rawValue: 4_199_000_000_000),
                close: FixedPoint(rawValue: 4_200_500_000_000), volume: FixedPoint(rawValue: 1_234_567_890))
            try await database.journal.append([.candle(candle)], bot: "bench", expectedCount: count)
        }
        if write == .journalAndEquity || write == .equity {
            try await database.equity.append([
                EquitySnapshot(
                    botID: "bench", timestamp: time + 60_000,
                    equity: FixedPoint(rawValue: 1_000_000_000_000 + Int64(count)),
                    cash: FixedPoint(rawValue: 500_000_000_000), drawdown: 0.01)
            ])
        }
        if write == .countRead { blackHole(try await database.journal.count(bot: "bench")) }
        count += 1
    }
    benchmark.stopMeasurement()
    await database.shutdown()
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(10), maxIterations: 10)
    Benchmark("Journal + equity append per bar (WAL, synchronous NORMAL)", configuration: configuration) { benchmark in
        try await run(benchmark, .journalAndEquity)
    }
    Benchmark("Journal + equity append per bar (WAL, synchronous FULL)", configuration: configuration) { benchmark in
        try await run(benchmark, .journalAndEquity, synchronous: .full)
    }
    Benchmark("Journal append, one entry", configuration: configuration) { benchmark in
        try await run(benchmark, .journal)
    }
    Benchmark("Equity append, one snapshot", configuration: configuration) { benchmark in
        try await run(benchmark, .equity)
    }
    Benchmark("Journal count (one read)", configuration: configuration) { benchmark in
        try await run(benchmark, .countRead)
    }
}
