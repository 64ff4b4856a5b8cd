import Foundation
import Logging
import NIOWebSocket
import PetrelCore
import PetrelRuntime
import Synchronization
import WSClient

/// One user-data event, decoded.
public enum BinanceUserEvent: Sendable, Hashable {
    /// The subscription is live: anything earlier must be read over REST.
    case subscribed
    /// An order's new state (`executionReport`).
    case order(VenueOrder)
    /// A trade of one of the account's orders (`executionReport` with `x` = `TRADE`).
    case fill(Fill)
}

/// Binance's user-data events through the WebSocket API (EXCHANGE-APIS.md §1.11): a connection to
/// `/ws-api/v3`, `userDataStream.subscribe.signature` signed with the account's key (sorted, unencoded
/// parameters), then `executionReport` events wrapped as `{"subscriptionId":…,"event":{…}}`. The listenKey
/// flow is not used (Binance retires it).
public struct BinanceUserDataStream: Sendable {
    /// Binance's live WebSocket API.
    public static let liveURL = "wss://ws-api.binance.com:443/ws-api/v3"
    /// The spot test network's WebSocket API.
    public static let testnetURL = "wss://ws-api.testnet.binance.vision/ws-api/v3"

    public let url: String
    let client: BinanceClient
    /// How often the connection is pinged; one that does not answer before the next ping is closed (an idle
    /// account sends nothing for hours, so silence alone says nothing).
    let pingSeconds: Int64
    /// The symbol of a Binance id (`BTCUSDT`), for the ids this account trades.
    let symbols: @Sendable (String) -> Symbol?

    /// - Parameters:
    ///   - url: ``liveURL``, ``testnetURL`` or another (`ws://` for a test server).
    ///   - client: the signed client (its key, secret and venue clock).
    ///   - symbols: resolves Binance's symbol ids of the events.
    public init(
        url: String, client: BinanceClient, pingSeconds: Int64 = 30,
        symbols: @escaping @Sendable (String) -> Symbol?
    ) {
        self.url = url
        self.client = client
        self.pingSeconds = pingSeconds
        self.symbols = symbols
    }

    /// The WebSocket API URL that goes with a REST base URL: the test network's for the test network, the
    /// live one for the live API, none for anything else (a proxy or a test server names its own).
    public static func url(forREST baseURL: String) -> String? {
        guard let host = URL(string: baseURL)?.host?.lowercased() else { return nil }
        if host == "testnet.binance.vision" || host == "api1.testnet.binance.vision" { return testnetURL }
        let live: Set = [
            "api.binance.com", "api-gcp.binance.com", "api1.binance.com", "api2.binance.com", "api3.binance.com",
            "api4.binance.com",
        ]
        return live.contains(host) ? liveURL : nil
    }

    /// The subscription request: `apiKey` and `timestamp` signed over their sorted, unencoded form.
    func subscribeRequest(id: String) async throws(ExecutionError) -> String {
        guard let credentials = client.credentials else {
            throw .fatal("binance user data: needs an API key and secret")
        }
        if !client.offset.isMeasured { try await client.synchronizeClock() }
        let timestamp = String(client.offset.venueTime(local: client.now()))
        let parameters = ["apiKey": credentials.apiKey, "timestamp": timestamp]
        let signature = BinanceSigner.signature(
            BinanceSigner.webSocketPayload(parameters), secret: credentials.secret)
        return
            #"{"id":"\#(id)","method":"userDataStream.subscribe.signature","params":{"apiKey":"\#(credentials.apiKey)","timestamp":\#(timestamp),"signature":"\#(signature)"}}"#
    }

    /// The account's events over one connection: ``BinanceUserEvent/subscribed`` first, then orders and
    /// fills, until the consumer stops reading or the connection fails (the stream then finishes with the
    /// error; the caller reconnects and reads what it missed over REST).
    public func events() -> AsyncThrowingStream<BinanceUserEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: BinanceUserEvent.self)
        let task = Task {
            do {
                try await connection(continuation)
                continuation.finish(throwing: BinanceStreamError.closed("closed by the server"))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func connection(_ continuation: AsyncThrowingStream<BinanceUserEvent, any Error>.Continuation) async throws {
        let request = try await subscribeRequest(id: UUID().uuidString.lowercased())
        let redaction = client.redaction
        let logger = client.logger
        let symbols = self.symbols
        let status = Status()
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 20, closeTimeout: .seconds(2), autoPing: .enabled(timePeriod: .seconds(pingSeconds)))
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                inbound, outbound, _ in
                status.state.withLock { $0.connected = true }
                try await outbound.write(.text(request))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    do {
                        for event in try Self.decode(text, symbols: symbols) { continuation.yield(event) }
                    } catch let error as ExecutionError {
                        if case .fatal = error {
                            status.state.withLock { $0.failure = error }
                            try? await outbound.close(.normalClosure, reason: nil)
                            break
                        }
                        logger.warning("binance user data: a message was skipped: \(redaction.apply("\(error)"))")
                    }
                }
            }
        } catch {
            if Task.isCancelled { return }
            if let failure = status.state.withLock({ $0.failure }) { throw failure }
            throw status.state.withLock({ $0.connected })
                ? BinanceStreamError.closed(redaction.apply("\(error)"))
                : BinanceStreamError.cannotConnect("\(url): \(redaction.apply("\(error)"))")
        }
        if let failure = status.state.withLock({ $0.failure }) { throw failure }
        if !status.state.withLock({ $0.connected }) {
            throw BinanceStreamError.cannotConnect("\(url) refused the upgrade")
        }
    }

    /// One connection's state, shared by its handler and the code around it.
    final class Status: Sendable {
        struct State {
            var connected = false
            var failure: (any Error)?
        }

        let state = Mutex(State())
    }

    /// One message of the WebSocket API.
    /// - Throws: ``ExecutionError/fatal(_:)`` when the subscription is refused (a bad key or signature);
    ///   ``ExecutionError/retryable(_:)`` for a message without the documented shape.
    static func decode(_ text: String, symbols: (String) -> Symbol?) throws(ExecutionError) -> [BinanceUserEvent] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .retryable("not a JSON object: \(text.prefix(120))")
        }
        if let status = (object["status"] as? NSNumber)?.intValue {
            guard status == 200 else {
                let error = object["error"] as? [String: Any]
                let code = (error?["code"] as? NSNumber)?.intValue ?? 0
                let message = error?["msg"] as? String ?? "HTTP \(status)"
                throw .fatal("binance user data: the subscription was refused (\(code): \(message))")
            }
            return object["result"] is [String: Any] ? [.subscribed] : []
        }
        guard let event = object["event"] as? [String: Any] else { return [] }
        guard event["e"] as? String == "executionReport" else { return [] }
        guard let id = event["s"] as? String, let symbol = symbols(id) else { return [] }
        let original = (event["C"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        let clientText = original ?? (event["c"] as? String) ?? ""
        // The REST names of the same fields, so one decoder reads both.
        var rest: [String: Any] = [
            "clientOrderId": clientText, "side": event["S"] as Any, "type": event["o"] as Any,
            "origQty": event["q"] as Any, "executedQty": event["z"] as Any, "cummulativeQuoteQty": event["Z"] as Any,
            "price": event["p"] as Any, "stopPrice": event["P"] as Any, "status": event["X"] as Any,
            "updateTime": event["T"] as Any,
        ]
        if let orderID = event["i"] { rest["orderId"] = orderID }
        let order = try BinanceDecoding.order(rest, symbol: symbol, "executionReport")
        var events: [BinanceUserEvent] = [.order(order)]
        if event["x"] as? String == "TRADE" {
            let trade: [String: Any] = [
                "id": event["t"] as Any, "price": event["L"] as Any, "qty": event["l"] as Any,
                "commission": event["n"] as Any, "commissionAsset": event["N"] as Any,
                "isBuyer": (event["S"] as? String) == "BUY", "isMaker": event["m"] as Any, "time": event["T"] as Any,
            ]
            events.insert(
                .fill(try BinanceDecoding.fill(trade, symbol: symbol, clientOrderID: order.clientOrderID)), at: 0)
        }
        return events
    }
}
