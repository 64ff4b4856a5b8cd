import FluentKit
import PetrelCore
import PetrelRuntime

/// A row of `price_snapshots`; the price is a ``FixedPoint`` raw value.
final class PriceSnapshotModel: Model, @unchecked Sendable {
    static let schema = "price_snapshots"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "symbol") var symbol: String
    @Field(key: "price") var price: Int64
    @Field(key: "timestamp") var timestamp: Int64

    init() {}

    /// A row holding `snapshot`.
    init(_ snapshot: PriceSnapshot) {
        symbol = snapshot.symbol.description
        price = snapshot.price.rawValue
        timestamp = snapshot.timestamp
    }

    /// The stored snapshot.
    func snapshot() throws(DatabaseFailure) -> PriceSnapshot {
        PriceSnapshot(
            symbol: try StoredColumn.symbol(symbol, "symbol", row: "price_snapshots[\(id ?? 0)]"),
            price: FixedPoint(rawValue: price), timestamp: timestamp)
    }
}
