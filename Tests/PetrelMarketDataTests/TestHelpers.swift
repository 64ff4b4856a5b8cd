import Foundation
import PetrelCore
import PetrelMarketData
import PetrelTestSupport
import Testing

/// Helpers shared by the market-data tests.
enum Helpers {
    /// Writes `text` to `name` in a fresh temporary directory and returns its URL.
    static func write(_ text: String, named name: String) throws -> URL {
        try write(Array(text.utf8), named: name)
    }

    /// Writes bytes to `name` in a fresh temporary directory and returns its URL.
    static func write(_ bytes: [UInt8], named name: String) throws -> URL {
        let url = try Fixtures.temporaryDirectory("petrel-marketdata").appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A candle from decimal text (test data only).
    static func candle(
        _ timestamp: Int64, _ open: String, _ high: String, _ low: String, _ close: String,
        _ volume: String
    ) throws -> Candle {
        Candle(
            timestamp: timestamp, open: try Price(parsing: open), high: try Price(parsing: high),
            low: try Price(parsing: low), close: try Price(parsing: close), volume: try Quantity(parsing: volume))
    }

    /// The error thrown by loading `url`, or `nil`.
    static func loadError(_ url: URL) -> MarketDataError? {
        do {
            _ = try CandleSeries.load(from: url)
            return nil
        } catch {
            return error
        }
    }

    /// Unix ms of a UTC date and time.
    static func utc(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Int64 {
        (CivilDate.days(year: year, month: month, day: day) * 1_440 + hour * 60 + minute) * 60_000
    }
}
