import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import PetrelCore
import Synchronization

/// The fake's WebSocket market streams (EXCHANGE-APIS.md §1.10): combined (`/stream?streams=a/b`, each
/// message wrapped as `{"stream":…,"data":…}`) and raw (`/ws/<stream>`) connections, fed by the test
/// with ``pushKline(_:interval:_:closed:)``, ``pushBook(_:bid:ask:)`` and ``pushTrade(_:price:quantity:time:)``,
/// and the faults a real connection has: a drop, silence, a `serverShutdown` announcement.
extension FakeBinance {
    /// One open stream connection.
    struct StreamConnection {
        var streams: Set<String>
        /// Whether messages are wrapped (combined) or raw (`/ws/<stream>`).
        var combined: Bool
        var outbound: AsyncStream<String>.Continuation
    }

    /// Adds the stream routes to `router`.
    func addStreamRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/stream") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let names = (context.request.uri.queryParameters["streams"].map(String.init) ?? "")
                .split(separator: "/").map(String.init)
            try await self.serveStreams(Set(names), combined: true, inbound: inbound, outbound: outbound)
        }
        router.ws("/ws/:stream") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let name = context.request.uri.path.split(separator: "/").last.map(String.init) ?? ""
            try await self.serveStreams([name], combined: false, inbound: inbound, outbound: outbound)
        }
    }

    func serveStreams(
        _ names: Set<String>, combined: Bool, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async throws {
        let (messages, continuation) = AsyncStream<String>.makeStream()
        let id = state.withLock { state in
            state.nextStreamConnection += 1
            state.streamConnections[state.nextStreamConnection] = StreamConnection(
                streams: names, combined: combined, outbound: continuation)
            state.streamConnectionsOpened.append(names.sorted())
            return state.nextStreamConnection
        }
        defer { _ = state.withLock { $0.streamConnections.removeValue(forKey: id) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for try await _ in inbound {} }
            group.addTask { for await text in messages { try await outbound.write(.text(text)) } }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The stream names of every connection opened so far, in order.
    public var streamConnectionsOpened: [[String]] { state.withLock { $0.streamConnectionsOpened } }

    /// How many stream connections are open now.
    public var openStreamConnections: Int { state.withLock { $0.streamConnections.count } }

    /// Waits (up to `seconds`) until `count` connections have been opened in all.
    /// - Returns: whether they were.
    public func waitForStreamConnections(_ count: Int, seconds: Double = 30) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while ContinuousClock.now < deadline {
            let opened = state.withLock { ($0.streamConnectionsOpened.count, $0.streamConnections.count) }
            if opened.0 >= count, opened.1 > 0 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Sends `payload` to every connection subscribed to `stream` (none while silenced).
    func publish(_ stream: String, _ payload: String) {
        state.withLock { state in
            guard !state.streamsSilenced else { return }
            for connection in state.streamConnections.values where connection.streams.contains(stream) {
                connection.outbound.yield(
                    connection.combined ? #"{"stream":"\#(stream)","data":\#(payload)}"# : payload)
            }
        }
    }

    /// A kline event for `id` (`BTCUSDT`) at `interval`; a closed one is also added to the REST klines, as
    /// Binance's history has it.
    public func pushKline(_ id: String, interval: String, _ candle: Candle, closed: Bool) {
        guard let frame = Timeframe(rawValue: interval) else { return }
        if closed {
            state.withLock { state in
                var series = state.klines["\(id)|\(interval)"] ?? []
                series.removeAll { $0.timestamp == candle.timestamp }
                series.append(candle)
                series.sort { $0.timestamp < $1.timestamp }
                state.klines["\(id)|\(interval)"] = series
            }
        }
        let c = candle
        let payload = """
            {"e":"kline","E":\(serverTime),"s":"\(id)","k":{"t":\(c.timestamp),"T":\(c.timestamp + frame.milliseconds - 1),\
            "s":"\(id)","i":"\(interval)","f":100,"L":200,"o":"\(c.open)","c":"\(c.close)","h":"\(c.high)","l":"\(c.low)",\
            "v":"\(c.volume)","n":100,"x":\(closed),"q":"0","V":"0","Q":"0","B":"0"}}
            """
        publish("\(id.lowercased())@kline_\(interval)", payload)
    }

    /// A bookTicker event (it has no `e` or `E` member).
    public func pushBook(_ id: String, bid: String, ask: String, bidQty: String = "1.5", askQty: String = "2.5") {
        let update = state.withLock { state -> Int64 in
            state.nextID += 1
            return state.nextID
        }
        publish(
            "\(id.lowercased())@bookTicker",
            #"{"u":\#(update),"s":"\#(id)","b":"\#(bid)","B":"\#(bidQty)","a":"\#(ask)","A":"\#(askQty)"}"#)
    }

    /// A trade event.
    public func pushTrade(_ id: String, price: String, quantity: String, time: Int64) {
        let trade = state.withLock { state -> Int64 in
            state.nextID += 1
            return state.nextID
        }
        publish(
            "\(id.lowercased())@trade",
            #"{"e":"trade","E":\#(time),"s":"\#(id)","t":\#(trade),"p":"\#(price)","q":"\#(quantity)","T":\#(time),"m":true,"M":true}"#
        )
    }

    /// Sends `text` as it is to every connection (a malformed message, an unknown event).
    public func pushRaw(_ text: String) {
        state.withLock { state in
            for connection in state.streamConnections.values { connection.outbound.yield(text) }
        }
    }

    /// Announces a shutdown to every connection, as Binance does before it restarts a server.
    public func announceShutdown() {
        pushRaw(#"{"e":"serverShutdown","E":\#(serverTime)}"#)
    }

    /// Closes every stream connection (a drop).
    public func dropStreams() {
        let connections = state.withLock { state in
            let open = Array(state.streamConnections.values)
            state.streamConnections.removeAll()
            return open
        }
        for connection in connections { connection.outbound.finish() }
    }

    /// Stops (or resumes) sending any message while the connections stay open: a silent feed.
    public func silenceStreams(_ silent: Bool) { state.withLock { $0.streamsSilenced = silent } }
}
