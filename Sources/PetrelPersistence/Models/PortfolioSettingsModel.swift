import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `portfolio_settings`: seed 000's `BotConfig` of one bot. Exactly one of the trade-size columns
/// is set (a ``FixedPoint`` raw value).
final class PortfolioSettingsModel: Model, @unchecked Sendable {
    static let schema = "portfolio_settings"

    @ID(custom: "bot_id", generatedBy: .user) var id: String?
    @Field(key: "risk_tolerance") var riskTolerance: Double
    @Field(key: "min_confidence") var minConfidence: Double
    @OptionalField(key: "trade_size_amount") var tradeSizeAmount: Int64?
    @OptionalField(key: "trade_size_percentage") var tradeSizePercentage: Int64?
    @Field(key: "check_interval_seconds") var checkIntervalSeconds: Int64
    @Field(key: "cache_ttl_seconds") var cacheTTLSeconds: Int64
    @Field(key: "volatility_window") var volatilityWindow: Int64
    @Field(key: "trade_history_retention") var historyKeep: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    /// A row holding `record`.
    init(_ record: PortfolioSettingsRecord) throws(DatabaseFailure) {
        id = record.botID
        try assign(record)
    }

    /// Copies every field of `record` but its id.
    func assign(_ record: PortfolioSettingsRecord) throws(DatabaseFailure) {
        riskTolerance = try StoredColumn.storable(record.riskTolerance, "portfolio_settings.risk_tolerance")
        minConfidence = try StoredColumn.storable(record.minConfidence, "portfolio_settings.min_confidence")
        switch record.tradeSize {
        case .fixedAmount(let amount):
            tradeSizeAmount = amount.rawValue
            tradeSizePercentage = nil
        case .fractionOfHolding(let fraction):
            tradeSizeAmount = nil
            tradeSizePercentage = fraction.rawValue
        }
        checkIntervalSeconds = Int64(record.checkIntervalSeconds)
        cacheTTLSeconds = Int64(record.cacheTTLSeconds)
        volatilityWindow = Int64(record.volatilityWindow)
        historyKeep = Int64(record.historyKeep)
        updatedAt = record.updatedAt
    }

    /// The stored settings.
    func record() throws(DatabaseFailure) -> PortfolioSettingsRecord {
        let row = "portfolio_settings[\(id ?? "")]"
        let size: TradeSize
        switch (tradeSizeAmount, tradeSizePercentage) {
        case (let amount?, nil): size = .fixedAmount(FixedPoint(rawValue: amount))
        case (nil, let fraction?): size = .fractionOfHolding(FixedPoint(rawValue: fraction))
        default:
            throw DatabaseFailure(
                "bad row \(row): exactly one of columns trade_size_amount and trade_size_percentage must be set")
        }
        return PortfolioSettingsRecord(
            botID: id ?? "", riskTolerance: riskTolerance, minConfidence: minConfidence, tradeSize: size,
            checkIntervalSeconds: try StoredColumn.count(checkIntervalSeconds, "check_interval_seconds", row: row),
            cacheTTLSeconds: try StoredColumn.count(cacheTTLSeconds, "cache_ttl_seconds", row: row),
            volatilityWindow: try StoredColumn.count(volatilityWindow, "volatility_window", row: row),
            historyKeep: try StoredColumn.count(historyKeep, "trade_history_retention", row: row),
            updatedAt: updatedAt)
    }
}
