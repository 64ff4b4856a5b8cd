import Foundation
import HummingbirdWebSocket
import NIOCore

/// A test's side of a WebSocket: send JSON, read the next message, or read until one matches.
struct WebSocketSession {
    var iterator: WebSocketInboundMessageStream.AsyncIterator
    let outbound: WebSocketOutboundWriter

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        self.outbound = outbound
    }

    func send(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// The next text message as a JSON object.
    mutating func next() async throws -> [String: Any] {
        guard let message = try await iterator.next() else { throw TestFailure("the server closed the socket") }
        guard case .text(let text) = message,
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { throw TestFailure("not a JSON text message: \(message)") }
        return object
    }

    /// Messages the server sends on its own (broadcasts and subscribed events), never as a reply.
    static let events: Set<String> = [
        "price_update", "trade_executed", "bot_state", "order_update", "position_update", "equity_update", "log",
    ]

    /// Sends a request and returns the first reply (skipping broadcasts and subscribed events).
    mutating func request(_ text: String) async throws -> [String: Any] {
        try await send(text)
        return try await until { !Self.events.contains($0["type"] as? String ?? "") }
    }

    /// Reads until a message matches (at most `seconds`).
    mutating func until(seconds: Int = 30, _ matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let message = try await next()
            if matches(message) { return message }
        }
        throw TestFailure("no matching message within \(seconds) s")
    }
}
