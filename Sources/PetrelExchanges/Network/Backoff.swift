/// Capped exponential back-off with jitter: attempt 1 waits about `initial`, each further attempt
/// twice as long, never more than `maximum`; the jitter spreads retries of many bots apart.
public struct Backoff: Sendable, Hashable {
    /// Milliseconds before the first retry.
    public var initial: Int64
    /// The longest wait (ms).
    public var maximum: Int64
    /// The fraction of the wait that is random (0: none, 0.5: ±25 %).
    public var jitter: Double

    public init(initial: Int64 = 250, maximum: Int64 = 30_000, jitter: Double = 0.5) {
        self.initial = max(1, initial)
        self.maximum = max(self.initial, maximum)
        self.jitter = min(1, max(0, jitter))
    }

    /// The wait before retry number `attempt` (1 = the first retry), with `unit` a random number in [0, 1).
    public func delay(attempt: Int, unit: Double = Double.random(in: 0..<1)) -> Int64 {
        var base = initial
        var step = 1
        while step < attempt && base < maximum {
            base = base > maximum / 2 ? maximum : base * 2
            step += 1
        }
        base = min(base, maximum)
        let spread = Double(base) * jitter
        let jittered = Double(base) - spread / 2 + spread * min(max(unit, 0), 1)
        return min(maximum, max(1, Int64(jittered.rounded())))
    }
}
