/// Timing and retry rules of the order manager; every duration is in milliseconds of the
/// injected clock.
public struct OrderManagerConfiguration: Sendable, Hashable {
    /// How long after a send the venue may still not show the order to a query by client id.
    /// Before it has passed, "not found" means "ask again later", never "it does not exist".
    public var visibilityWindow: Int64
    /// An order still not found after the visibility window is resent under the same client id
    /// when it was placed at most this long ago (created, for one placed before a restart); an older
    /// one is marked `rejected` (the market has moved on). `nil` never resends.
    public var resubmitWithin: Int64?
    /// How often one order may be resent after not being found.
    public var maxResubmissions: Int
    /// Attempts of one send that fails with `retryable` or `rateLimited` before the venue saw it;
    /// after the last one the order is `rejected`.
    public var maxSubmitAttempts: Int
    /// Wait after the first `retryable` failure; doubled for each further attempt up to
    /// ``maxRetryDelay``. A `rateLimited` failure waits what the venue asks instead.
    public var retryDelay: Int64
    /// The longest back-off between two attempts.
    public var maxRetryDelay: Int64
    /// How far before an order's creation fills are fetched (venue and local clocks differ).
    public var fillLookback: Int64
    /// Terminal orders stay in memory this long for late updates; older ones are reloaded from the
    /// store when the venue mentions them again.
    public var retainTerminalOrders: Int64

    /// Creates a configuration.
    /// - Parameters:
    ///   - visibilityWindow: see ``visibilityWindow`` (default 5 s).
    ///   - resubmitWithin: see ``resubmitWithin`` (default 60 s).
    ///   - maxResubmissions: see ``maxResubmissions`` (default 3).
    ///   - maxSubmitAttempts: see ``maxSubmitAttempts`` (default 5).
    ///   - retryDelay: see ``retryDelay`` (default 200 ms).
    ///   - maxRetryDelay: see ``maxRetryDelay`` (default 5 s).
    ///   - fillLookback: see ``fillLookback`` (default 60 s).
    ///   - retainTerminalOrders: see ``retainTerminalOrders`` (default 1 h).
    public init(
        visibilityWindow: Int64 = 5_000, resubmitWithin: Int64? = 60_000, maxResubmissions: Int = 3,
        maxSubmitAttempts: Int = 5, retryDelay: Int64 = 200, maxRetryDelay: Int64 = 5_000,
        fillLookback: Int64 = 60_000, retainTerminalOrders: Int64 = 3_600_000
    ) {
        self.visibilityWindow = visibilityWindow
        self.resubmitWithin = resubmitWithin
        self.maxResubmissions = maxResubmissions
        self.maxSubmitAttempts = maxSubmitAttempts
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.fillLookback = fillLookback
        self.retainTerminalOrders = retainTerminalOrders
    }

    /// The back-off before attempt `attempt + 1` after `attempt` retryable failures.
    func backoff(afterAttempt attempt: Int) -> Int64 {
        var delay = retryDelay
        for _ in 1..<Swift.max(1, attempt) where delay < maxRetryDelay { delay *= 2 }
        return Swift.min(delay, maxRetryDelay)
    }
}
