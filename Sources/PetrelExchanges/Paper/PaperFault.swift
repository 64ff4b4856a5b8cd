import PetrelRuntime

/// A failure the paper exchange injects into its next call of one kind, for testing how the order
/// manager copes with a venue that times out, throttles or refuses.
public enum PaperFault: Sendable, Hashable {
    /// Throw before doing anything: the venue never saw the request.
    case failBefore(ExecutionError)
    /// Do the request, then throw: the venue acted but the answer was lost.
    case failAfter(ExecutionError)

    /// The timeout after the venue accepted an order.
    public static let timeoutAfterAccept = PaperFault.failAfter(
        .unknownOutcome("timed out waiting for the answer (the order was accepted)"))
    /// A timeout before the request reached the venue.
    public static let timeoutBeforeAccept = PaperFault.failBefore(
        .unknownOutcome("timed out before the request reached the venue"))
    /// A transient failure before the venue saw the request.
    public static let retryableBeforeAccept = PaperFault.failBefore(.retryable("503 service unavailable"))

    /// Throttling before the venue saw the request.
    /// - Parameter milliseconds: how long the venue asks to wait.
    public static func rateLimited(_ milliseconds: Int64) -> PaperFault {
        .failBefore(.rateLimited(retryAfterMilliseconds: milliseconds, "429 too many requests"))
    }
}

/// The calls of ``PaperExchange`` a fault can be injected into.
public enum PaperOperation: String, Sendable, Hashable, CaseIterable {
    case submit
    case cancel
    case order
    case openOrders
    case fills
    case balances
}
