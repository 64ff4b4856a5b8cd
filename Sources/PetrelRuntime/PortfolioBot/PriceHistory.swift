import PetrelCore

/// The last `capacity` prices of one symbol in a ring, oldest overwritten first.
public struct PriceHistory: Sendable {
    /// How many prices are kept.
    public let capacity: Int
    private var storage: [Price]
    /// Next write position; once full, also the position of the oldest price.
    private var head = 0

    /// Creates an empty history.
    /// - Parameter capacity: at least 1 (programmer-chosen; the settings validate the window).
    public init(capacity: Int) {
        precondition(capacity >= 1, "a price history needs a capacity of at least 1, got \(capacity)")
        self.capacity = capacity
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Number of prices held, at most ``capacity``.
    public var count: Int { storage.count }

    /// The most recent price.
    public var latest: Price? {
        guard !storage.isEmpty else { return nil }
        return storage[head == 0 ? storage.count - 1 : head - 1]
    }

    /// Appends a price, dropping the oldest when full.
    /// - Complexity: O(1), no allocation once full.
    public mutating func append(_ price: Price) {
        if storage.count < capacity {
            storage.append(price)
            head = storage.count == capacity ? 0 : storage.count
        } else {
            storage[head] = price
            head = head + 1 == capacity ? 0 : head + 1
        }
    }

    /// The held prices, oldest first.
    /// - Complexity: O(``capacity``).
    public var prices: [Price] {
        guard storage.count == capacity, head != 0 else { return storage }
        return Array(storage[head...] + storage[..<head])
    }

    /// A history of a different capacity holding the newest prices of this one.
    /// - Parameter capacity: at least 1.
    /// - Returns: the resized history.
    public func resized(to capacity: Int) -> PriceHistory {
        var copy = PriceHistory(capacity: capacity)
        for price in prices.suffix(capacity) { copy.append(price) }
        return copy
    }
}
