extension Analytics {
    /// The `probability` quantile of a series by linear interpolation between order statistics
    /// (NumPy's default `method="linear"`, Hyndman–Fan type 7).
    ///
    /// With `x` sorted ascending and `h = (n − 1) · p`, the result is
    /// `x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋])`. NaN values are ignored.
    /// - Parameters:
    ///   - values: the series, in any order.
    ///   - probability: in 0…1.
    /// - Returns: the quantile, or `nil` for a series with no number.
    /// - Complexity: O(n log n); sorts a copy.
    public static func quantile(_ values: [Double], probability: Double) -> Double? {
        precondition((0...1).contains(probability), "probability must be in 0...1")
        let sorted = sortedNumbers(values)
        guard !sorted.isEmpty else { return nil }
        return finite(linearQuantile(sorted: sorted, probability: probability))
    }

    /// Historical Value at Risk: the loss not exceeded with probability `confidence`, read from
    /// the returns' own distribution (empyrical's `value_at_risk` with `cutoff = 1 − confidence`).
    ///
    /// `VaR = −quantile(r, 1 − confidence)` with the linear quantile of ``quantile(_:probability:)``.
    /// Sign: a **positive loss fraction** (0.03 = a 3 % loss per period); negative when even the
    /// tail quantile is a gain.
    /// - Parameters:
    ///   - returns: per-period simple returns, in any order.
    ///   - confidence: e.g. 0.95 or 0.99; strictly between 0 and 1.
    /// - Returns: the VaR, or `nil` for an empty series.
    /// - Complexity: O(n log n); sorts a copy.
    public static func valueAtRisk(returns: [Double], confidence: Double = 0.95) -> Double? {
        valueAtRisk(sortedReturns: sortedNumbers(returns), confidence: confidence)
    }

    /// Historical Conditional Value at Risk (expected shortfall): the mean loss of the worst
    /// tail, as empyrical's `conditional_value_at_risk` defines the tail.
    ///
    /// With `x` sorted ascending, `k = ⌊(n − 1) · (1 − confidence)⌋` and
    /// `CVaR = −mean(x[0…k])`. Sign: a **positive loss fraction**, at least ``valueAtRisk(returns:confidence:)``.
    /// - Parameters:
    ///   - returns: per-period simple returns, in any order.
    ///   - confidence: e.g. 0.95 or 0.99; strictly between 0 and 1.
    /// - Returns: the CVaR, or `nil` for an empty series.
    /// - Complexity: O(n log n); sorts a copy.
    public static func conditionalValueAtRisk(returns: [Double], confidence: Double = 0.95) -> Double? {
        conditionalValueAtRisk(sortedReturns: sortedNumbers(returns), confidence: confidence)
    }

    /// VaR of returns already sorted ascending (so one sort serves several confidence levels).
    static func valueAtRisk(sortedReturns: [Double], confidence: Double) -> Double? {
        valueAtRisk(tail: sortedReturns, count: sortedReturns.count, confidence: confidence)
    }

    /// VaR from the ascending lower tail of `count` returns; `tail` must hold at least the
    /// `⌊(count − 1)(1 − confidence)⌋ + 2` smallest values (or all of them).
    static func valueAtRisk(tail: [Double], count: Int, confidence: Double) -> Double? {
        guard count > 0 else { return nil }
        return finite(-linearQuantile(sorted: tail, count: count, probability: tailProbability(confidence)))
    }

    /// CVaR of returns already sorted ascending.
    static func conditionalValueAtRisk(sortedReturns: [Double], confidence: Double) -> Double? {
        conditionalValueAtRisk(tail: sortedReturns, count: sortedReturns.count, confidence: confidence)
    }

    /// CVaR from the ascending lower tail of `count` returns (see ``valueAtRisk(tail:count:confidence:)``).
    static func conditionalValueAtRisk(tail: [Double], count: Int, confidence: Double) -> Double? {
        guard count > 0 else { return nil }
        let position = Double(count - 1) * tailProbability(confidence)
        let last = Swift.min(Int((position + 1e-9).rounded(.down)), count - 1)
        var sum = 0.0
        for index in 0...last { sum += tail[index] }
        return finite(-sum / Double(last + 1))
    }

    /// `1 − confidence`, rounded to 12 decimals so that `1 − 0.95` is exactly the `0.05` that
    /// NumPy is given, not `0.050000000000000044`.
    static func tailProbability(_ confidence: Double) -> Double {
        precondition(confidence > 0 && confidence < 1, "confidence must be strictly between 0 and 1")
        return ((1 - confidence) * 1e12).rounded() / 1e12
    }

    /// The values without NaN, sorted ascending.
    static func sortedNumbers(_ values: [Double]) -> [Double] {
        var sorted = values.filter { !$0.isNaN }
        sorted.sort()
        return sorted
    }

    /// The smallest values (NaN dropped) needed for VaR and CVaR down to `confidence`, sorted
    /// ascending, with the number of non-NaN values and the largest one.
    /// - Complexity: O(n) expected (quickselect) plus O(k log k) for the k tail values, instead of
    ///   sorting all n.
    static func lowerTail(_ values: [Double], confidence: Double) -> (tail: [Double], count: Int, maximum: Double?) {
        var numbers = values
        return lowerTail(consuming: &numbers, confidence: confidence)
    }

    /// ``lowerTail(_:confidence:)`` that reorders `numbers` in place instead of copying it (the
    /// caller gives up the order of its scratch array).
    static func lowerTail(consuming numbers: inout [Double], confidence: Double)
        -> (tail: [Double], count: Int, maximum: Double?)
    {
        numbers.removeAll { $0.isNaN }
        let count = numbers.count
        guard count > 0 else { return ([], 0, nil) }
        let keep = Swift.min(count, Int(Double(count - 1) * tailProbability(confidence)) + 2)
        let maximum = numbers.max()
        numbers.withUnsafeMutableBufferPointer { buffer in
            var low = 0
            var high = count - 1
            let target = keep - 1
            while low < high {
                let pivot = Swift.max(
                    Swift.min(buffer[low], buffer[high]),
                    Swift.min(Swift.max(buffer[low], buffer[high]), buffer[(low + high) / 2]))
                var i = low
                var j = high
                while i <= j {
                    while buffer[i] < pivot { i += 1 }
                    while buffer[j] > pivot { j -= 1 }
                    if i <= j {
                        buffer.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if target <= j { high = j } else if target >= i { low = i } else { break }
            }
        }
        var tail = Array(numbers[0..<keep])
        tail.sort()
        return (tail, count, maximum)
    }

    /// Type-7 quantile of a non-empty ascending array, interpolated as NumPy's `_lerp` does
    /// (from the nearer end, so that the result is exact at both ends).
    static func linearQuantile(sorted: [Double], probability: Double) -> Double {
        linearQuantile(sorted: sorted, count: sorted.count, probability: probability)
    }

    /// Type-7 quantile of `count` values whose ascending prefix `sorted` covers the position.
    static func linearQuantile(sorted: [Double], count: Int, probability: Double) -> Double {
        let position = Double(count - 1) * probability
        let lower = Swift.min(Int(position.rounded(.down)), count - 1)
        let upper = Swift.min(lower + 1, count - 1)
        let fraction = position - Double(lower)
        let low = sorted[lower]
        let high = sorted[upper]
        let difference = high - low
        return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction
    }
}
