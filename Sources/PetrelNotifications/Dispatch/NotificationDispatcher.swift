import Foundation
import Logging
import PetrelRuntime
import Synchronization

/// The notifier the runtime talks to: each channel gets a bounded queue and a worker of its own, so a
/// broken or slow channel never slows trading or the other channels.
///
/// - **Filter**: a channel receives the events in its `notify_on` (and every ``NotificationEvent/manual``
///   message).
/// - **Deduplication**: the same message (event, bot, title and text) to the same channel within
///   ``Policy/duplicateWindowSeconds`` is sent once.
/// - **Rate limit**: at most ``Policy/perMinute`` messages a minute per channel (bursts of
///   ``Policy/burst``); the rest wait in the queue.
/// - **Bounded queue**: at most ``Policy/queueCapacity`` waiting messages per channel; beyond that the
///   oldest are dropped and counted.
/// - **Retry**: a retryable failure is tried again up to ``Policy/attempts`` times with jittered, capped
///   back-off, honouring the service's `retry_after`.
public final class NotificationDispatcher: Notifier {
    /// Limits of every channel.
    public struct Policy: Sendable {
        public var queueCapacity = 256
        public var duplicateWindowSeconds = 60.0
        public var perMinute = 20.0
        public var burst = 5.0
        public var attempts = 4
        /// First back-off; doubles each attempt, capped by ``maxBackoffSeconds``.
        public var backoffSeconds = 1.0
        public var maxBackoffSeconds = 30.0

        public init() {}
    }

    /// What happened to a channel's messages so far.
    public struct Counters: Sendable, Hashable {
        public var sent = 0
        public var failed = 0
        public var retried = 0
        public var deduplicated = 0
        public var dropped = 0
        public var filtered = 0
        /// The last failure, for status pages.
        public var lastError: String?
    }

    /// One channel and the events it takes.
    public struct Route: Sendable {
        public var channel: any NotificationChannel
        public var events: Set<NotificationEvent>

        public init(channel: any NotificationChannel, events: Set<NotificationEvent>) {
            self.channel = channel
            self.events = events
        }
    }

    final class Lane: Sendable {
        let route: Route
        let continuation: AsyncStream<NotificationMessage>.Continuation
        let stream: AsyncStream<NotificationMessage>
        let state = Mutex(LaneState())

        init(route: Route, capacity: Int) {
            self.route = route
            (stream, continuation) = AsyncStream.makeStream(
                of: NotificationMessage.self, bufferingPolicy: .bufferingNewest(capacity))
        }
    }

    struct LaneState {
        var counters = Counters()
        var recent: [String: Double] = [:]
        var tokens: Double
        var refilledAt: Double
        /// Messages queued or being sent.
        var pending = 0

        init() {
            tokens = 0
            refilledAt = 0
        }
    }

    let lanes: [Lane]
    let policy: Policy
    let logger: Logger
    let now: @Sendable () -> Double
    let sleep: @Sendable (Double) async -> Void
    private let workers = Mutex<[Task<Void, Never>]>([])

    /// - Parameters:
    ///   - routes: the channels and their events.
    ///   - policy: queue, duplicate window, rate and retry limits.
    ///   - logger: delivery failures (never a credential).
    ///   - now: seconds on a monotonic clock (tests pass their own).
    ///   - sleep: waits that many seconds (tests pass their own).
    public init(
        routes: [Route], policy: Policy = Policy(), logger: Logger = Logger(label: "petrel.notifications"),
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
        sleep: @escaping @Sendable (Double) async -> Void = { seconds in
            try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1_000)))
        }
    ) {
        self.policy = policy
        self.logger = logger
        self.now = now
        self.sleep = sleep
        lanes = routes.map { Lane(route: $0, capacity: policy.queueCapacity) }
        let start = now()
        for lane in lanes {
            lane.state.withLock {
                $0.tokens = policy.burst
                $0.refilledAt = start
            }
        }
    }

    /// The channels, by name.
    public var channelNames: [String] { lanes.map(\.route.channel.name) }

    /// The channels themselves.
    public var channels: [any NotificationChannel] { lanes.map(\.route.channel) }

    /// Starts one worker per channel.
    public func start() {
        let started = lanes.map { lane in Task { await self.work(lane) } }
        workers.withLock { $0 += started }
    }

    /// Stops taking messages, waits (at most `seconds`) for the queues to drain, then drops what is left.
    public func shutdown(within seconds: Double = 5) async {
        for lane in lanes { lane.continuation.finish() }
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        while ContinuousClock.now < deadline, lanes.contains(where: { $0.state.withLock { $0.pending } > 0 }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let running = workers.withLock { $0 }
        for worker in running { worker.cancel() }
        for worker in running { await worker.value }
    }

    /// Queues `notification` for every channel that takes its event; returns at once.
    public func notify(_ notification: NotificationMessage) {
        for lane in lanes {
            guard notification.event == .manual || lane.route.events.contains(notification.event) else {
                lane.state.withLock { $0.counters.filtered += 1 }
                continue
            }
            if isDuplicate(notification, in: lane) {
                lane.state.withLock { $0.counters.deduplicated += 1 }
                continue
            }
            lane.state.withLock { $0.pending += 1 }
            switch lane.continuation.yield(notification) {
            case .dropped:
                // The oldest waiting message made room: one in, one out.
                lane.state.withLock {
                    $0.counters.dropped += 1
                    $0.pending -= 1
                }
            case .terminated:
                lane.state.withLock { $0.pending -= 1 }
            case .enqueued:
                break
            @unknown default:
                break
            }
        }
    }

    /// Sends `notification` now on the named channels (all when `nil`), bypassing queues, filters and the
    /// duplicate check but with the retries: what `petrel notify test` and `POST /api/send_alert` use.
    /// - Returns: each channel's outcome: `nil` when sent, else the error.
    public func deliver(_ notification: NotificationMessage, channels: Set<String>? = nil) async -> [(
        channel: String, error: DeliveryError?
    )] {
        var outcomes: [(String, DeliveryError?)] = []
        for lane in lanes where channels?.contains(lane.route.channel.name) ?? true {
            let error = await attempt(notification, lane: lane)
            outcomes.append((lane.route.channel.name, error))
        }
        return outcomes
    }

    /// The counters of each channel, by name.
    public func counters() -> [String: Counters] {
        Dictionary(
            lanes.map { ($0.route.channel.name, $0.state.withLock { $0.counters }) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - Worker

    func work(_ lane: Lane) async {
        for await notification in lane.stream {
            defer { lane.state.withLock { $0.pending -= 1 } }
            // Shut down: what is still queued is dropped.
            if Task.isCancelled {
                lane.state.withLock { $0.counters.dropped += 1 }
                continue
            }
            await takeToken(lane)
            _ = await attempt(notification, lane: lane)
        }
    }

    /// Sends with retries; counts the outcome.
    func attempt(_ notification: NotificationMessage, lane: Lane) async -> DeliveryError? {
        var delay = policy.backoffSeconds
        var lastError: DeliveryError?
        for attempt in 1...max(1, policy.attempts) {
            do {
                try await lane.route.channel.send(notification)
                lane.state.withLock { $0.counters.sent += 1 }
                return nil
            } catch {
                lastError = error
                guard case .retryable(_, let after) = error, attempt < policy.attempts, !Task.isCancelled else { break }
                lane.state.withLock { $0.counters.retried += 1 }
                let jittered = min(policy.maxBackoffSeconds, delay) * Double.random(in: 0.8...1.2)
                await sleep(max(after ?? 0, jittered))
                delay *= 2
            }
        }
        let message = lastError?.description ?? "unknown failure"
        lane.state.withLock {
            $0.counters.failed += 1
            $0.counters.lastError = message
        }
        logger.warning(
            "notification not delivered",
            metadata: [
                "channel": .string(lane.route.channel.name), "event": .string(notification.event.rawValue),
                "error": .string(message),
            ])
        return lastError
    }

    /// Waits for a token of the channel's bucket.
    func takeToken(_ lane: Lane) async {
        while true {
            let wait: Double = lane.state.withLock { state in
                let current = now()
                state.tokens = min(policy.burst, state.tokens + (current - state.refilledAt) * policy.perMinute / 60)
                state.refilledAt = current
                if state.tokens >= 1 {
                    state.tokens -= 1
                    return 0
                }
                return (1 - state.tokens) * 60 / policy.perMinute
            }
            if wait <= 0 || Task.isCancelled { return }
            await sleep(wait)
        }
    }

    /// Whether the same message went to the lane within the duplicate window (and notes this one).
    func isDuplicate(_ notification: NotificationMessage, in lane: Lane) -> Bool {
        let key = [
            notification.event.rawValue, notification.botID ?? "", notification.title, notification.body,
            notification.fields.map { "\($0.name)=\($0.value)" }.joined(separator: ";"),
        ].joined(separator: "\u{1F}")
        let current = now()
        return lane.state.withLock { state in
            if state.recent.count > 1_000 {
                state.recent = state.recent.filter { current - $0.value < policy.duplicateWindowSeconds }
            }
            if let last = state.recent[key], current - last < policy.duplicateWindowSeconds { return true }
            state.recent[key] = current
            return false
        }
    }
}
