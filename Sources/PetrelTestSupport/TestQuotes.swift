import PetrelCore

/// Quotes written by hand for the portfolio bot's scenarios computed on paper.
public enum TestQuotes {
    /// A symbol from text such as `"BTC/USD"`; a typo traps at once.
    public static func symbol(_ text: String) -> Symbol {
        do {
            return try Symbol(parsing: text)
        } catch {
            preconditionFailure("test symbol '\(text)': \(error)")
        }
    }

    /// A quote from decimal strings.
    /// - Parameters:
    ///   - symbol: `"BTC/USD"`.
    ///   - bid: best bid.
    ///   - ask: best ask.
    ///   - timestamp: the venue's Unix ms.
    public static func quote(_ symbol: String, bid: String, ask: String, at timestamp: Int64) -> Quote {
        Quote(
            symbol: Self.symbol(symbol), bid: decimal(bid), ask: decimal(ask), last: decimal(bid), timestamp: timestamp)
    }

    /// A quote whose mid is exactly `mid`, with bid and ask `halfSpread` either side.
    /// - Parameters:
    ///   - symbol: `"BTC/USD"`.
    ///   - mid: the mid price the history will record.
    ///   - halfSpread: distance of each side from the mid; one unit of the last digit by default, so
    ///     the spread cost (about 1e-10 at a price of 100) disappears in hand-computed statistics.
    ///   - timestamp: the venue's Unix ms.
    public static func quote(_ symbol: String, mid: String, halfSpread: String = "0.00000001", at timestamp: Int64)
        -> Quote
    {
        let middle = decimal(mid)
        let half = decimal(halfSpread)
        return Quote(
            symbol: Self.symbol(symbol), bid: middle - half, ask: middle + half, last: middle, timestamp: timestamp)
    }

    /// Quotes per step for several symbols: step `i` holds, for each symbol, a quote with mid
    /// `mids[symbol][i]` stamped `start + i × interval`. Every series must have the same length.
    /// - Parameters:
    ///   - mids: mid prices per symbol, oldest first.
    ///   - start: Unix ms of step 0.
    ///   - interval: milliseconds between steps (a bot's check interval).
    /// - Returns: one array of quotes per step.
    public static func steps(
        _ mids: KeyValuePairs<String, [String]>, start: Int64 = TestCandles.newYear2024, interval: Int64 = 5_000
    ) -> [[Quote]] {
        let count = mids.first?.value.count ?? 0
        precondition(mids.allSatisfy { $0.value.count == count }, "every series needs the same number of prices")
        return (0..<count).map { step in
            mids.map { symbol, series in quote(symbol, mid: series[step], at: start + Int64(step) * interval) }
        }
    }
}
