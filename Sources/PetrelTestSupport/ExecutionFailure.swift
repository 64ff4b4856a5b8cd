import PetrelRuntime

/// The ``ExecutionError`` `call` throws, or `nil` when it succeeds. Any other error comes back as a
/// `fatal` naming it, so a test never mistakes it for success.
public func executionFailure<T>(_ call: () async throws -> T) async -> ExecutionError? {
    do {
        _ = try await call()
        return nil
    } catch {
        return error as? ExecutionError ?? .fatal("not an execution error: \(error)")
    }
}
