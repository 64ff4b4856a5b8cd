import ArgumentParser
import Foundation
import PetrelCore
import PetrelExchanges
import PetrelRuntime

/// `petrel feed …`: checks a venue's live data feed.
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "Check a venue's live market-data feed.", subcommands: [Test.self])

    /// `petrel feed test binance BTCUSDT 1m` (seed 002's data-feed test).
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect to a venue's feed and print its candles and latency.",
            discussion: """
                Measures the REST round trip and the clock offset, prints the last closed candles from REST, then \
                follows the live kline stream: every update (forming or closed) with its delay from the venue's \
                event time. Ends after --count updates, or fails when the stream stays silent for --timeout seconds.

                Example:
                  petrel feed test binance BTCUSDT 1m
                  petrel feed test binance BTC/USDT 1h --base-url https://testnet.binance.vision --ws-url wss://stream.testnet.binance.vision
                """)

        /// Venues whose live streams Petrel reads so far.
        static let venues = ["binance"]

        @Argument(help: "The venue: \(Test.venues.joined(separator: ", ")).") var venue: String
        @Argument(help: "The symbol (BTCUSDT or BTC/USDT).") var symbol: String
        @Argument(help: "The interval (1m … 1M).") var interval: String
        @Option(help: "The venue's REST base URL (default: its live API).") var baseURL: String?
        @Option(help: "The venue's market-stream URL (default: wss://stream.binance.com:9443).") var wsURL: String?
        @Option(help: "Closed candles to show from REST first.") var history = 3
        @Option(help: "Stop after this many stream updates.") var count = 5
        @Option(help: "Fail when no update arrives for this many seconds.") var timeout = 60

        func validate() throws {
            guard Self.venues.contains(venue) else {
                throw ValidationError(
                    "venue '\(venue)' is not supported; allowed: \(Self.venues.joined(separator: ", "))")
            }
            if let baseURL {
                guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil
                else { throw ValidationError("--base-url '\(baseURL)' must be an http or https URL") }
            }
            if let wsURL {
                guard let url = URL(string: wsURL), ["ws", "wss"].contains(url.scheme ?? ""), url.host != nil else {
                    throw ValidationError("--ws-url '\(wsURL)' must be a ws or wss URL")
                }
            }
            guard (0...1_000).contains(history) else { throw ValidationError("--history must be 0 to 1000") }
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1 to 100000") }
            guard (1...86_400).contains(timeout) else { throw ValidationError("--timeout must be 1 to 86400 seconds") }
        }

        func run() async throws {
            let symbol = try OptionParsing.symbol(self.symbol, option: "symbol")
            let timeframe = try OptionParsing.timeframe(interval, option: "interval")
            let client = BinanceClient(baseURL: baseURL ?? BinanceClient.liveURL)
            let clock = LiveClock()
            let started = ContinuousClock.now
            do {
                try await client.synchronizeClock()
            } catch {
                throw CLIError("\(venue): cannot reach \(client.baseURL): \(error)")
            }
            let roundTrip = (ContinuousClock.now - started).milliseconds
            Terminal.line(
                "\(venue) REST \(client.baseURL): round trip \(roundTrip) ms, venue clock \(Self.signed(client.clockOffset)) ms from ours"
            )
            let streams = BinanceStreams(
                baseURL: wsURL ?? BinanceStreams.liveURL,
                settings: .init(silenceMilliseconds: Int64(timeout) * 1_000),
                venueNow: { [client] in clock.now() + client.clockOffset })
            let data = BinanceMarketDataClient(client: client, streams: streams)
            if history > 0 {
                let candles: [Candle]
                do {
                    candles = try await data.candles(
                        symbol: symbol, timeframe: timeframe, from: nil, to: nil, limit: history)
                } catch {
                    throw CLIError("\(venue): cannot read \(symbol) \(timeframe.rawValue) klines: \(error)")
                }
                for candle in candles { Terminal.line("history " + Self.describe(candle)) }
            }
            Terminal.line("stream \(streams.url([BinanceStream(symbol, .kline(timeframe))]))")
            var delays: [Int64] = []
            var closed = 0
            do {
                for try await event in streams.events([BinanceStream(symbol, .kline(timeframe))]) {
                    guard case .kline(_, let candle, let isClosed, let eventTime) = event else { continue }
                    let delay = clock.now() + client.clockOffset - eventTime
                    delays.append(delay)
                    if isClosed { closed += 1 }
                    Terminal.line(
                        "\(isClosed ? "closed " : "forming") \(Self.describe(candle)) latency \(delay) ms")
                    if delays.count >= count { break }
                }
            } catch {
                throw CLIError("\(venue): the stream failed after \(delays.count) updates: \(error)")
            }
            guard !delays.isEmpty else { throw CLIError("\(venue): the stream ended without an update") }
            let sorted = delays.sorted()
            Terminal.line(
                "\(delays.count) updates (\(closed) closed); latency min \(sorted[0]) ms, median \(sorted[sorted.count / 2]) ms, max \(sorted[sorted.count - 1]) ms"
            )
        }

        static func describe(_ candle: Candle) -> String {
            "\(CivilDate.iso8601(milliseconds: candle.timestamp)) O \(candle.open) H \(candle.high) L \(candle.low) C \(candle.close) V \(candle.volume)"
        }

        static func signed(_ value: Int64) -> String { value >= 0 ? "+\(value)" : "\(value)" }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }
}
