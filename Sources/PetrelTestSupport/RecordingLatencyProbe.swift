import PetrelRuntime
import Synchronization

/// A ``BotLatencyProbe`` that keeps every sample, for tests (which count samples, never time them).
public final class RecordingLatencyProbe: BotLatencyProbe {
    private let recorded = Mutex<[BotLatencySample]>([])

    public init() {}

    public func record(_ sample: BotLatencySample) { recorded.withLock { $0.append(sample) } }

    /// Every sample so far, in the order recorded.
    public var samples: [BotLatencySample] { recorded.withLock { $0 } }

    /// The samples of one stage.
    /// - Parameter stage: decision or order sent.
    public func samples(_ stage: BotLatencySample.Stage) -> [BotLatencySample] {
        samples.filter { $0.stage == stage }
    }
}
