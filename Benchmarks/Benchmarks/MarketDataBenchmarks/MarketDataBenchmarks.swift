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

/// Writes the plain CSV and binary copies once, outside any measurement.
let preparedFiles: (plain: URL, binary: URL) = {
    let gz = dataDirectory.appendingPathComponent("binance_BTCUSDT_1m_2024.csv.gz")
    let plain = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-bench-2024.csv")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-bench-2024.pcandles")
    let series = try! CandleSeries.load(from: gz)
    try! series.write(csvTo: plain)
    try! series.write(binaryTo: binary)
    return (plain, binary)
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 10)
    let gz = dataDirectory.appendingPathComponent("binance_BTCUSDT_1m_2024.csv.gz")

    Benchmark("CSV import, 527,040 rows (.csv.gz)", configuration: configuration) { benchmark in
        blackHole(try CandleSeries.load(from: gz).candles.count)
    }
    Benchmark("CSV import, 527,040 rows (plain)", configuration: configuration) { benchmark in
        let file = preparedFiles.plain
        benchmark.startMeasurement()
        blackHole(try CandleSeries.load(from: file).candles.count)
        benchmark.stopMeasurement()
    }
    Benchmark("Binary candle load, 527,040 candles", configuration: configuration) { benchmark in
        let file = preparedFiles.binary
        benchmark.startMeasurement()
        blackHole(try CandleSeries.load(from: file).candles.count)
        benchmark.stopMeasurement()
    }
}
