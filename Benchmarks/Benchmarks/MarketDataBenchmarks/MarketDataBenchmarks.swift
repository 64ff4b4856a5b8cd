import Benchmark
import Foundation
import PetrelMarketData

/// The real data of `../shared/data` (or `$PETREL_DATA_DIR`).
let dataDirectory: URL = {
    if let override = ProcessInfo.processInfo.environment["PETREL_DATA_DIR"] { return URL(fileURLWithPath: override) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data")
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 10)
    let gz = dataDirectory.appendingPathComponent("binance_BTCUSDT_1m_2024.csv.gz")
    let plain = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-bench-2024.csv")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-bench-2024.pcandles")

    Benchmark("CSV import, 527,040 rows (.csv.gz)", configuration: configuration) { benchmark in
        blackHole(try CandleSeries.load(from: gz).candles.count)
    }
    Benchmark(
        "CSV import, 527,040 rows (plain)",
        configuration: configuration,
        setup: {
            let series = try CandleSeries.load(from: gz)
            try series.write(csvTo: plain)
        }
    ) { benchmark in
        blackHole(try CandleSeries.load(from: plain).candles.count)
    }
    Benchmark(
        "Binary candle load, 527,040 candles",
        configuration: configuration,
        setup: {
            let series = try CandleSeries.load(from: gz)
            try series.write(binaryTo: binary)
        }
    ) { benchmark in
        blackHole(try CandleSeries.load(from: binary).candles.count)
    }
}
