import Foundation
import Synchronization

/// The source of "now" for everything in the runtime; the kernel never reads the wall clock.
public protocol TradingClock: Sendable {
    /// Unix milliseconds.
    func now() -> Int64
}

/// The system's real-time clock (live and paper trading).
public struct LiveClock: TradingClock {
    public init() {}

    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }
}

/// A clock that only moves when told to (backtests, tests); copies share one time.
public final class TestClock: TradingClock {
    private let current: Mutex<Int64>

    public init(_ start: Int64 = 0) {
        current = Mutex(start)
    }

    public func now() -> Int64 { current.withLock { $0 } }

    /// Sets the time.
    public func set(_ milliseconds: Int64) { current.withLock { $0 = milliseconds } }

    /// Moves the time forward.
    public func advance(by milliseconds: Int64) { current.withLock { $0 += milliseconds } }
}

/// Market time for a replayed market: the bot sets it to each candle's close, so that order times,
/// fills and timers follow the replay rather than the wall clock (a replay is then repeatable, also
/// across restarts). It never moves backwards.
public final class MarketClock: TradingClock {
    private let current: Mutex<Int64>

    /// Creates a clock at `start` (Unix ms).
    public init(_ start: Int64 = 0) {
        current = Mutex(start)
    }

    public func now() -> Int64 { current.withLock { $0 } }

    /// Moves to `milliseconds` unless that is in the past.
    public func advance(to milliseconds: Int64) {
        current.withLock { $0 = Swift.max($0, milliseconds) }
    }
}
