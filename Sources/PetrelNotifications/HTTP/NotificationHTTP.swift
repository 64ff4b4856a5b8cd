import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP client of every HTTP channel: one per process, no redirects (a webhook must not be bounced to
/// an address it may not reach), 5 s to connect, 15 s to answer.
public enum NotificationHTTP {
    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(5), read: .seconds(15))))

    /// An answer: status, headers and at most 1 MiB of body.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        /// The body as a JSON object, if it is one.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }

        /// `Retry-After` in seconds, if given as a number.
        var retryAfter: Double? { headers.first(name: "Retry-After").flatMap(Double.init) }
    }

    /// POSTs `body` to `url`.
    /// - Parameters:
    ///   - service: the name used in messages ("Telegram").
    ///   - secrets: strings removed from any message (a token in the URL's path).
    ///   - timeoutSeconds: how long the whole exchange may take.
    /// - Throws: ``DeliveryError/retryable(_:retryAfterSeconds:)`` when the service cannot be reached or
    ///   does not answer in time.
    static func post(
        _ url: String, headers: [(String, String)], body: Data, service: String, secrets: [String],
        timeoutSeconds: Int64 = 20
    ) async throws(DeliveryError) -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "User-Agent", value: "Petrel")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Reply(
                status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        } catch {
            throw .retryable("\(service) could not be reached: \(redact("\(error)", secrets))")
        }
    }

    /// `text` with every secret replaced by `***`.
    static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
