import Foundation
import HTTPTypes
import Hummingbird
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelStrategies

/// Backtest jobs under `/api/v1/analytics` (seed 004's "backtesting results"): submit a job, follow its
/// progress, fetch its result (the JSON of `petrel backtest --json`) and its HTML report, list the
/// candle files a job may read. Traders submit; everyone reads their own jobs, administrators all.
struct BacktestsController: Sendable {
    let services: ServerServices
    var queue: BacktestQueue { services.backtests }

    struct JobView: Encodable {
        var id: String
        var name: String
        var status: String
        var progress: Double
        var error: String?
        var summary: BacktestSummary?
        var ownerId: Int64
        var createdAt: Int64
        var startedAt: Int64?
        var finishedAt: Int64?
    }

    struct JobList: Encodable {
        var jobs: [JobView]
        var total: Int
        var offset: Int
        var limit: Int
    }

    struct Dataset: Encodable {
        var name: String
        var bytes: Int64
        var modifiedAt: Int64
    }

    struct DatasetList: Encodable {
        var directory: String
        var datasets: [Dataset]
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get("backtest", use: list)
        group.get("backtests", use: list)
        group.post("backtests", use: submit)
        group.get("backtests/:id", use: detail)
        group.get("backtests/:id/result", use: result)
        group.get("backtests/:id/report", use: report)
        group.delete("backtests/:id", use: delete)
        group.get("datasets", use: datasets)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let limit = try request.queryInteger("limit", default: 50, range: 1...200)
        let offset = try request.queryInteger("offset", default: 0, range: 0...1_000_000)
        var status: BacktestJobRecord.Status?
        if let text = request.uri.queryParameters.get("status") {
            guard let value = BacktestJobRecord.Status(rawValue: String(text)) else {
                throw APIError.badRequest(
                    "status must be one of \(BacktestJobRecord.Status.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "status")
            }
            status = value
        }
        let page = try await services.database.backtestJobs.jobs(
            owner: identity.role == .admin ? nil : identity.userID, status: status, offset: offset, limit: limit)
        return try JSONResponse.make(
            JobList(jobs: page.jobs.map(view), total: page.total, offset: offset, limit: limit))
    }

    @Sendable func submit(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let body = try await request.bytes(context: context)
        let parsed = try BacktestRequest(body: body)
        if case .file(let name, _, _) = parsed.data {
            let path = URL(fileURLWithPath: queue.candleDirectory).appendingPathComponent(name).path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw APIError.badRequest(
                    "data.file '\(name)' is not in the server's candle folder; see GET /api/v1/analytics/datasets",
                    field: "data.file")
            }
        }
        let queued = try await services.database.backtestJobs.jobs(
            owner: identity.userID, status: .queued, offset: 0, limit: 1)
        guard queued.total < BacktestQueue.maxQueuedPerUser else {
            throw APIError(
                .tooManyRequests, code: "too_many_jobs",
                message: "\(queued.total) backtests of yours are waiting; submit more once they have run",
                retryAfter: 10)
        }
        let name = parsed.name.isEmpty ? Self.defaultName(parsed) : parsed.name
        let job = BacktestJobRecord(
            id: TokenService.randomToken().prefix(32).lowercased(), ownerID: identity.userID, name: name,
            request: String(decoding: body, as: UTF8.self), createdAt: services.clock.now())
        try await queue.submit(job)
        await services.audit(
            identity.userID, identity.username, "backtest_submit", target: "backtest:\(job.id)", detail: name,
            address: context.address)
        return try JSONResponse.make(view(job), status: .accepted)
    }

    @Sendable func detail(_ request: Request, context: ServerContext) async throws -> Response {
        try JSONResponse.make(view(try await job(context, needs: .viewer)))
    }

    @Sendable func result(_ request: Request, context: ServerContext) async throws -> Response {
        let job = try await finished(context)
        guard let data = try await services.database.backtestJobs.result(id: job.id) else {
            throw APIError.notFound("backtest \(job.id) has no result")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The report is a self-contained page without scripts; it is served with a policy that allows its
    /// inline styles and SVG and nothing else.
    @Sendable func report(_ request: Request, context: ServerContext) async throws -> Response {
        let job = try await finished(context)
        guard let data = try await services.database.backtestJobs.report(id: job.id) else {
            throw APIError.notFound("backtest \(job.id) has no report")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        if request.uri.queryParameters.get("download") != nil {
            headers[.contentDisposition] = "attachment; filename=\"petrel-backtest-\(job.id).html\""
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Cancels a queued job or deletes a finished one; a running job is left to finish.
    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        var job = try await job(context, needs: .trader)
        switch job.status {
        case .running:
            throw APIError.conflict("backtest \(job.id) is running; it can be deleted once it has finished")
        case .queued:
            job.status = .cancelled
            job.finishedAt = services.clock.now()
            job.error = "cancelled by \(identity.username)"
            try await services.database.backtestJobs.update(job)
            await services.audit(
                identity.userID, identity.username, "backtest_cancel", target: "backtest:\(job.id)",
                address: context.address)
            return try JSONResponse.make(view(job))
        case .succeeded, .failed, .cancelled:
            try await services.database.backtestJobs.delete(id: job.id)
            await services.audit(
                identity.userID, identity.username, "backtest_delete", target: "backtest:\(job.id)",
                address: context.address)
            return Response(status: .noContent)
        }
    }

    /// The candle files in `<data-dir>/candles` (CSV, CSV.gz, Binance and Yahoo CSV, `.pcandles`).
    @Sendable func datasets(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        let directory = URL(fileURLWithPath: queue.candleDirectory)
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
        let files =
            (try? FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])) ?? []
        var datasets: [Dataset] = []
        for file in files {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                (try? BacktestRequest.candleFileName(file.lastPathComponent, field: "file")) != nil
            else { continue }
            datasets.append(
                Dataset(
                    name: file.lastPathComponent, bytes: Int64(values.fileSize ?? 0),
                    modifiedAt: Int64((values.contentModificationDate?.timeIntervalSince1970 ?? 0) * 1_000)))
        }
        datasets.sort { $0.name < $1.name }
        return try JSONResponse.make(DatasetList(directory: queue.candleDirectory, datasets: datasets))
    }

    // MARK: - Helpers

    func view(_ job: BacktestJobRecord) -> JobView {
        JobView(
            id: job.id, name: job.name, status: job.status.rawValue,
            progress: job.status == .running ? (queue.liveProgress(job.id) ?? job.progress) : job.progress,
            error: job.error,
            summary: job.summary.flatMap {
                try? JSONDecoder.snakeCase.decode(BacktestSummary.self, from: Data($0.utf8))
            },
            ownerId: job.ownerID, createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt)
    }

    /// The job in the path, if the caller has `role` and may see it (others' jobs are 404).
    func job(_ context: ServerContext, needs role: UserRole) async throws -> BacktestJobRecord {
        let identity = try context.require(role)
        let id = try context.parameters.require("id")
        guard let job = try await services.database.backtestJobs.job(id: id),
            identity.role == .admin || job.ownerID == identity.userID
        else {
            throw APIError.notFound("no backtest '\(id)'")
        }
        return job
    }

    func finished(_ context: ServerContext) async throws -> BacktestJobRecord {
        let job = try await job(context, needs: .viewer)
        guard job.status == .succeeded else {
            throw APIError.conflict(
                "backtest \(job.id) is \(job.status.rawValue)\(job.error.map { ": \($0)" } ?? ""); a result exists once it has succeeded"
            )
        }
        return job
    }

    static func defaultName(_ request: BacktestRequest) -> String {
        switch request.data {
        case .file(let name, _, _): return "\(request.selection.descriptor.name) on \(name)"
        case .simulated(let symbol, let timeframe, _, _, _):
            return "\(request.selection.descriptor.name) on simulated \(symbol) \(timeframe.rawValue)"
        }
    }
}

extension JSONDecoder {
    /// Reads what ``JSONResponse`` writes.
    static let snakeCase: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
