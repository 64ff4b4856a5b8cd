import PetrelRuntime
import Synchronization

/// Fans the paper exchange's updates out to every open ``PaperExchange/updates()`` stream, like a
/// venue's user-data WebSocket: an update published while nobody listens is lost.
final class PaperUpdateFeed: Sendable {
    private struct Subscribers {
        var nextID = 0
        var continuations: [Int: AsyncStream<ExecutionUpdate>.Continuation] = [:]
    }

    private let subscribers = Mutex(Subscribers())

    /// A new stream that receives every update published from now on.
    func subscribe() -> AsyncStream<ExecutionUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(of: ExecutionUpdate.self, bufferingPolicy: .unbounded)
        let id = subscribers.withLock { subscribers in
            let id = subscribers.nextID
            subscribers.nextID += 1
            subscribers.continuations[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends updates, in order, to every open stream.
    func publish(_ updates: [ExecutionUpdate]) {
        guard !updates.isEmpty else { return }
        let continuations = subscribers.withLock { $0.continuations.sorted { $0.key < $1.key }.map(\.value) }
        for update in updates {
            for continuation in continuations { continuation.yield(update) }
        }
    }

    /// Ends every open stream (the connection dropped); listeners must subscribe again.
    func finishAll() {
        let continuations = subscribers.withLock { subscribers in
            let all = subscribers.continuations
            subscribers.continuations = [:]
            return all
        }
        for continuation in continuations.values { continuation.finish() }
    }
}
