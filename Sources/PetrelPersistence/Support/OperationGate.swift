import Synchronization

/// Admits database operations until it closes, and lets the closer wait for the ones already admitted.
///
/// The connection pool underneath must not be shut down while a statement is on its way to the connection:
/// a connection opened or returned during the shutdown is dropped unclosed, which SQLiteNIO asserts on. So
/// ``PetrelDatabase/shutdown()`` closes the gate (later operations fail at once), waits for the operations in
/// flight to finish, and only then closes the pool.
final class OperationGate: Sendable {
    struct State {
        var closed = false
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Whether ``close()`` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Admits one operation.
    /// - Returns: `false` when the gate is closed (the operation must not run); otherwise the caller must
    ///   call ``leave()`` when the operation has finished.
    func enter() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Ends an operation that ``enter()`` admitted.
    func leave() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.closed, state.inFlight == 0 else { return [] }
            defer { state.drained.removeAll() }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Closes the gate.
    /// - Returns: `true` for the first call, `false` when it was already closed.
    func close() -> Bool {
        state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
    }

    /// Waits until no admitted operation is running (call after ``close()``).
    func drain() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.inFlight > 0 else { return true }
                state.drained.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }
}
