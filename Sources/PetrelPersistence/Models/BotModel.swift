import FluentKit
import PetrelRuntime

/// A row of `bots`.
final class BotModel: Model, @unchecked Sendable {
    static let schema = "bots"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "configuration") var configuration: String
    @Field(key: "mode") var mode: String
    @Field(key: "lifecycle") var lifecycle: String
    @Field(key: "trading_state") var tradingState: String
    @OptionalField(key: "state_reason") var stateReason: String?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "restart_count") var restartCount: Int64
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64
    @OptionalField(key: "owner_id") var ownerID: Int64?
    @OptionalField(key: "sizing_multiplier") var sizingMultiplier: Double?

    init() {}

    /// A row holding `record`.
    init(_ record: BotRecord) {
        self.id = record.id
        assign(record)
    }

    /// Copies every field of `record` but the id.
    func assign(_ record: BotRecord) {
        name = record.name
        configuration = record.configuration
        mode = record.mode.rawValue
        lifecycle = record.lifecycle.rawValue
        tradingState = record.tradingState.rawValue
        stateReason = record.stateReason
        lastError = record.lastError
        restartCount = Int64(record.restartCount)
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        ownerID = record.ownerID
        sizingMultiplier = record.sizingMultiplier
    }

    /// The stored bot.
    func record() throws(DatabaseFailure) -> BotRecord {
        let row = "bots[\(id ?? "?")]"
        return BotRecord(
            id: id ?? "", name: name, configuration: configuration,
            mode: try StoredColumn.value(mode, "mode", row: row),
            lifecycle: try StoredColumn.value(lifecycle, "lifecycle", row: row),
            tradingState: try StoredColumn.value(
                tradingState, "trading_state", row: row, allowed: ["active", "reducing", "halted"]),
            stateReason: stateReason, lastError: lastError,
            restartCount: try StoredColumn.count(restartCount, "restart_count", row: row), createdAt: createdAt,
            updatedAt: updatedAt, ownerID: ownerID, sizingMultiplier: sizingMultiplier)
    }
}
