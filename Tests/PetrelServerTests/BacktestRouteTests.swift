import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PetrelCore
import PetrelMarketData
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Backtest jobs: submit, progress, result, report, listing, cancel and delete, validation, ownership.
@Suite("Backtest jobs")
struct BacktestRouteTests {
    static let simulatedJob =
        #"{"name":"sim","strategy":"volatile","data":{"simulated":true,"candles":3000,"seed":7},"initial_balance":"10000","fee":0.001}"#

    /// Polls a job until it is finished (up to 60 s).
    static func waitFinished(_ client: any TestClientProtocol, _ id: String, token: String) async throws -> JSONReply {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let reply = try await client.call(.get, "/api/v1/analytics/backtests/\(id)", token: token)
            if let status = reply["status"] as? String, ["succeeded", "failed", "cancelled"].contains(status) {
                return reply
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("backtest \(id) did not finish in time")
    }

    @Test("a simulated-market job runs to a result, a JSON result and a script-free HTML report")
    func simulatedJob() async throws {
        try await TestServer.withServer { _, client in
            let token = try await client.adminToken()
            let submitted = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token, json: Self.simulatedJob)
            #expect(submitted.status == .accepted)
            #expect(submitted["status"] as? String == "queued")
            let id = try #require(submitted["id"] as? String)
            let done = try await Self.waitFinished(client, id, token: token)
            #expect(done["status"] as? String == "succeeded", "\(String(describing: done.object))")
            #expect(done["progress"] as? Double == 1)
            let summary = try #require(done["summary"] as? [String: Any])
            #expect(summary["candles"] as? Int == 3000 && summary["symbol"] as? String == "SIM/USDT")
            #expect(summary["timeframe"] as? String == "15m" && summary["initial_balance"] as? String == "10000")
            let finalEquity = try #require(summary["final_equity"] as? String)

            let result = try await client.call(.get, "/api/v1/analytics/backtests/\(id)/result", token: token)
            #expect(result.status == .ok)
            #expect(result["finalEquity"] as? String == finalEquity)
            let curve = try #require(result["equityCurve"] as? [[String: Any]])
            #expect(!curve.isEmpty && curve.count <= 2_000)
            let trades = try #require(result["trades"] as? [Any])
            #expect(trades.count == summary["trades"] as? Int)
            #expect((result["strategy"] as? [String: Any])?["name"] as? String == "volatile")

            let report = try await client.execute(
                uri: "/api/v1/analytics/backtests/\(id)/report", method: .get,
                headers: [.authorization: "Bearer \(token)"]
            ) { response in
                (
                    response.status, response.headers[.contentType], response.headers[.contentSecurityPolicy],
                    String(buffer: response.body)
                )
            }
            #expect(report.0 == .ok && report.1 == "text/html; charset=utf-8")
            #expect(report.2?.hasPrefix("default-src 'none'") == true)
            #expect(
                report.3.contains("<svg") && report.3.contains("Backtest: volatile") && !report.3.contains("<script"))

            let list = try await client.call(.get, "/api/v1/analytics/backtests", token: token)
            #expect((list["jobs"] as? [[String: Any]])?.first?["id"] as? String == id && list["total"] as? Int == 1)
            let seedRoute = try await client.call(.get, "/api/v1/analytics/backtest", token: token)
            #expect(seedRoute["total"] as? Int == 1)
            let succeeded = try await client.call(
                .get, "/api/v1/analytics/backtests?status=succeeded", token: token)
            #expect(succeeded["total"] as? Int == 1)
            let bad = try await client.call(.get, "/api/v1/analytics/backtests?status=done", token: token)
            #expect(bad.status == .badRequest && bad.errorField == "status")

            let deleted = try await client.call(.delete, "/api/v1/analytics/backtests/\(id)", token: token)
            #expect(deleted.status == .noContent)
            let gone = try await client.call(.get, "/api/v1/analytics/backtests/\(id)", token: token)
            #expect(gone.status == .notFound)
        }
    }

    @Test("a job reads a candle file from the data directory's candles folder, cut by from and to")
    func fileJob() async throws {
        try await TestServer.withServer { server, client in
            let folder = URL(fileURLWithPath: server.services.fleet.candleDirectory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let series = SyntheticMarket.generate(
                SyntheticMarket.Configuration(
                    seed: 3, symbol: try Symbol(parsing: "ETH/USDT"), startPrice: 2_000,
                    startTimestamp: 1_704_067_200_000, timeframe: .h1, count: 2_000))
            try series.write(csvTo: folder.appendingPathComponent("test_ETHUSDT_1h_2024.csv"))
            let token = try await client.adminToken()
            let datasets = try await client.call(.get, "/api/v1/analytics/datasets", token: token)
            let names = (datasets["datasets"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["test_ETHUSDT_1h_2024.csv"])
            let submitted = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token,
                json:
                    #"{"strategy":"rsi_bb","parameters":{"rsi_period":10},"data":{"file":"test_ETHUSDT_1h_2024.csv","symbol":"ETH/USDT"},"from":"2024-01-10","to":"2024-02-10"}"#
            )
            #expect(submitted.status == .accepted)
            #expect(submitted["name"] as? String == "rsi_bb on test_ETHUSDT_1h_2024.csv")
            let done = try await Self.waitFinished(client, try #require(submitted["id"] as? String), token: token)
            let summary = try #require(done["summary"] as? [String: Any])
            #expect(summary["candles"] as? Int == 31 * 24, "\(String(describing: done.object))")
            #expect(summary["start_time"] as? Int == 1_704_844_800_000)
        }
    }

    @Test("bad requests are refused with the member named, and nothing is queued")
    func validation() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            let sim = #""data":{"simulated":true}"#
            let cases: [(String, String)] = [
                (#"{"strategy":"volatile",\#(sim),"fee":5}"#, "fee"),
                (#"{"strategy":"volatile",\#(sim),"slippage":-1}"#, "slippage"),
                (#"{"strategy":"volatile",\#(sim),"initial_balance":"-5"}"#, "initial_balance"),
                (#"{"strategy":"volatile",\#(sim),"initial_balance":"ten"}"#, "initial_balance"),
                (#"{"strategy":"volatile",\#(sim),"colour":"red"}"#, "colour"),
                (#"{"strategy":"nope",\#(sim)}"#, "strategy"),
                (#"{"strategy":"rsi_bb","parameters":{"nope":1},\#(sim)}"#, "parameters.nope"),
                (#"{"strategy":"rsi_bb","parameters":{"rsi_period":0},\#(sim)}"#, "parameters.rsi_period"),
                (#"{\#(sim)}"#, "strategy"),
                (#"{"strategy":"volatile"}"#, "data"),
                (#"{"strategy":"volatile","data":{"file":"../etc/passwd"}}"#, "data.file"),
                (#"{"strategy":"volatile","data":{"file":"missing.csv"}}"#, "data.file"),
                (#"{"strategy":"volatile","data":{"simulated":true,"candles":5}}"#, "data.candles"),
                (#"{"strategy":"volatile","data":{"simulated":true,"timeframe":"7m"}}"#, "data.timeframe"),
                (#"{"strategy":"volatile","data":{"simulated":true,"speed":2}}"#, "data.speed"),
                (#"{"strategy":"volatile",\#(sim),"from":"2024-03-01","to":"2024-01-01"}"#, "from"),
                (#"{"strategy":"volatile",\#(sim),"from":"yesterday"}"#, "from"),
                (#"{"strategy":"volatile",\#(sim),"equity_points":1}"#, "equity_points"),
                (#"{"strategy":"volatile","config":{},\#(sim)}"#, "config"),
                (#"[1,2]"#, ""),
            ]
            for (body, field) in cases {
                let reply = try await client.call(.post, "/api/v1/analytics/backtests", token: token, json: body)
                #expect(reply.status == .badRequest, "\(body)")
                if !field.isEmpty { #expect(reply.errorField == field, "\(body): \(String(describing: reply.object))") }
            }
            let config = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token,
                json: #"{"config":{"strategy":{"type":"volatile"},"broker":{"type":"paper","initial_balance":-1}}}"#)
            #expect(config.status == .badRequest && config.errorCode == "invalid_config")
            let jobs = try await server.services.database.backtestJobs.jobs(owner: nil, offset: 0, limit: 10)
            #expect(jobs.total == 0)
        }
    }

    @Test("a seed 002 config gives the strategy, balance and market of a job")
    func configJob() async throws {
        try await TestServer.withServer { _, client in
            let token = try await client.adminToken()
            let submitted = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token,
                json: #"{"config":\#(ServerConfigs.simulated)}"#)
            #expect(submitted.status == .accepted, "\(String(describing: submitted.object))")
            let done = try await Self.waitFinished(client, try #require(submitted["id"] as? String), token: token)
            let summary = try #require(done["summary"] as? [String: Any])
            #expect(summary["symbol"] as? String == "BTC/USDT" && summary["timeframe"] as? String == "15m")
            #expect(summary["candles"] as? Int == 20_000)
        }
    }

    @Test("a queued job can be cancelled; a running one cannot be deleted; results need success")
    func cancel() async throws {
        try await TestServer.withServer(backtests: false) { server, client in
            let token = try await client.adminToken()
            let submitted = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token, json: Self.simulatedJob)
            let id = try #require(submitted["id"] as? String)
            let early = try await client.call(.get, "/api/v1/analytics/backtests/\(id)/result", token: token)
            #expect(early.status == .conflict)
            let cancelled = try await client.call(.delete, "/api/v1/analytics/backtests/\(id)", token: token)
            #expect(cancelled.status == .ok && cancelled["status"] as? String == "cancelled")
            #expect((cancelled["error"] as? String)?.contains("cancelled by admin") == true)

            var running = try #require(try await server.services.database.backtestJobs.job(id: id))
            running.status = .running
            try await server.services.database.backtestJobs.update(running)
            let busy = try await client.call(.delete, "/api/v1/analytics/backtests/\(id)", token: token)
            #expect(busy.status == .conflict)
        }
    }

    @Test("jobs left queued or running by a stopped server run after the next start")
    func resumesUnfinished() async throws {
        try await TestServer.withServer(backtests: false) { server, client in
            let token = try await client.adminToken()
            let first = try await client.call(
                .post, "/api/v1/analytics/backtests", token: token, json: Self.simulatedJob)
            let id = try #require(first["id"] as? String)
            var job = try #require(try await server.services.database.backtestJobs.job(id: id))
            job.status = .running
            job.progress = 0.4
            try await server.services.database.backtestJobs.update(job)
            let worker = Task { await server.services.backtests.run() }
            let done = try await Self.waitFinished(client, id, token: token)
            #expect(done["status"] as? String == "succeeded")
            server.services.backtests.finish()
            worker.cancel()
            await worker.value
        }
    }

    @Test("traders submit, viewers only read, and nobody sees another user's jobs")
    func roles() async throws {
        try await TestServer.withServer(backtests: false) { server, client in
            _ = try await server.user("tina", role: .trader)
            _ = try await server.user("vic", role: .viewer)
            let tina = try await client.login("tina", "user-password-1")
            let vic = try await client.login("vic", "user-password-1")
            let admin = try await client.adminToken()
            let viewerSubmit = try await client.call(
                .post, "/api/v1/analytics/backtests", token: vic, json: Self.simulatedJob)
            #expect(viewerSubmit.status == .forbidden)
            let own = try await client.call(.post, "/api/v1/analytics/backtests", token: tina, json: Self.simulatedJob)
            #expect(own.status == .accepted)
            let id = try #require(own["id"] as? String)
            for path in ["", "/result", "/report"] {
                let other = try await client.call(.get, "/api/v1/analytics/backtests/\(id)\(path)", token: vic)
                #expect(other.status == .notFound, "\(path)")
            }
            let otherDelete = try await client.call(.delete, "/api/v1/analytics/backtests/\(id)", token: vic)
            #expect(otherDelete.status == .forbidden)
            let vicList = try await client.call(.get, "/api/v1/analytics/backtests", token: vic)
            #expect(vicList["total"] as? Int == 0)
            let adminList = try await client.call(.get, "/api/v1/analytics/backtests", token: admin)
            #expect(adminList["total"] as? Int == 1)
            let noToken = try await client.call(.get, "/api/v1/analytics/backtests/\(id)")
            #expect(noToken.status == .unauthorized)
        }
    }
}
