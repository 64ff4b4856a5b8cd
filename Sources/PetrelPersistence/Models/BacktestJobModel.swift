import FluentKit
import Foundation

/// A row of `backtest_jobs`. The result and report are large and read only on request.
final class BacktestJobModel: Model, @unchecked Sendable {
    static let schema = "backtest_jobs"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "owner_id") var ownerID: Int64
    @Field(key: "name") var name: String
    @Field(key: "status") var status: String
    @Field(key: "progress") var progress: Double
    @Field(key: "request") var request: String
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "result") var result: Data?
    @OptionalField(key: "report") var report: Data?
    @Field(key: "created_at") var createdAt: Int64
    @OptionalField(key: "started_at") var startedAt: Int64?
    @OptionalField(key: "finished_at") var finishedAt: Int64?

    init() {}

    init(_ record: BacktestJobRecord) {
        id = record.id
        assign(record)
    }

    /// Copies every field but the id, the result and the report.
    func assign(_ record: BacktestJobRecord) {
        ownerID = record.ownerID
        name = record.name
        status = record.status.rawValue
        progress = record.progress
        request = record.request
        error = record.error
        summary = record.summary
        createdAt = record.createdAt
        startedAt = record.startedAt
        finishedAt = record.finishedAt
    }

    var record: BacktestJobRecord {
        BacktestJobRecord(
            id: id ?? "", ownerID: ownerID, name: name, status: BacktestJobRecord.Status(rawValue: status) ?? .failed,
            progress: progress, request: request, error: error, summary: summary, createdAt: createdAt,
            startedAt: startedAt, finishedAt: finishedAt)
    }
}
