import Synchronization

/// Token buckets per key (an IP address, a login name): `capacity` requests at once, refilled at `perSecond`.
/// Old buckets are dropped when the table grows past `maxKeys`, so a flood of addresses cannot exhaust memory.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updatedAt: Int64
    }

    public let capacity: Double
    public let perSecond: Double
    let maxKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter allowing bursts of `capacity` and `perSecond` on average.
    public init(capacity: Double, perSecond: Double, maxKeys: Int = 100_000) {
        self.capacity = capacity
        self.perSecond = perSecond
        self.maxKeys = maxKeys
    }

    /// Takes one token for `key` at `now` (Unix ms).
    /// - Returns: `nil` when allowed, else the seconds until a token is available.
    public func take(_ key: String, now: Int64) -> Int? {
        buckets.withLock { table in
            if table.count >= maxKeys, table[key] == nil {
                let cutoff = now - Int64(capacity / max(perSecond, 0.001) * 1_000)
                table = table.filter { $0.value.updatedAt > cutoff }
                if table.count >= maxKeys { table.removeAll(keepingCapacity: true) }
            }
            var bucket = table[key] ?? Bucket(tokens: capacity, updatedAt: now)
            let elapsed = Double(max(0, now - bucket.updatedAt)) / 1_000
            bucket.tokens = min(capacity, bucket.tokens + elapsed * perSecond)
            bucket.updatedAt = now
            defer { table[key] = bucket }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / max(perSecond, 0.001)).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Whether `key` is out of tokens at `now`, without taking one.
    /// - Returns: `nil` when a request would be allowed, else the seconds until it would be.
    public func peek(_ key: String, now: Int64) -> Int? {
        buckets.withLock { table in
            guard let bucket = table[key] else { return nil }
            let tokens = min(capacity, bucket.tokens + Double(max(0, now - bucket.updatedAt)) / 1_000 * perSecond)
            guard tokens < 1 else { return nil }
            return max(1, Int(((1 - tokens) / max(perSecond, 0.001)).rounded(.up)))
        }
    }

    /// Forgets `key` (a successful login clears its failures).
    public func reset(_ key: String) {
        _ = buckets.withLock { $0.removeValue(forKey: key) }
    }
}
