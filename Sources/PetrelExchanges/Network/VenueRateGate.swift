import Foundation
import Synchronization

/// The request budget of one venue host, shared by every bot of the process (venues limit per IP):
/// the weight used as the venue reports it, a pause after a 429 until its `Retry-After`, and silence
/// during a ban (418) until it ends. While paused or banned no request is sent at all.
public final class VenueRateGate: Sendable {
    struct State {
        var pausedUntil: Int64 = 0
        var bannedUntil: Int64 = 0
        var usedWeight: Int = 0
        var bans = 0
    }

    /// The host this gate guards.
    public let host: String
    private let state = Mutex(State())
    private static let gates = Mutex<[String: VenueRateGate]>([:])

    init(host: String) {
        self.host = host
    }

    /// The process-wide gate of `host` (every client of that host shares it).
    public static func shared(host: String) -> VenueRateGate {
        gates.withLock { gates in
            if let gate = gates[host] { return gate }
            let gate = VenueRateGate(host: host)
            gates[host] = gate
            return gate
        }
    }

    /// The process-wide gate of the host (and port) of a base URL.
    public static func shared(baseURL: String) -> VenueRateGate {
        let url = URL(string: baseURL)
        return shared(host: url?.host.map { "\($0):\(url?.port ?? 443)" } ?? baseURL)
    }

    /// A base URL without its trailing `/`.
    public static func trimmed(_ baseURL: String) -> String {
        baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// Milliseconds left before requests may go out again (0: now), and whether the wait is a ban.
    public func wait(now: Int64) -> (milliseconds: Int64, banned: Bool) {
        state.withLock { state in
            if state.bannedUntil > now { return (state.bannedUntil - now, true) }
            return (max(0, state.pausedUntil - now), false)
        }
    }

    /// A 429: nobody sends before `now + retryAfter`.
    public func pause(now: Int64, retryAfter: Int64) {
        state.withLock { $0.pausedUntil = max($0.pausedUntil, now + max(0, retryAfter)) }
    }

    /// A 418: nobody sends before the ban ends.
    public func ban(now: Int64, retryAfter: Int64) {
        state.withLock {
            $0.bannedUntil = max($0.bannedUntil, now + max(0, retryAfter))
            $0.bans += 1
        }
    }

    /// The weight the venue says this IP has used in its current window.
    public var usedWeight: Int { state.withLock { $0.usedWeight } }

    /// How many bans this process has seen on the host.
    public var bans: Int { state.withLock { $0.bans } }

    /// Records the venue's used-weight header.
    public func recordUsedWeight(_ weight: Int) { state.withLock { $0.usedWeight = weight } }
}
