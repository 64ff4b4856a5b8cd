import Foundation
import Logging
import NIOCore
import NIOWebSocket
import PetrelCore
import PetrelRuntime
import Synchronization
import WSClient

/// One Binance market stream (EXCHANGE-APIS.md §1.10): what it carries and for which symbol.
public struct BinanceStream: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `<symbol>@kline_<interval>`: the forming kline every 2 s, closed when `x` is true.
        case kline(Timeframe)
        /// `<symbol>@bookTicker`: best bid and ask in real time.
        case bookTicker
        /// `<symbol>@trade`: each trade.
        case trade
    }

    public var symbol: Symbol
    public var kind: Kind

    public init(_ symbol: Symbol, _ kind: Kind) {
        self.symbol = symbol
        self.kind = kind
    }

    /// The stream's name, all lowercase (`btcusdt@kline_1m`).
    public var name: String {
        let id = symbol.venueSpelling(.concatenated).lowercased()
        switch kind {
        case .kline(let timeframe): return "\(id)@kline_\(timeframe.rawValue)"
        case .bookTicker: return "\(id)@bookTicker"
        case .trade: return "\(id)@trade"
        }
    }
}

/// A message of a market stream, decoded.
public enum BinanceStreamEvent: Sendable, Hashable {
    /// A kline update; `closed` is Binance's `x` (only closed klines are final).
    case kline(BinanceStream, Candle, closed: Bool, eventTime: Int64)
    /// Best bid and ask (bookTicker has no event time: `receivedAt` is the local venue-time estimate).
    case book(BinanceStream, bid: Price, bidSize: Quantity, ask: Price, askSize: Quantity, receivedAt: Int64)
    case trade(BinanceStream, TradeTick)
}

/// Why a stream connection ended.
public enum BinanceStreamError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No message for longer than ``BinanceStreams/Settings/silenceMilliseconds``: the connection is
    /// open but dead.
    case silent(milliseconds: Int64)
    /// The server closed the connection (or it broke).
    case closed(String)
    /// The connection could not be made.
    case cannotConnect(String)

    public var description: String {
        switch self {
        case .silent(let ms): return "binance streams: no message for \(ms) ms; the connection is treated as dropped"
        case .closed(let why): return "binance streams: the connection closed (\(why))"
        case .cannotConnect(let why): return "binance streams: cannot connect (\(why))"
        }
    }
}

/// Binance's WebSocket market streams (EXCHANGE-APIS.md §1.10) over combined-stream connections
/// (`/stream?streams=a/b/c`, each message wrapped as `{"stream":…,"data":…}`).
///
/// - The server's pings are answered with pongs carrying the same payload (the WebSocket layer), which
///   also pings every 30 s and closes a connection that does not answer.
/// - A connection carrying klines (pushed every 1–2 s) that is silent for ``Settings/silenceMilliseconds``
///   is closed and the stream ends with
///   ``BinanceStreamError/silent(milliseconds:)``; a dropped one ends it with
///   ``BinanceStreamError/closed(_:)``. Whoever reads it reconnects (the market-data service also
///   back-fills the gap through REST).
/// - Binance cuts a connection after 24 hours and announces shutdowns with `serverShutdown`: the
///   stream reconnects by itself before the cut (``Settings/maxConnectionAgeMilliseconds``) and on the
///   announcement, without ending.
public struct BinanceStreams: Sendable {
    /// Binance's live market-stream base URL.
    public static let liveURL = "wss://stream.binance.com:9443"
    /// The spot test network's market streams.
    public static let testnetURL = "wss://stream.testnet.binance.vision"
    /// Binance's most streams per connection.
    public static let maxStreamsPerConnection = 1_024

    public struct Settings: Sendable {
        /// No kline message for this long and the connection counts as dropped (trade and book streams
        /// are left to the pings: a quiet symbol may trade nothing for minutes).
        public var silenceMilliseconds: Int64
        /// A connection is replaced after this long (Binance cuts them at 24 h).
        public var maxConnectionAgeMilliseconds: Int64
        /// How long an opening handshake may take.
        public var connectTimeoutMilliseconds: Int64

        public init(
            silenceMilliseconds: Int64 = 60_000, maxConnectionAgeMilliseconds: Int64 = 23 * 3_600_000 + 50 * 60_000,
            connectTimeoutMilliseconds: Int64 = 10_000
        ) {
            self.silenceMilliseconds = silenceMilliseconds
            self.maxConnectionAgeMilliseconds = maxConnectionAgeMilliseconds
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        }
    }

    public let baseURL: String
    public let settings: Settings
    let logger: Logger
    /// Local Unix ms, turned into venue time for events without one.
    let venueNow: @Sendable () -> Int64

    /// - Parameters:
    ///   - baseURL: ``liveURL``, ``testnetURL`` or any other (`ws://` for a test server); a trailing `/` is
    ///     dropped.
    ///   - venueNow: the venue's clock as best known (book updates carry no time of their own).
    public init(
        baseURL: String = liveURL, settings: Settings = Settings(), logger: Logger = Logger(label: "petrel.binance.ws"),
        venueNow: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.settings = settings
        self.logger = logger
        self.venueNow = venueNow
    }

    /// The combined-stream URL of `streams`.
    public func url(_ streams: [BinanceStream]) -> String {
        baseURL + "/stream?streams=" + streams.map(\.name).joined(separator: "/")
    }

    /// The events of `streams` over one connection (replaced before 24 h), until the consumer stops
    /// reading or the connection drops, goes silent or cannot be made (the stream then finishes with a
    /// ``BinanceStreamError``).
    public func events(_ streams: [BinanceStream]) -> AsyncThrowingStream<BinanceStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: BinanceStreamEvent.self)
        guard !streams.isEmpty, streams.count <= Self.maxStreamsPerConnection else {
            continuation.finish(
                throwing: ExecutionError.fatal(
                    "binance streams: 1 to \(Self.maxStreamsPerConnection) streams per connection, not \(streams.count)"
                ))
            return stream
        }
        let task = Task {
            do {
                while !Task.isCancelled {
                    try await connection(streams, continuation)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// What ended a connection from our side.
    enum Ending: Sendable {
        case silent(Int64)
        case rotate(String)
    }

    /// Runs one connection. Returns when it should be replaced (age, `serverShutdown`) or the consumer
    /// left; throws when it failed.
    func connection(
        _ streams: [BinanceStream], _ continuation: AsyncThrowingStream<BinanceStreamEvent, any Error>.Continuation
    ) async throws {
        let byName = Dictionary(streams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let status = ConnectionStatus()
        let settings = self.settings
        let logger = self.logger
        let venueNow = self.venueNow
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 20, closeTimeout: .seconds(2), autoPing: .enabled(timePeriod: .seconds(30)))
        // Kline streams push every 1–2 s whatever trades; trade and book streams of a quiet symbol may say
        // nothing for minutes, so only the pings (answered or not) tell whether those connections live.
        let watchesSilence = streams.contains { if case .kline = $0.kind { true } else { false } }
        let url = url(streams)
        let baseURL = self.baseURL
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                        inbound, outbound, _ in
                        status.heard()
                        try await withThrowingTaskGroup(of: Void.self) { watch in
                            watch.addTask {
                                // Cancelled when the connection already ended: then nothing is recorded.
                                guard let why = await status.watch(settings, silence: watchesSilence) else { return }
                                status.end(why)
                                try? await outbound.close(.goingAway, reason: nil)
                            }
                            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                            while let message = try await messages.next() {
                                status.heard()
                                guard case .text(let text) = message else { continue }
                                switch Self.decode(text, byName, venueNow: venueNow) {
                                case .events(let events):
                                    for event in events { continuation.yield(event) }
                                case .shutdown:
                                    status.end(.rotate("the server announced a shutdown"))
                                    try? await outbound.close(.goingAway, reason: nil)
                                case .ignored:
                                    break
                                case .malformed(let why):
                                    logger.warning("binance streams: a message was skipped: \(why)")
                                }
                            }
                            watch.cancelAll()
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(settings.connectTimeoutMilliseconds))
                    if !status.isConnected {
                        throw BinanceStreamError.cannotConnect(
                            "no handshake within \(settings.connectTimeoutMilliseconds) ms from \(baseURL)")
                    }
                    try await Task.sleep(for: .seconds(86_400 * 365))
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as BinanceStreamError {
            throw error
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            throw status.isConnected
                ? BinanceStreamError.closed("\(error)") : BinanceStreamError.cannotConnect("\(baseURL): \(error)")
        }
        if Task.isCancelled { return }
        switch status.ending {
        case .rotate(let why)?:
            logger.info("binance streams: reconnecting (\(why))")
        case .silent(let ms)?:
            throw BinanceStreamError.silent(milliseconds: ms)
        case nil:
            throw status.isConnected
                ? BinanceStreamError.closed("closed by the server")
                : BinanceStreamError.cannotConnect("\(baseURL) refused the upgrade")
        }
    }

    /// One connection's state, shared by its reader and its watchdog.
    final class ConnectionStatus: Sendable {
        struct State {
            var opened: ContinuousClock.Instant?
            var lastHeard = ContinuousClock.now
            var ending: Ending?
        }

        let state = Mutex(State())

        var isConnected: Bool { state.withLock { $0.opened != nil } }
        var ending: Ending? { state.withLock { $0.ending } }

        /// A message (or the handshake) arrived.
        func heard() {
            state.withLock { state in
                state.lastHeard = .now
                if state.opened == nil { state.opened = state.lastHeard }
            }
        }

        /// Records why we close the connection (the first reason wins).
        func end(_ why: Ending) {
            state.withLock { state in
                if state.ending == nil { state.ending = why }
            }
        }

        /// Waits until the connection has been silent too long (when `watched`) or reached its age (`nil`
        /// when cancelled).
        func watch(_ settings: Settings, silence watched: Bool) async -> Ending? {
            // Unwatched: a silence longer than the connection may live never comes.
            let silence = Duration.milliseconds(
                watched ? settings.silenceMilliseconds : settings.maxConnectionAgeMilliseconds + 1)
            let age = Duration.milliseconds(settings.maxConnectionAgeMilliseconds)
            while !Task.isCancelled {
                let now = ContinuousClock.now
                let (heard, opened) = state.withLock { ($0.lastHeard, $0.opened ?? now) }
                if now - heard >= silence { return .silent(settings.silenceMilliseconds) }
                if now - opened >= age {
                    return .rotate("the connection is \(settings.maxConnectionAgeMilliseconds) ms old")
                }
                try? await Task.sleep(until: min(heard + silence, opened + age), clock: .continuous)
            }
            return nil
        }
    }

    /// What one text message meant.
    enum Decoded: Equatable {
        case events([BinanceStreamEvent])
        case shutdown
        case ignored
        case malformed(String)
    }

    /// Decodes one message of a combined-stream connection.
    static func decode(_ text: String, _ streams: [String: BinanceStream], venueNow: () -> Int64) -> Decoded {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return .malformed("not a JSON object: \(text.prefix(120))")
        }
        if object["e"] as? String == "serverShutdown" { return .shutdown }
        guard let name = object["stream"] as? String else {
            // Answers to SUBSCRIBE ({"result":null,"id":1}) and anything else without a stream.
            return object["result"] != nil || object["id"] != nil ? .ignored : .malformed("no stream member")
        }
        guard let data = object["data"] as? [String: Any] else { return .malformed("\(name): no data object") }
        if data["e"] as? String == "serverShutdown" { return .shutdown }
        guard let stream = streams[name] else { return .ignored }
        do {
            return .events([try event(data, stream, venueNow: venueNow)])
        } catch {
            return .malformed("\(name): \(error)")
        }
    }

    static func event(_ data: [String: Any], _ stream: BinanceStream, venueNow: () -> Int64) throws(ExecutionError)
        -> BinanceStreamEvent
    {
        let name = stream.name
        switch stream.kind {
        case .kline:
            guard let k = data["k"] as? [String: Any] else { throw .retryable("no k object") }
            let candle = Candle(
                timestamp: try BinanceDecoding.integer(k["t"], "\(name) k.t"),
                open: try BinanceDecoding.decimal(k["o"], "\(name) k.o"),
                high: try BinanceDecoding.decimal(k["h"], "\(name) k.h"),
                low: try BinanceDecoding.decimal(k["l"], "\(name) k.l"),
                close: try BinanceDecoding.decimal(k["c"], "\(name) k.c"),
                volume: try BinanceDecoding.decimal(k["v"], "\(name) k.v"))
            guard let closed = k["x"] as? Bool else { throw .retryable("\(name) k.x is not a boolean") }
            let time = (data["E"] as? NSNumber)?.int64Value ?? venueNow()
            return .kline(stream, candle, closed: closed, eventTime: time)
        case .bookTicker:
            return .book(
                stream, bid: try BinanceDecoding.decimal(data["b"], "\(name) b"),
                bidSize: try BinanceDecoding.decimal(data["B"], "\(name) B"),
                ask: try BinanceDecoding.decimal(data["a"], "\(name) a"),
                askSize: try BinanceDecoding.decimal(data["A"], "\(name) A"), receivedAt: venueNow())
        case .trade:
            let tick = TradeTick(
                symbol: stream.symbol, price: try BinanceDecoding.decimal(data["p"], "\(name) p"),
                quantity: try BinanceDecoding.decimal(data["q"], "\(name) q"),
                timestamp: try BinanceDecoding.integer(data["T"], "\(name) T"))
            return .trade(stream, tick)
        }
    }
}
