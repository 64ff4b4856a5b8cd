import Foundation
import PetrelCore

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

    /// Reads a canonical `timestamp,open,high,low,close,volume` CSV from the shared data (test
    /// fixture loader with no validation beyond parsing; production code uses `PetrelMarketData`).
    /// - Parameters:
    ///   - name: file name in the shared data folder (plain `.csv`).
    ///   - limit: read at most this many rows.
    public static func canonicalCandles(_ name: String, limit: Int = .max) throws -> [Candle] {
        let text = try String(contentsOf: sharedData(name), encoding: .utf8)
        var candles: [Candle] = []
        for line in text.split(separator: "\n").dropFirst() {
            if candles.count >= limit { break }
            let f = line.split(separator: ",")
            guard f.count == 6, let ts = Int64(f[0]) else { throw FixtureError.badRow(String(line)) }
            candles.append(
                Candle(
                    timestamp: ts, open: try Price(parsing: f[1]), high: try Price(parsing: f[2]),
                    low: try Price(parsing: f[3]), close: try Price(parsing: f[4]),
                    volume: try Quantity(parsing: f[5])))
        }
        return candles
    }

    /// A row the fixture loader could not read.
    public enum FixtureError: Error {
        case badRow(String)
    }
}
