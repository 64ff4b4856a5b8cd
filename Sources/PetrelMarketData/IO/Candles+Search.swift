import PetrelCore

extension RandomAccessCollection where Element == Candle, Index == Int {
    /// The index of the first candle with `timestamp >= value` (`endIndex` if none), for candles
    /// sorted by timestamp.
    /// - Complexity: O(log n).
    func firstIndex(atOrAfterTimestamp value: Int64) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if self[middle].timestamp < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
