import FluentKit
import PetrelRuntime
import SQLKit

/// ``EquityStore`` on the `equity_snapshots` table.
public struct FluentEquityStore: EquityStore {
    let database: PetrelDatabase

    private struct SnapshotKey: Hashable {
        var botID: String
        var timestamp: Int64
    }

    /// Appends snapshots; one for a stored (bot, timestamp) replaces it.
    ///
    /// One `INSERT … ON CONFLICT (bot_id, timestamp) DO UPDATE` statement (SQLite and PostgreSQL both have
    /// it), atomic on its own: no transaction round trips on the per-bar path.
    /// - Throws: ``StorageError/storage(_:)`` (a NaN drawdown is refused before anything is written).
    public func append(_ snapshots: [EquitySnapshot]) async throws(StorageError) {
        guard !snapshots.isEmpty else { return }
        // Within one call, too, the last snapshot for a (bot, timestamp) wins.
        var latest: [SnapshotKey: Int] = [:]
        for (index, snapshot) in snapshots.enumerated() {
            latest[SnapshotKey(botID: snapshot.botID, timestamp: snapshot.timestamp)] = index
        }
        let kept = snapshots.indices.filter {
            latest[SnapshotKey(botID: snapshots[$0].botID, timestamp: snapshots[$0].timestamp)] == $0
        }
        let rows: [EquitySnapshotModel]
        do {
            rows = try kept.map { index throws(DatabaseFailure) in try EquitySnapshotModel(snapshots[index]) }
        } catch {
            throw .storage(DatabaseFailure.message(error, while: "appending equity snapshots"))
        }
        try await database.statement("appending equity snapshots", as: DatabaseFailure.storageError) { db in
            let insert = try ConnectionSetup.sql(db).insert(into: EquitySnapshotModel.schema)
                .columns("bot_id", "timestamp", "equity", "cash", "drawdown")
            for row in rows {
                insert.values([row.botID, row.timestamp, row.equity, row.cash, row.drawdown])
            }
            try await insert.onConflict(with: ["bot_id", "timestamp"]) { update in
                update.set(excludedValueOf: "equity").set(excludedValueOf: "cash").set(excludedValueOf: "drawdown")
            }.run()
        }
    }

    /// The bot's snapshots in time order: from `from` (inclusive) the first `limit`, or the newest `limit`.
    /// - Throws: ``StorageError/storage(_:)``.
    public func snapshots(bot: String, from: Int64?, limit: Int) async throws(StorageError) -> [EquitySnapshot] {
        guard limit > 0 else { return [] }
        return try await database.read("reading the equity of bot \(bot)", as: DatabaseFailure.storageError) { db in
            let query = EquitySnapshotModel.query(on: db).filter(\.$botID == bot)
            if let from {
                return try await query.filter(\.$timestamp >= from).sort(\.$timestamp).limit(limit).all()
                    .map { $0.snapshot() }
            }
            return try await query.sort(\.$timestamp, .descending).limit(limit).all().reversed().map { $0.snapshot() }
        }
    }
}
