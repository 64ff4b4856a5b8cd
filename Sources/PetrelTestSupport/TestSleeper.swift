import PetrelRuntime
import Synchronization

/// A ``Sleeper`` that never waits: it records each requested wait and advances a ``TestClock`` by
/// it, so retry and rate-limit back-offs are tested in no time.
public final class TestSleeper: Sleeper {
    private let clock: TestClock
    private let recorded = Mutex<[Int64]>([])

    /// Creates a sleeper that moves `clock`.
    /// - Parameter clock: the clock to advance.
    public init(clock: TestClock) {
        self.clock = clock
    }

    /// Records the wait and advances the clock by it.
    /// - Parameter milliseconds: the requested wait.
    public func sleep(milliseconds: Int64) async {
        recorded.withLock { $0.append(milliseconds) }
        if milliseconds > 0 { clock.advance(by: milliseconds) }
    }

    /// Every wait requested so far, in order.
    public var sleeps: [Int64] { recorded.withLock { $0 } }
}
