import PetrelCore

/// Seed 000's `TradingPair` table: the pairs each portfolio bot watches, with their priority and switch.
///
/// A pair is stored once per bot (its canonical symbol, `BTC/USD` for the seed's `BTC-USD`); storing it
/// again replaces its priority and switch. Listing order is the order a bot prefers them in: highest
/// priority first, ties by symbol text.
public protocol TradingPairStore: Sendable {
    /// Every pair of `bot`, enabled or not, highest priority first (ties by symbol).
    /// - Parameter bot: the bot's id.
    /// - Returns: the pairs; empty for a bot without any.
    /// - Throws: ``StorageError/storage(_:)``.
    func pairs(bot: String) async throws(StorageError) -> [TradingPairSetting]

    /// Inserts the pair, or replaces the priority and switch of the stored one with its symbol.
    /// - Parameters:
    ///   - pair: the pair.
    ///   - bot: the bot's id.
    /// - Throws: ``StorageError/storage(_:)``.
    func upsert(_ pair: TradingPairSetting, bot: String) async throws(StorageError)

    /// Turns a stored pair on or off, keeping its priority.
    /// - Parameters:
    ///   - isEnabled: the new switch.
    ///   - symbol: the pair.
    ///   - bot: the bot's id.
    /// - Throws: ``StorageError/notFound(_:)`` when the bot has no such pair.
    func setEnabled(_ isEnabled: Bool, symbol: Symbol, bot: String) async throws(StorageError)

    /// Deletes a stored pair.
    /// - Parameters:
    ///   - symbol: the pair.
    ///   - bot: the bot's id.
    /// - Throws: ``StorageError/notFound(_:)`` when the bot has no such pair.
    func remove(symbol: Symbol, bot: String) async throws(StorageError)
}

extension TradingPairSetting {
    /// The listing order of ``TradingPairStore/pairs(bot:)``: highest priority first, ties by symbol text.
    public static func storeOrder(_ lhs: TradingPairSetting, _ rhs: TradingPairSetting) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        return lhs.symbol.description < rhs.symbol.description
    }
}
