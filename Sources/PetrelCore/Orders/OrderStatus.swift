/// Where an order is in its life (DESIGN §3): intent → submitted → accepted → partially filled →
/// filled | cancelled | rejected | expired, plus `unknown` until reconciled.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Written locally with its client order id; not yet sent.
    case intent
    /// Sent to the venue; no answer yet.
    case submitted
    /// Acknowledged by the venue and resting (or about to fill).
    case accepted
    case partiallyFilled = "partially_filled"
    /// A cancel was sent; the venue has not confirmed it.
    case pendingCancel = "pending_cancel"
    case filled
    case cancelled
    case rejected
    case expired
    /// The venue may or may not have it (timeout, 5xx, disconnect); only a query by client id resolves it.
    case unknown

    /// Filled, cancelled, rejected or expired: nothing can happen to it any more.
    public var isTerminal: Bool {
        switch self {
        case .filled, .cancelled, .rejected, .expired: return true
        default: return false
        }
    }

    /// Whether the order may still fill at the venue.
    public var isOpen: Bool { !isTerminal && self != .intent }

    /// The statuses this one may move to.
    public var allowedNextStatuses: Set<OrderStatus> {
        switch self {
        case .intent:
            return [.submitted, .rejected, .cancelled]
        case .submitted:
            return [.accepted, .partiallyFilled, .filled, .rejected, .cancelled, .expired, .unknown]
        case .accepted:
            return [.partiallyFilled, .filled, .pendingCancel, .cancelled, .expired, .unknown]
        case .partiallyFilled:
            return [.partiallyFilled, .filled, .pendingCancel, .cancelled, .expired, .unknown]
        case .pendingCancel:
            return [.accepted, .partiallyFilled, .filled, .cancelled, .expired, .unknown]
        case .unknown:
            return [.accepted, .partiallyFilled, .filled, .cancelled, .rejected, .expired, .unknown]
        case .filled, .cancelled, .rejected, .expired:
            return []
        }
    }

    /// Whether moving from this status to `next` is legal.
    public func canTransition(to next: OrderStatus) -> Bool {
        allowedNextStatuses.contains(next)
    }
}
