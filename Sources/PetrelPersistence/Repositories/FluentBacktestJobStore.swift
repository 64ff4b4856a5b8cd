import FluentKit
import Foundation
import PetrelRuntime

/// The `backtest_jobs` table.
public struct FluentBacktestJobStore: Sendable {
    let database: PetrelDatabase

    /// Adds a job.
    public func create(_ job: BacktestJobRecord) async throws(StorageError) {
        try await database.write("storing backtest job \(job.id)", as: DatabaseFailure.storageError) { tx in
            try await BacktestJobModel(job).create(on: tx)
        }
    }

    /// One job, or `nil`.
    public func job(id: String) async throws(StorageError) -> BacktestJobRecord? {
        try await database.read("reading backtest job \(id)", as: DatabaseFailure.storageError) { db in
            try await Self.summaryQuery(db).filter(\.$id == id).first()?.record
        }
    }

    /// The jobs of `owner` (everyone's when `nil`), newest first.
    public func jobs(owner: Int64?, status: BacktestJobRecord.Status? = nil, offset: Int, limit: Int)
        async throws(StorageError) -> (jobs: [BacktestJobRecord], total: Int)
    {
        try await database.read("reading backtest jobs", as: DatabaseFailure.storageError) { db in
            func query() -> QueryBuilder<BacktestJobModel> {
                var query = Self.summaryQuery(db)
                if let owner { query = query.filter(\.$ownerID == owner) }
                if let status { query = query.filter(\.$status == status.rawValue) }
                return query
            }
            let total = try await query().count()
            let jobs = try await query().sort(\.$createdAt, .descending).sort(\.$id, .descending)
                .range(offset..<(offset + limit)).all().map(\.record)
            return (jobs, total)
        }
    }

    /// Jobs not finished, oldest first (the queue to run after a restart).
    public func unfinished() async throws(StorageError) -> [BacktestJobRecord] {
        try await database.read("reading unfinished backtest jobs", as: DatabaseFailure.storageError) { db in
            try await Self.summaryQuery(db)
                .filter(
                    \.$status ~~ [BacktestJobRecord.Status.queued.rawValue, BacktestJobRecord.Status.running.rawValue]
                )
                .sort(\.$createdAt).sort(\.$id).all().map(\.record)
        }
    }

    /// Stores a job's new state (status, progress, times, error, summary).
    /// - Throws: ``StorageError/notFound(_:)``.
    public func update(_ job: BacktestJobRecord) async throws(StorageError) {
        try await database.write("updating backtest job \(job.id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await BacktestJobModel.find(job.id, on: tx) else {
                throw StorageError.notFound("backtest job \(job.id)")
            }
            model.assign(job)
            try await model.update(on: tx)
        }
    }

    /// Stores a finished job with its result JSON and HTML report, in one write.
    public func finish(_ job: BacktestJobRecord, result: Data, report: Data) async throws(StorageError) {
        try await database.write("storing the result of backtest job \(job.id)", as: DatabaseFailure.storageError) {
            tx in
            guard let model = try await BacktestJobModel.find(job.id, on: tx) else {
                throw StorageError.notFound("backtest job \(job.id)")
            }
            model.assign(job)
            model.result = result
            model.report = report
            try await model.update(on: tx)
        }
    }

    /// The result JSON of a succeeded job, or `nil`.
    public func result(id: String) async throws(StorageError) -> Data? {
        try await database.read("reading the result of backtest job \(id)", as: DatabaseFailure.storageError) { db in
            try await BacktestJobModel.query(on: db).filter(\.$id == id).field(\.$id).field(\.$result).first()?.result
        }
    }

    /// The HTML report of a succeeded job, or `nil`.
    public func report(id: String) async throws(StorageError) -> Data? {
        try await database.read("reading the report of backtest job \(id)", as: DatabaseFailure.storageError) { db in
            try await BacktestJobModel.query(on: db).filter(\.$id == id).field(\.$id).field(\.$report).first()?.report
        }
    }

    /// Deletes a job.
    /// - Throws: ``StorageError/notFound(_:)``.
    public func delete(id: String) async throws(StorageError) {
        try await database.write("deleting backtest job \(id)", as: DatabaseFailure.storageError) { tx in
            guard let model = try await BacktestJobModel.find(id, on: tx) else {
                throw StorageError.notFound("backtest job \(id)")
            }
            try await model.delete(on: tx)
        }
    }

    /// Everything but the result and the report.
    static func summaryQuery(_ db: any Database) -> QueryBuilder<BacktestJobModel> {
        BacktestJobModel.query(on: db).field(\.$id).field(\.$ownerID).field(\.$name).field(\.$status)
            .field(\.$progress).field(\.$request).field(\.$error).field(\.$summary).field(\.$createdAt)
            .field(\.$startedAt).field(\.$finishedAt)
    }
}
