import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `trading_pairs`: seed 000's `TradingPair` of one bot.
final class TradingPairModel: Model, @unchecked Sendable {
    static let schema = "trading_pairs"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "pair_symbol") var pairSymbol: String
    @Field(key: "priority") var priority: Int64
    @Field(key: "is_enabled") var isEnabled: Bool

    init() {}

    /// A row holding `pair` under `bot`.
    init(_ pair: TradingPairSetting, bot: String) {
        botID = bot
        pairSymbol = pair.symbol.description
        priority = Int64(pair.priority)
        isEnabled = pair.isEnabled
    }

    /// The stored pair.
    func setting() throws(DatabaseFailure) -> TradingPairSetting {
        let row = "trading_pairs[\(id ?? 0)]"
        guard let priority = Int(exactly: priority) else {
            throw DatabaseFailure("bad row \(row): column priority holds \(self.priority), not an integer")
        }
        return TradingPairSetting(
            symbol: try StoredColumn.symbol(pairSymbol, "pair_symbol", row: row), priority: priority,
            isEnabled: isEnabled)
    }
}
