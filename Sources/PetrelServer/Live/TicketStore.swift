import Synchronization

/// One-time WebSocket tickets (`POST /api/v1/ws-ticket`): a browser cannot set an Authorization header
/// on a WebSocket, so it asks for a short-lived ticket with its token and passes it as `?ticket=`.
public final class TicketStore: Sendable {
    /// How long a ticket is valid (ms).
    public static let lifetime: Int64 = 30_000
    private let tickets = Mutex<[String: (identity: TokenService.Identity, expiresAt: Int64)]>([:])

    public init() {}

    /// A new ticket for `identity`.
    func issue(for identity: TokenService.Identity, now: Int64) -> String {
        let ticket = TokenService.randomToken()
        tickets.withLock { table in
            table = table.filter { $0.value.expiresAt > now }
            table[ticket] = (identity, now + Self.lifetime)
        }
        return ticket
    }

    /// The identity of a valid ticket, which is used up.
    func redeem(_ ticket: String, now: Int64) -> TokenService.Identity? {
        tickets.withLock { table in
            guard let entry = table.removeValue(forKey: ticket), entry.expiresAt > now else { return nil }
            return entry.identity
        }
    }
}
