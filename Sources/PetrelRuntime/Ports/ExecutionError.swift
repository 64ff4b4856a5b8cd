/// A venue failure, classified once at the adapter (CONVENTIONS.md): the runtime decides what to do
/// from the class alone and never sees venue codes.
public enum ExecutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Try again later (network blip, 503 before the venue saw the request).
    case retryable(String)
    /// Slow down: wait at least `retryAfterMilliseconds` before the next request to this venue.
    case rateLimited(retryAfterMilliseconds: Int64, String)
    /// The venue refused the request for a reason a person can act on (balance, filters, symbol).
    case rejected(String)
    /// The venue may or may not have acted (timeout after sending, 5xx, disconnect): only a query by
    /// client order id tells. Never resend under a new id.
    case unknownOutcome(String)
    /// Nothing will work until a person intervenes (bad credentials, banned IP, delisted symbol).
    case fatal(String)

    public var description: String {
        switch self {
        case .retryable(let why): return "temporary failure: \(why)"
        case .rateLimited(let after, let why): return "rate limited for \(after) ms: \(why)"
        case .rejected(let why): return "rejected: \(why)"
        case .unknownOutcome(let why): return "outcome unknown: \(why)"
        case .fatal(let why): return "fatal: \(why)"
        }
    }
}
