import PetrelCore
import PetrelRuntime

/// Streams of venues that push nothing (OKX over REST, IBKR's gateway, Yahoo's chart), by polling. A failed
/// poll ends the stream with its error, so the market-data service (or the bot's quote loop) waits, back-fills
/// and starts again; cancelling the consumer stops the polling.
enum PolledFeed {
    /// Closed candles: `poll` is asked every `interval` ms with the open time of the last candle yielded
    /// (`nil` before the first), and the candles it returns that are newer are yielded in order. The first
    /// poll may repeat candles the consumer had; the market-data service drops them.
    static func candles(
        sleeper: any Sleeper, interval: @escaping @Sendable () -> Int64,
        poll: @escaping @Sendable (_ last: Int64?) async throws -> [Candle]
    ) -> AsyncThrowingStream<Candle, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Candle.self)
        let task = Task {
            var last: Int64?
            do {
                while !Task.isCancelled {
                    for candle in try await poll(last) where candle.timestamp > (last ?? .min) {
                        continuation.yield(candle)
                        last = candle.timestamp
                    }
                    await sleeper.sleep(milliseconds: interval())
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Quotes: `poll` is asked every `interval` ms and each change of bid, ask or last is yielded; `nil`
    /// (no quote just now: a halt) is skipped.
    static func quotes(
        sleeper: any Sleeper, interval: Int64, poll: @escaping @Sendable () async throws -> Quote?
    ) -> AsyncThrowingStream<Quote, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Quote.self)
        let task = Task {
            var previous: Quote?
            do {
                while !Task.isCancelled {
                    if let quote = try await poll(),
                        quote.bid != previous?.bid || quote.ask != previous?.ask || quote.last != previous?.last
                    {
                        continuation.yield(quote)
                        previous = quote
                    }
                    await sleeper.sleep(milliseconds: interval)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
