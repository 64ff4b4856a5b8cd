/// The highest (or lowest) value of the last `window` inputs in amortised O(1) per input.
///
/// A monotonic deque holds only the inputs that can still become the extreme: each new input
/// removes the older ones it dominates from the back, and the front expires once it is more
/// than `window − 1` inputs old. Every input is pushed and popped at most once. Storage is a
/// ring of at least `window` slots (a power of two, so wrapping is a mask) allocated once; the
/// head and tail are ever-growing counters.
@usableFromInline
struct MonotonicDeque<Order: ExtremeOrder>: Sendable {
    /// One held input and its sequence number.
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var value: Double
        @usableFromInline var position: Int

        @inlinable
        init(value: Double, position: Int) {
            self.value = value
            self.position = position
        }
    }

    @usableFromInline var entries: ContiguousArray<Entry>
    @usableFromInline let mask: Int
    /// Counter of the front entry (the current extreme).
    @usableFromInline var head: Int = 0
    /// Counter one past the back entry.
    @usableFromInline var tail: Int = 0
    /// Sequence number the next input will get.
    @usableFromInline var nextPosition: Int = 0
    @usableFromInline let window: Int

    /// Creates an empty deque over the last `window` inputs.
    @inlinable
    init(window: Int) {
        precondition(window >= 1, "a rolling extreme needs a window of at least 1, got \(window)")
        self.window = window
        var capacity = 1
        while capacity < window { capacity <<= 1 }
        mask = capacity - 1
        entries = ContiguousArray(repeating: Entry(value: 0, position: 0), count: capacity)
    }

    /// Adds the next input and returns the extreme of the last `window` inputs (fewer while
    /// fewer have been seen).
    @inlinable
    mutating func push(_ value: Double) -> Double {
        let position = nextPosition
        nextPosition = position + 1
        let mask = self.mask
        let window = self.window
        var head = self.head
        var tail = self.tail
        let extreme = entries.withUnsafeMutableBufferPointer { slots -> Double in
            if head != tail && slots[head & mask].position <= position - window { head += 1 }
            while head != tail && !Order.keeps(slots[(tail - 1) & mask].value, over: value) { tail -= 1 }
            slots[tail & mask] = Entry(value: value, position: position)
            tail += 1
            return slots[head & mask].value
        }
        self.head = head
        self.tail = tail
        return extreme
    }

    /// Forgets every input without releasing storage.
    @inlinable
    mutating func removeAll() {
        head = 0
        tail = 0
        nextPosition = 0
    }
}

/// Which extreme a ``MonotonicDeque`` tracks, fixed at compile time so the comparison inlines.
@usableFromInline
protocol ExtremeOrder: Sendable {
    /// Whether an older value `held` can still be the extreme once `newer` has arrived.
    static func keeps(_ held: Double, over newer: Double) -> Bool
}

/// Tracks the highest value: an older value survives only if it is strictly higher.
@usableFromInline
enum Highest: ExtremeOrder {
    @inlinable
    static func keeps(_ held: Double, over newer: Double) -> Bool { held > newer }
}

/// Tracks the lowest value: an older value survives only if it is strictly lower.
@usableFromInline
enum Lowest: ExtremeOrder {
    @inlinable
    static func keeps(_ held: Double, over newer: Double) -> Bool { held < newer }
}

/// Rolling highest value.
@usableFromInline typealias RollingMaximum = MonotonicDeque<Highest>
/// Rolling lowest value.
@usableFromInline typealias RollingMinimum = MonotonicDeque<Lowest>
