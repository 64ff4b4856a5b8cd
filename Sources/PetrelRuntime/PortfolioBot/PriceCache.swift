import PetrelCore

/// Seed 000's `MarketDataCache`: the latest quote per symbol with a time-to-live, plus the last
/// `volatility_window + 1` mid prices per symbol for the risk analysis.
///
/// Time is a value passed in (`now`, Unix ms), never read from a clock, so tests and backtests
/// drive expiry exactly. A quote is *fresh* while `now − storedAt < ttl`, where `storedAt` is the
/// `now` at which it was stored (not the venue's timestamp, whose clock may differ from ours); a
/// quote stored "in the future" (the clock stepped back) counts as fresh.
public struct PriceCache: Sendable {
    /// What ``update(_:now:)`` did with a quote.
    public enum UpdateResult: Sendable, Hashable {
        /// The quote replaced the cached one, its freshness restarts and its mid joined the history.
        case stored
        /// Exactly the cached quote again: no new information, so neither freshness nor history change.
        case duplicate
        /// Older than the cached quote (venue timestamp): ignored.
        case outOfOrder
        /// A crossed or non-positive book (`bid ≥ ask`, `bid ≤ 0`): ignored.
        case invalid
    }

    private struct Entry: Sendable {
        var quote: Quote
        var storedAt: Int64
        var history: PriceHistory
    }

    /// Time-to-live of a quote in milliseconds.
    public private(set) var ttlMilliseconds: Int64
    /// Mid prices kept per symbol (`volatility_window + 1`).
    public private(set) var historyCapacity: Int
    private var entries: [Symbol: Entry] = [:]

    /// Creates an empty cache.
    /// - Parameters:
    ///   - ttlSeconds: `cache_ttl_seconds`, 1–60.
    ///   - historyCapacity: prices kept per symbol, at least 1 (the analyser needs `window + 1`).
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)`` for a TTL outside 1–60 s.
    public init(ttlSeconds: Int, historyCapacity: Int) throws(PortfolioBotError) {
        guard (1...60).contains(ttlSeconds) else {
            throw .outOfRange(field: "cache_ttl_seconds", value: "\(ttlSeconds)", allowed: "1 to 60 seconds")
        }
        precondition(historyCapacity >= 1, "history capacity must be at least 1, got \(historyCapacity)")
        ttlMilliseconds = Int64(ttlSeconds) * 1_000
        self.historyCapacity = historyCapacity
    }

    /// Stores a quote that arrived at `now`.
    /// - Parameters:
    ///   - quote: the venue's quote.
    ///   - now: the caller's clock, Unix ms.
    /// - Returns: whether the quote was stored, and why not.
    /// - Complexity: O(1) amortised (one dictionary write and one ring append).
    @discardableResult
    public mutating func update(_ quote: Quote, now: Int64) -> UpdateResult {
        guard !quote.isCrossed else { return .invalid }
        guard let index = entries.index(forKey: quote.symbol) else {
            var history = PriceHistory(capacity: historyCapacity)
            history.append(quote.mid)
            entries[quote.symbol] = Entry(quote: quote, storedAt: now, history: history)
            return .stored
        }
        let cached = entries.values[index].quote
        if quote == cached { return .duplicate }
        if quote.timestamp < cached.timestamp { return .outOfOrder }
        // Mutating through `values[index]` keeps the ring uniquely referenced: no copy per update.
        entries.values[index].quote = quote
        entries.values[index].storedAt = now
        entries.values[index].history.append(quote.mid)
        return .stored
    }

    /// The cached quote of `symbol` if it is still fresh at `now`.
    /// - Complexity: O(1).
    public func freshQuote(for symbol: Symbol, now: Int64) -> Quote? {
        guard let entry = entries[symbol], now - entry.storedAt < ttlMilliseconds else { return nil }
        return entry.quote
    }

    /// Whether a fresh quote of `symbol` is cached at `now` (a miss means: fetch one).
    /// - Complexity: O(1).
    public func isFresh(_ symbol: Symbol, now: Int64) -> Bool { freshQuote(for: symbol, now: now) != nil }

    /// The cached quote of `symbol` whatever its age.
    public func lastQuote(for symbol: Symbol) -> Quote? { entries[symbol]?.quote }

    /// The recorded mid prices of `symbol`, oldest first (at most ``historyCapacity``).
    /// - Complexity: O(``historyCapacity``).
    public func prices(for symbol: Symbol) -> [Price] { entries[symbol]?.history.prices ?? [] }

    /// Changes the TTL and history length, keeping the newest prices (settings updated at run time).
    /// - Parameters:
    ///   - ttlSeconds: 1–60.
    ///   - historyCapacity: at least 1.
    /// - Throws: ``PortfolioBotError/outOfRange(field:value:allowed:)``; the cache is then unchanged.
    public mutating func reconfigure(ttlSeconds: Int, historyCapacity: Int) throws(PortfolioBotError) {
        let empty = try PriceCache(ttlSeconds: ttlSeconds, historyCapacity: historyCapacity)
        ttlMilliseconds = empty.ttlMilliseconds
        if historyCapacity != self.historyCapacity {
            self.historyCapacity = historyCapacity
            entries = entries.mapValues { entry in
                var resized = entry
                resized.history = entry.history.resized(to: historyCapacity)
                return resized
            }
        }
    }
}
