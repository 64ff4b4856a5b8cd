import FluentKit

/// `backtest_jobs`: backtests submitted through the API, with their result and report once done.
struct CreateBacktestJobs: AsyncMigration {
    var name: String { "CreateBacktestJobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BacktestJobModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("owner_id", .int64, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("status", .string, .required)
            .field("progress", .double, .required)
            .field("request", .string, .required)
            .field("error", .string)
            .field("summary", .string)
            .field("result", .data)
            .field("report", .data)
            .field("created_at", .int64, .required)
            .field("started_at", .int64)
            .field("finished_at", .int64)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BacktestJobModel.schema).delete()
    }
}
