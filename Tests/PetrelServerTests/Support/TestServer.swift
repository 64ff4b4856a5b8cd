import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PetrelPersistence
import PetrelServer
import PetrelTestSupport

/// A prepared server on a temporary data directory (bcrypt cost 4 to keep tests fast), with the
/// `admin` user, and helpers to log in and call routes.
struct TestServer {
    static let adminPassword = "admin-password-1"
    static let metricsToken = "scrape-token-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c"
    static let secret = "3f9a1c7e5b2d4f608e1a3c5b7d9f0e2a4c6b8d0f1e3a5c7b9d2f4e6a8c0b1d3f"

    let directory: URL
    let runner: PetrelServerRunner
    var services: ServerServices { runner.services }

    /// Prepares a server; `demo` also creates the demo bot; `directory` reopens an earlier server's data.
    static func make(
        demo: Bool = false, rateLimit: Double = 0, origins: Set<String> = [], directory: URL? = nil,
        binanceURL: String? = nil, okxURL: String? = nil
    ) async throws -> TestServer {
        let directory = try directory ?? Fixtures.temporaryDirectory("petrel-server")
        var options = ServerOptions(
            port: 0, dataDirectory: directory.path, allowedOrigins: origins, rateLimit: rateLimit, demo: demo)
        options.binanceURL = binanceURL
        options.okxURL = okxURL
        let runner = try await PetrelServerRunner.prepare(
            options: options,
            environment: [
                "PETREL_JWT_SECRET": secret, "PETREL_ADMIN_PASSWORD": adminPassword,
                "PETREL_METRICS_TOKEN": metricsToken,
            ],
            hasher: PasswordHasher(cost: 4), output: { _ in })
        return TestServer(directory: directory, runner: runner)
    }

    /// Runs `body` against the router (no socket), then stops the bots and removes the directory.
    /// - Parameter backtests: whether the backtest queue runs jobs (off: they stay queued).
    static func withServer<Result: Sendable>(
        demo: Bool = false, rateLimit: Double = 0, origins: Set<String> = [], backtests: Bool = true,
        binanceURL: String? = nil, okxURL: String? = nil,
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        let server = try await make(
            demo: demo, rateLimit: rateLimit, origins: origins, binanceURL: binanceURL, okxURL: okxURL)
        let app = Application(router: ServerRouter.make(server.services))
        let worker = backtests ? Task { await server.services.backtests.run() } : nil
        func stopWorker() async {
            server.services.backtests.finish()
            worker?.cancel()
            await worker?.value
        }
        do {
            let result = try await app.test(.router) { client in try await body(server, client) }
            await stopWorker()
            await server.close()
            return result
        } catch {
            await stopWorker()
            await server.close()
            throw error
        }
    }

    /// Runs `body` against a live server on a loopback port (WebSocket tests), then cleans up.
    static func withLiveServer<Result: Sendable>(
        demo: Bool = false, _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        let server = try await make(demo: demo)
        let app = ServerRouter.application(server.services, host: "127.0.0.1", port: 0)
        do {
            let result = try await app.test(.live) { client in try await body(server, client) }
            await server.close()
            return result
        } catch {
            await server.close()
            throw error
        }
    }

    func close() async {
        await runner.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Creates a user directly in the database.
    func user(_ name: String, role: UserRole, password: String = "user-password-1") async throws -> UserRecord {
        try await services.database.users.create(
            username: name, passwordHash: services.hasher.hash(password), role: role, at: 1)
    }
}

/// A decoded JSON response.
struct JSONReply: @unchecked Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let object: Any?

    subscript(_ key: String) -> Any? { (object as? [String: Any])?[key] }

    /// `error.code`, `error.message`, `error.field` of an error reply.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (self["error"] as? [String: Any])?["message"] as? String }
    var errorField: String? { (self["error"] as? [String: Any])?["field"] as? String }
}

extension TestClientProtocol {
    /// Calls a route with an optional JSON body and bearer token.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> JSONReply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(response.body.readableBytesView)
            return JSONReply(
                status: response.status, headers: response.headers,
                object: data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data))
        }
    }

    /// Logs in and returns the access token.
    func login(_ username: String, _ password: String) async throws -> String {
        let reply = try await call(
            .post, "/api/v1/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard let token = reply["access_token"] as? String else {
            throw TestFailure("login of \(username) failed: \(reply.status) \(String(describing: reply.object))")
        }
        return token
    }

    /// The admin's access token.
    func adminToken() async throws -> String { try await login("admin", TestServer.adminPassword) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A seed 002 config on the simulated market, paced so a started bot keeps running until stopped.
enum ServerConfigs {
    static let simulated = """
        {"broker": {"type": "paper", "initial_balance": 10000.0, "commission": 0.001},
         "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
         "data": {"data_source": "simulated", "symbol": "BTCUSDT", "interval": "15m", "lookback_bars": 30, "speed": 900},
         "strategy": {"type": "ma_crossover", "params": {"fast_period": 5, "slow_period": 15, "ma_type": "ema"}}}
        """

    /// The same bot replaying about 20 candles a second, so it trades within a few seconds.
    static let fast = simulated.replacingOccurrences(of: #""speed": 900"#, with: #""speed": 20000"#)
}
