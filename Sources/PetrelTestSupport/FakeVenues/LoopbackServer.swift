import Hummingbird
import NIOCore

/// How the fake venues serve: on a free loopback port, for as long as a test body runs.
enum LoopbackServer {
    /// Runs the application `make` builds (it must call the closure it is given once it listens) while
    /// `body` runs with its base URL (`http://127.0.0.1:PORT`), then stops it.
    static func run<App: ApplicationProtocol>(
        _ make: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App,
        _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = make { channel in announce.yield(channel.localAddress?.port ?? 0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            do {
                try await body("http://127.0.0.1:\(port)")
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    /// A plain HTTP application of `router` on a free loopback port.
    static func run(_ router: Router<BasicRequestContext>, _ body: @Sendable (String) async throws -> Void)
        async throws
    {
        try await run(
            { running in
                Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: running)
            }, body)
    }
}
