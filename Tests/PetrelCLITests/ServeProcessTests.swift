import Foundation
import PetrelTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `petrel serve` and `petrel user create` on the real binary, over loopback.
@Suite("petrel serve process", .serialized)
struct ServeProcessTests {
    static let environment = [
        "PETREL_JWT_SECRET": "7c1e9a3f5b2d4c6e8a0f1b3d5e7c9a2b4d6f8e0a1c3b5d7f9e2a4c6b8d0f1e3a",
        "PETREL_ADMIN_PASSWORD": "first-admin-password",
    ]

    /// Waits (up to 60 s) until the server prints its port.
    static func port(in output: URL) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on http://127.0.0.1:") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServeFailure("the server did not report its port")
    }

    static func request(_ method: String, _ url: String, body: String? = nil, token: String? = nil) async throws -> (
        Int, [String: Any]
    ) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    @Test("serve starts on loopback with an admin and the demo bot trading, and SIGTERM stops it cleanly")
    func serveLifecycle() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out.txt")
        let process = try PetrelProcess.start(
            ["serve", "--port", "0", "--data-dir", "data"], in: directory, environment: Self.environment, stdout: out,
            stderr: directory.appendingPathComponent("err.txt"))
        defer { if process.isRunning { process.terminate() } }
        let port = try await Self.port(in: out)
        let base = "http://127.0.0.1:\(port)"
        let (healthStatus, health) = try await Self.request("GET", "\(base)/health")
        #expect(healthStatus == 200)
        #expect((health["bots"] as? [String: Int])?["running"] == 1)
        let (loginStatus, login) = try await Self.request(
            "POST", "\(base)/api/v1/auth/login", body: #"{"username":"admin","password":"first-admin-password"}"#)
        #expect(loginStatus == 200)
        let token = try #require(login["access_token"] as? String)
        let (_, bots) = try await Self.request("GET", "\(base)/api/v1/bots", token: token)
        let demo = try #require((bots["bots"] as? [[String: Any]])?.first)
        #expect(demo["id"] as? String == "demo" && (demo["name"] as? String)?.contains("simulated") == true)
        // The demo bot sends its first order within a minute (one 15-minute candle per second).
        let deadline = ContinuousClock.now + .seconds(60)
        var orders: [Any] = []
        while orders.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            orders =
                (try await Self.request("GET", "\(base)/api/v1/bots/demo/orders", token: token)).1["items"] as? [Any]
                ?? []
        }
        #expect(!orders.isEmpty)
        let printed = try String(contentsOf: out, encoding: .utf8)
        #expect(printed.contains("created user 'admin' with the password in PETREL_ADMIN_PASSWORD"))
        #expect(!printed.contains("first-admin-password"))
        process.terminate()
        await PetrelProcess.waitForExit(process)
        let errors = (try? String(contentsOf: directory.appendingPathComponent("err.txt"), encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(process.terminationReason): \(errors.suffix(3_000))")
        let mode = try FileManager.default.attributesOfItem(
            atPath: directory.appendingPathComponent("data/petrel.sqlite").path)
        #expect(mode[.size] != nil)
    }

    @Test("serve refuses a default JWT secret and exits 1 with the reason")
    func refusesDefaultSecret() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try await PetrelProcess.execute(
            ["serve", "--port", "0", "--data-dir", "data"], in: directory,
            environment: ["PETREL_JWT_SECRET": "changeme"])
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr.contains("refusing to start: JWT secret: PETREL_JWT_SECRET holds a well-known default value")
        )
    }

    @Test("user create adds a user who can log in; a bad role, a short password and a taken name are refused")
    func userCreate() async throws {
        let directory = try Fixtures.temporaryDirectory("petrel-serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try await PetrelProcess.execute(
            ["user", "create", "--username", "olivia", "--role", "viewer", "--data-dir", "data"], in: directory,
            environment: ["PETREL_USER_PASSWORD": "olivia-password"])
        #expect(created.status == 0)
        #expect(created.stdout.contains("created user 'olivia'") && created.stdout.contains("role viewer"))
        let taken = try await PetrelProcess.execute(
            ["user", "create", "--username", "olivia", "--data-dir", "data"], in: directory,
            environment: ["PETREL_USER_PASSWORD": "olivia-password"])
        #expect(taken.status == 1 && taken.stderr.contains("the username 'olivia' is taken"))
        let badRole = try await PetrelProcess.execute(
            ["user", "create", "--username", "x1x", "--role", "root", "--data-dir", "data"], in: directory,
            environment: ["PETREL_USER_PASSWORD": "olivia-password"])
        #expect(badRole.status != 0 && badRole.stderr.contains("expected one of admin, trader, viewer"))
        let short = try await PetrelProcess.execute(
            ["user", "create", "--username", "pat", "--data-dir", "data"], in: directory,
            environment: ["PETREL_USER_PASSWORD": "short"])
        #expect(short.status == 1 && short.stderr.contains("at least 10 characters"))

        let out = directory.appendingPathComponent("out.txt")
        let process = try PetrelProcess.start(
            ["serve", "--port", "0", "--data-dir", "data", "--no-demo"], in: directory,
            environment: Self.environment, stdout: out, stderr: directory.appendingPathComponent("err.txt"))
        defer { if process.isRunning { process.terminate() } }
        let port = try await Self.port(in: out)
        let (status, login) = try await Self.request(
            "POST", "http://127.0.0.1:\(port)/api/v1/auth/login",
            body: #"{"username":"olivia","password":"olivia-password"}"#)
        #expect(status == 200)
        #expect((login["user"] as? [String: Any])?["role"] as? String == "viewer")
        // Users exist, so no admin was created on this first serve.
        #expect(try !String(contentsOf: out, encoding: .utf8).contains("created user 'admin'"))
        process.terminate()
        await PetrelProcess.waitForExit(process)
        let errors = (try? String(contentsOf: directory.appendingPathComponent("err.txt"), encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(process.terminationReason): \(errors.suffix(3_000))")
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
