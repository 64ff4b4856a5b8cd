import Synchronization

/// Reads a stream in the background and keeps what arrived and how it ended, so a test can wait for a
/// number of elements (with a deadline) while it makes things happen.
public final class StreamProbe<Element: Sendable>: Sendable {
    struct State {
        var elements: [Element] = []
        var ended = false
        var error: (any Error)?
    }

    final class Shared: Sendable {
        let state = Mutex(State())
    }

    let shared = Shared()
    let reader: Task<Void, Never>

    /// Starts reading `stream`.
    public init(_ stream: AsyncThrowingStream<Element, any Error>) {
        let shared = self.shared
        reader = Task {
            do {
                for try await element in stream { shared.state.withLock { $0.elements.append(element) } }
            } catch {
                shared.state.withLock { $0.error = error }
            }
            shared.state.withLock { $0.ended = true }
        }
    }

    /// Everything read so far.
    public var elements: [Element] { shared.state.withLock { $0.elements } }
    /// The error the stream ended with, if it did.
    public var error: (any Error)? { shared.state.withLock { $0.error } }
    /// Whether the stream ended (with or without an error).
    public var ended: Bool { shared.state.withLock { $0.ended } }

    /// Waits until `count` elements arrived or the stream ended, at most `seconds` of real time.
    /// - Returns: the elements read by then.
    @discardableResult
    public func wait(for count: Int, seconds: Double = 30) async -> [Element] {
        await waitUntil(seconds: seconds) { $0.elements.count >= count || $0.ended }
        return elements
    }

    /// Waits until the stream ended, at most `seconds` of real time.
    /// - Returns: its error (`nil` when it finished cleanly or did not end in time).
    @discardableResult
    public func waitForEnd(seconds: Double = 30) async -> (any Error)? {
        await waitUntil(seconds: seconds) { $0.ended }
        return error
    }

    func waitUntil(seconds: Double, _ done: (State) -> Bool) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while ContinuousClock.now < deadline, !shared.state.withLock({ done($0) }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops reading (the stream's consumer goes away).
    public func cancel() { reader.cancel() }

    deinit { reader.cancel() }
}
