/// Waits for a while: the runtime's only way to pause (reconnect back-off, retry-after), injected
/// so that tests advance time without sleeping.
public protocol Sleeper: Sendable {
    /// Suspends for `milliseconds`; throws `CancellationError` when the task is cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// Real waiting with `Task.sleep`.
public struct TaskSleeper: Sleeper {
    public init() {}

    public func sleep(milliseconds: Int64) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, milliseconds)) * 1_000_000)
    }
}
