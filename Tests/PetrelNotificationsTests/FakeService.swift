import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A local HTTP server standing in for Telegram, Twilio or a webhook receiver: it records every request
/// and answers from a script (then with the default answer).
final class FakeService: Sendable {
    struct Recorded: Sendable {
        var method: String
        var path: String
        var headers: HTTPFields
        var body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var form: [String: String] {
            var result: [String: String] = [:]
            for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                result[parts[0]] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
            }
            return result
        }
    }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var body: String
        var headers: HTTPFields = [:]
        /// How long the answer is held back (a long poll that waits for updates).
        var delayMilliseconds: Int64 = 0
    }

    private let state = Mutex<(requests: [Recorded], script: [Answer])>(([], []))
    let fallback: Answer

    init(fallback: Answer) {
        self.fallback = fallback
    }

    var requests: [Recorded] { state.withLock { $0.requests } }

    /// The next answers, in order.
    func script(_ answers: [Answer]) { state.withLock { $0.script += answers } }

    /// Runs `body` with the server listening on a loopback port.
    func run(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("**") { request, context -> Response in
            let data = Data(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let answer = self.state.withLock { state -> Answer in
                state.requests.append(
                    Recorded(method: "POST", path: request.uri.path, headers: request.headers, body: data))
                return state.script.isEmpty ? self.fallback : state.script.removeFirst()
            }
            if answer.delayMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(answer.delayMilliseconds)) }
            var headers = answer.headers
            headers[.contentType] = "application/json"
            return Response(
                status: answer.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
            )
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw FakeFailure("the fake service has no port") }
            try await body(port)
        }
    }
}

struct FakeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Sleeps recorded instead of waited.
final class RecordedSleeps: Sendable {
    private let waits = Mutex<[Double]>([])
    var all: [Double] { waits.withLock { $0 } }
    func sleep(_ seconds: Double) async { waits.withLock { $0.append(seconds) } }
}
