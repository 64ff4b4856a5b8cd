/// A fixed-capacity circular buffer of `Double`s, allocated once; the window store of the
/// rolling indicators.
///
/// Indices wrap with a compare instead of `%` so that the hot path stays a few instructions.
@usableFromInline
struct RingBuffer: Sendable {
    /// The slots; only the first `count` are meaningful until the buffer is full.
    @usableFromInline var storage: ContiguousArray<Double>
    /// Next write position; once the buffer is full it is also the position of the oldest value.
    @usableFromInline var head: Int
    /// Number of values held, at most `capacity`.
    @usableFromInline var count: Int

    /// Creates an empty buffer that holds up to `capacity` values.
    @inlinable
    init(capacity: Int) {
        precondition(capacity >= 1, "a ring buffer needs a capacity of at least 1, got \(capacity)")
        storage = ContiguousArray(repeating: 0, count: capacity)
        head = 0
        count = 0
    }

    @inlinable var capacity: Int { storage.count }
    @inlinable var isFull: Bool { count == storage.count }
    @inlinable var isEmpty: Bool { count == 0 }

    /// The value appended `capacity - 1` pushes ago when full, else the first value appended.
    @inlinable var oldest: Double { isFull ? storage[head] : storage[0] }

    /// The most recently appended value (the buffer must not be empty).
    @inlinable var newest: Double { storage[head == 0 ? storage.count - 1 : head - 1] }

    /// Appends a value to a buffer that is not full.
    @inlinable
    mutating func append(_ value: Double) {
        storage[head] = value
        head = head + 1 == storage.count ? 0 : head + 1
        count += 1
    }

    /// Overwrites the oldest value of a full buffer and returns the value it replaced.
    @inlinable
    mutating func replaceOldest(with value: Double) -> Double {
        let evicted = storage[head]
        storage[head] = value
        head = head + 1 == storage.count ? 0 : head + 1
        return evicted
    }

    /// Appends a value, evicting the oldest when full.
    /// - Returns: the evicted value, or `nil` when there was room.
    @inlinable
    mutating func push(_ value: Double) -> Double? {
        if isFull { return replaceOldest(with: value) }
        append(value)
        return nil
    }

    /// The held values in storage order (not time order): for sums and scans over the window.
    @inlinable var unorderedValues: ArraySlice<Double> { storage[0..<count] }

    /// Forgets every value without releasing storage.
    @inlinable
    mutating func removeAll() {
        head = 0
        count = 0
    }
}
