import PetrelCore

/// ``TradingPairStore`` in memory: the reference implementation for tests and dry runs.
public actor InMemoryTradingPairStore: TradingPairStore {
    var stored: [String: [Symbol: TradingPairSetting]] = [:]

    /// Creates an empty store.
    public init() {}

    public func pairs(bot: String) throws(StorageError) -> [TradingPairSetting] {
        (stored[bot] ?? [:]).values.sorted(by: TradingPairSetting.storeOrder)
    }

    public func upsert(_ pair: TradingPairSetting, bot: String) throws(StorageError) {
        stored[bot, default: [:]][pair.symbol] = pair
    }

    public func setEnabled(_ isEnabled: Bool, symbol: Symbol, bot: String) throws(StorageError) {
        guard stored[bot]?[symbol] != nil else { throw .notFound("trading pair \(symbol) of bot \(bot)") }
        stored[bot]?[symbol]?.isEnabled = isEnabled
    }

    public func remove(symbol: Symbol, bot: String) throws(StorageError) {
        guard stored[bot]?.removeValue(forKey: symbol) != nil else {
            throw .notFound("trading pair \(symbol) of bot \(bot)")
        }
    }
}
