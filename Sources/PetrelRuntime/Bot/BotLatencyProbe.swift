import PetrelCore
import Synchronization

/// One latency measurement of a bot's hot path, in nanoseconds of a monotonic clock, counted from
/// the moment the runner took the market event (a candle or a quote) off its event stream.
public struct BotLatencySample: Sendable, Hashable {
    /// Where on the path the sample was taken.
    public enum Stage: String, Sendable, Hashable {
        /// The kernel has produced its decision (its actions) for a candle: one sample per candle.
        case decision
        /// An order the market event caused is being handed to the venue (`ExecutionClient.submit`),
        /// its intent already in the order store: one sample per order sent while a market event is
        /// handled.
        case orderSent
    }

    /// Where the sample was taken.
    public var stage: Stage
    /// Nanoseconds since the runner took the market event off its stream.
    public var nanoseconds: Int64
    /// The order handed to the venue (``Stage/orderSent`` only).
    public var clientOrderID: ClientOrderID?
    /// Which order of the market event this is: 1 for the first one sent while handling it, 2 for
    /// the next (a protective order after the entry's fill), … (``Stage/orderSent`` only; 0 otherwise).
    public var orderInEvent: Int

    public init(stage: Stage, nanoseconds: Int64, clientOrderID: ClientOrderID? = nil, orderInEvent: Int = 0) {
        self.stage = stage
        self.nanoseconds = nanoseconds
        self.clientOrderID = clientOrderID
        self.orderInEvent = orderInEvent
    }
}

/// An opt-in observer of a bot's latency (``BotEnvironment/latencyProbe``), for benchmarks and
/// diagnostics. Without one the runner reads no clock and records nothing; with one it changes
/// nothing the bot does, only reports samples.
///
/// ``record(_:)`` is called on the bot's task, in the middle of its hot path: keep it cheap (append
/// to a preallocated buffer), and do the statistics afterwards.
public protocol BotLatencyProbe: Sendable {
    /// Receives one sample.
    /// - Parameter sample: the stage and its latency.
    func record(_ sample: BotLatencySample)
}

/// A runner's probe with the start of the market event it is handling, shared with its order
/// driver's send hook.
final class LatencyMark: Sendable {
    private static let origin = ContinuousClock.now
    let probe: any BotLatencyProbe
    /// Nanoseconds since ``origin`` when the event was taken; -1 while no market event is handled.
    private let startedAt = Atomic<Int64>(-1)
    /// Orders sent since ``start()``.
    private let sent = Atomic<Int>(0)
    /// Whether the current event's candle has had its decision sample (a batch of candles starts a
    /// new measurement at each further candle).
    private let decided = Atomic<Bool>(false)

    init(probe: any BotLatencyProbe) {
        self.probe = probe
    }

    /// Nanoseconds since a fixed origin, from the monotonic clock.
    static func now() -> Int64 {
        let (seconds, attoseconds) = (ContinuousClock.now - origin).components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// A market event is taken off the stream now.
    func start() {
        sent.store(0, ordering: .relaxed)
        decided.store(false, ordering: .relaxed)
        startedAt.store(Self.now(), ordering: .relaxed)
    }

    /// A further candle of the same event: measured on its own once the previous one was decided.
    func nextCandle() {
        if decided.load(ordering: .relaxed) { start() }
    }

    /// The kernel has decided on a candle: one ``BotLatencySample/Stage/decision`` sample.
    func decision() {
        guard let elapsed = elapsed() else { return }
        probe.record(BotLatencySample(stage: .decision, nanoseconds: elapsed))
        decided.store(true, ordering: .relaxed)
    }

    /// An order of the current event is handed to the venue: one ``BotLatencySample/Stage/orderSent`` sample.
    func orderSent(_ order: Order) {
        guard let elapsed = elapsed() else { return }
        probe.record(
            BotLatencySample(
                stage: .orderSent, nanoseconds: elapsed, clientOrderID: order.clientOrderID,
                orderInEvent: countOrder()))
    }

    /// The market event has been handled.
    func clear() { startedAt.store(-1, ordering: .relaxed) }

    /// Nanoseconds since ``start()``, or `nil` outside a market event.
    func elapsed() -> Int64? {
        let start = startedAt.load(ordering: .relaxed)
        return start < 0 ? nil : Self.now() - start
    }

    /// Counts an order sent during the current event. - Returns: its number in the event (1, 2, …).
    func countOrder() -> Int { sent.wrappingAdd(1, ordering: .relaxed).newValue }
}
