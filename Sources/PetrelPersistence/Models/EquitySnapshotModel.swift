import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `equity_snapshots`; equity and cash are ``FixedPoint`` raw values.
final class EquitySnapshotModel: Model, @unchecked Sendable {
    static let schema = "equity_snapshots"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "bot_id") var botID: String
    @Field(key: "timestamp") var timestamp: Int64
    @Field(key: "equity") var equity: Int64
    @Field(key: "cash") var cash: Int64
    @Field(key: "drawdown") var drawdown: Double

    init() {}

    /// A row holding `snapshot`.
    init(_ snapshot: EquitySnapshot) throws(DatabaseFailure) {
        botID = snapshot.botID
        timestamp = snapshot.timestamp
        equity = snapshot.equity.rawValue
        cash = snapshot.cash.rawValue
        drawdown = try StoredColumn.storable(snapshot.drawdown, "equity_snapshots.drawdown")
    }

    /// The stored snapshot.
    func snapshot() -> EquitySnapshot {
        EquitySnapshot(
            botID: botID, timestamp: timestamp, equity: FixedPoint(rawValue: equity), cash: FixedPoint(rawValue: cash),
            drawdown: drawdown)
    }
}
