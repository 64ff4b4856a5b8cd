import Synchronization

/// How far a venue's clock is from ours, measured from its server-time endpoint: `venue ≈ local + offset`.
/// Signed requests carry venue time, so a drifting local clock does not make them expire (-1021).
public final class ClockOffset: Sendable {
    private let state = Mutex<(offset: Int64, measured: Bool)>((0, false))

    public init() {}

    /// The current estimate (0 until measured).
    public var milliseconds: Int64 { state.withLock { $0.offset } }

    /// Whether the offset was measured at least once.
    public var isMeasured: Bool { state.withLock { $0.measured } }

    /// Records a measurement: the venue said `serverTime` for a request sent at `sentAt` and answered
    /// at `receivedAt` (local ms). The reading is taken as of the answer's arrival, the latest it can be:
    /// timestamps made with this offset are then never ahead of the venue's clock (Binance refuses those
    /// at once, whatever the window), only behind it by up to the round trip, which `recvWindow` allows.
    public func record(serverTime: Int64, sentAt: Int64, receivedAt: Int64) {
        state.withLock { $0 = (serverTime - max(sentAt, receivedAt), true) }
    }

    /// The venue's time now, for a local time `local`.
    public func venueTime(local: Int64) -> Int64 { local + milliseconds }
}
