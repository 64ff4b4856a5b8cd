import Dispatch
import HummingbirdBcrypt

/// bcrypt password hashing, with the checks a password must pass before it is hashed.
public struct PasswordHasher: Sendable {
    /// The cost every stored password gets in production (issue 4: at least 12).
    public static let productionCost: UInt8 = 12
    /// Passwords shorter than this are refused.
    public static let minimumLength = 10
    /// bcrypt reads only the first 72 bytes; a longer password would be silently truncated, so it is refused.
    public static let maximumBytes = 72

    /// bcrypt's cost (log2 of the rounds).
    public let cost: UInt8

    /// A hasher with `cost` (tests use a lower one to stay fast; the server always uses ``productionCost``).
    public init(cost: UInt8 = PasswordHasher.productionCost) {
        self.cost = cost
    }

    /// Why a password is not acceptable, or `nil` when it is.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes (bcrypt's limit)" }
        return nil
    }

    /// The bcrypt hash of `password` (`$2b$<cost>$…`).
    public func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`.
    public func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= Self.maximumBytes else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// ``hash(_:)`` off the concurrency pool: bcrypt takes a quarter of a second of CPU, which must not
    /// hold up the threads every request and bot shares.
    public func hashed(_ password: String) async -> String {
        await Self.offload { hash(password) }
    }

    /// ``verify(_:hash:)`` off the concurrency pool (see ``hashed(_:)``).
    public func matches(_ password: String, hash: String) async -> Bool {
        await Self.offload { verify(password, hash: hash) }
    }

    /// ``burnTime(_:)`` off the concurrency pool.
    public func burnTimeOffloaded(_ password: String) async {
        await Self.offload { burnTime(password) }
    }

    static func offload<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// Checks `password` against a throwaway hash of the same cost, so a login for an unknown name takes as
    /// long as one with a wrong password (no user enumeration by timing).
    public func burnTime(_ password: String) {
        _ = Bcrypt.verify(password, hash: cost == Self.productionCost ? Self.decoy : Bcrypt.hash("decoy", cost: cost))
    }

    /// Computed once, on the first unknown-user login (static lets are lazy).
    private static let decoy = Bcrypt.hash("petrel-decoy-password", cost: productionCost)
}
