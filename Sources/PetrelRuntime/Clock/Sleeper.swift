/// Waits for a while: the only way runtime code waits (retry back-off, rate limits).
///
/// Production code uses ``TaskSleeper``; tests use a sleeper that advances a ``TestClock`` at once,
/// so no test ever sleeps for real.
public protocol Sleeper: Sendable {
    /// Returns after `milliseconds` (at once for zero or less). Returns early when the task is cancelled.
    /// - Parameter milliseconds: how long to wait.
    func sleep(milliseconds: Int64) async
}

/// Waits with the system's continuous clock (live and paper trading).
public struct TaskSleeper: Sleeper {
    /// Creates the sleeper.
    public init() {}

    /// Sleeps on `ContinuousClock`; a cancelled task returns early.
    /// - Parameter milliseconds: how long to wait.
    public func sleep(milliseconds: Int64) async {
        guard milliseconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(milliseconds))
    }
}
