import PetrelCore

/// Formats a number for reasoning strings with a fixed number of decimals (no locale).
func fmt(_ value: Double, _ decimals: Int = 2) -> String {
    value.decimalText(decimals)
}

/// Remembers the previous value of two series to detect crossings.
struct CrossTracker: Sendable {
    var previousDifference: Double?

    /// Feeds `a − b`; returns +1 when `a` crossed above `b`, −1 when below, 0 otherwise.
    mutating func update(_ a: Double, _ b: Double) -> Int {
        let difference = a - b
        defer { previousDifference = difference }
        guard let previous = previousDifference else { return 0 }
        if previous <= 0 && difference > 0 { return 1 }
        if previous >= 0 && difference < 0 { return -1 }
        return 0
    }
}
