import Foundation

/// One row of `backtest_jobs`: a backtest submitted through the API, its progress and, once done, its
/// result (the JSON `petrel backtest --json` writes) and HTML report.
public struct BacktestJobRecord: Sendable, Hashable {
    /// Where a job is.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case queued
        case running
        case succeeded
        case failed
        case cancelled

        /// Whether the job will not change any more.
        public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    /// A random id (32 hex characters).
    public var id: String
    public var ownerID: Int64
    /// The user's label.
    public var name: String
    public var status: Status
    /// 0 … 1.
    public var progress: Double
    /// The request as accepted (JSON).
    public var request: String
    /// Why it failed, for `failed` and `cancelled`.
    public var error: String?
    /// A few headline figures (JSON object), once succeeded.
    public var summary: String?
    /// Unix ms.
    public var createdAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?

    public init(
        id: String, ownerID: Int64, name: String, status: Status = .queued, progress: Double = 0, request: String,
        error: String? = nil, summary: String? = nil, createdAt: Int64, startedAt: Int64? = nil,
        finishedAt: Int64? = nil
    ) {
        self.id = id
        self.ownerID = ownerID
        self.name = name
        self.status = status
        self.progress = progress
        self.request = request
        self.error = error
        self.summary = summary
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
