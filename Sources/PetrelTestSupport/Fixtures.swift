import Foundation
import PetrelCore
import PetrelMarketData

/// Locates the real market data in `../shared/data` (or `$PETREL_DATA_DIR`) and the repository.
public enum Fixtures {
    /// The repository root (three levels above this file).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared market-data folder: `$PETREL_DATA_DIR`, else `../shared/data` beside the repository.
    public static var sharedDataDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["PETREL_DATA_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// URL of a file in the shared data folder, e.g. `binance_BTCUSDT_1m_2024-01.csv`.
    public static func sharedData(_ name: String) -> URL {
        sharedDataDirectory.appendingPathComponent(name)
    }

    /// A fresh empty temporary directory for a test.
    public static func temporaryDirectory(_ label: String = "petrel-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Reads candles from the shared data with the production loader (strict checks included).
    /// - Parameters:
    ///   - name: file name in the shared data folder.
    ///   - limit: keep at most this many candles.
    public static func canonicalCandles(_ name: String, limit: Int = .max) throws -> [Candle] {
        Array(try CandleSeries.load(from: sharedData(name)).candles.prefix(limit))
    }
}
