import PetrelCore

/// What a candle subscriber receives, in order.
public enum MarketDataEvent: Sendable, Hashable {
    /// Warm-up history (the last `lookback` closed candles), sent once, first.
    case history([Candle])
    /// A newly closed candle; timestamps strictly increase across `history`, `candle` and `backfill`.
    case candle(Candle)
    /// Candles fetched after a reconnect to fill a gap, oldest first.
    case backfill([Candle])
    /// The feed dropped; the service reconnects after `retryInMilliseconds`.
    case disconnected(reason: String, retryInMilliseconds: Int64)
    /// The feed is back (after the gap was filled).
    case reconnected
    /// The source has nothing more to deliver (a finished replay); the feed ends.
    case finished
}

/// Identifies one shared feed.
public struct CandleFeedKey: Sendable, Hashable, CustomStringConvertible {
    public var venue: String
    public var symbol: Symbol
    public var timeframe: Timeframe

    public init(venue: String, symbol: Symbol, timeframe: Timeframe) {
        self.venue = venue
        self.symbol = symbol
        self.timeframe = timeframe
    }

    public var description: String { "\(venue) \(symbol) \(timeframe.rawValue)" }
}

/// Why a subscription could not start.
public enum MarketDataServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownVenue(String, known: [String])
    case invalidLookback(Int)
    case history(CandleFeedKey, ExecutionError)
    case quote(String, ExecutionError)

    public var description: String {
        switch self {
        case .unknownVenue(let venue, let known):
            return "no market data source '\(venue)'; configured: \(known.joined(separator: ", "))"
        case .invalidLookback(let bars): return "lookback_bars \(bars) must be from 0 to 100000"
        case .history(let key, let error): return "warm-up history for \(key) failed: \(error)"
        case .quote(let symbol, let error): return "quote for \(symbol) failed: \(error)"
        }
    }
}
