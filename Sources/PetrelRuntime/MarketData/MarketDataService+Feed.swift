import PetrelCore

extension MarketDataService {
    /// Reads one shared feed until it has no subscribers: delivers candles, and on a drop waits,
    /// back-fills the gap and reconnects.
    func pump(_ key: CandleFeedKey, client: any MarketDataClient) async {
        while !Task.isCancelled, feeds[key] != nil {
            var reason = "the feed ended"
            do {
                for try await candle in liveCandles(key, client: client) {
                    await deliver(candle, on: key, client: client)
                    if Task.isCancelled { return }
                }
            } catch is CancellationError {
                return
            } catch {
                reason = "\(error)"
            }
            if Task.isCancelled || feeds[key] == nil { return }
            if await client.isExhausted() {
                broadcast(.finished, on: key)
                finishFeed(key)
                return
            }
            let delay = reconnectDelay()
            broadcast(.disconnected(reason: reason, retryInMilliseconds: delay), on: key)
            await sleeper.sleep(milliseconds: delay)
            if Task.isCancelled { return }
            await backfill(key, client: client, before: nil)
            broadcast(.reconnected, on: key)
        }
    }

    /// Delivers a live candle, first filling any candles the feed skipped.
    func deliver(_ candle: Candle, on key: CandleFeedKey, client: any MarketDataClient) async {
        if let last = feeds[key]?.lastTimestamp, candle.timestamp > key.timeframe.nextBucket(after: last) {
            await backfill(key, client: client, before: candle.timestamp)
        }
        guard var feed = feeds[key] else { return }
        if let last = feed.lastTimestamp, candle.timestamp <= last { return }
        feed.lastTimestamp = candle.timestamp
        for (id, subscriber) in feed.subscribers where candle.timestamp > subscriber.lastDelivered {
            subscriber.continuation.yield(.candle(candle))
            feed.subscribers[id]?.lastDelivered = candle.timestamp
        }
        feeds[key] = feed
    }

    /// Fetches the candles after the last delivered one (up to `before`, exclusive) and delivers
    /// them as one `backfill` event per subscriber.
    func backfill(_ key: CandleFeedKey, client: any MarketDataClient, before: Int64?) async {
        guard let last = feeds[key]?.lastTimestamp else { return }
        let from = key.timeframe.nextBucket(after: last)
        let missing: [Candle]
        do {
            missing = try await client.candles(
                symbol: key.symbol, timeframe: key.timeframe, from: from, to: before, limit: configuration.maxBackfill)
        } catch {
            broadcast(.disconnected(reason: "back-fill failed: \(error)", retryInMilliseconds: 0), on: key)
            return
        }
        guard var feed = feeds[key] else { return }
        let fresh = missing.filter { candle in candle.timestamp > last && candle.timestamp < (before ?? .max) }
        guard let newest = fresh.last else { return }
        feed.lastTimestamp = newest.timestamp
        for (id, subscriber) in feed.subscribers {
            let due = fresh.filter { $0.timestamp > subscriber.lastDelivered }
            guard let lastDue = due.last else { continue }
            subscriber.continuation.yield(.backfill(due))
            feed.subscribers[id]?.lastDelivered = lastDue.timestamp
        }
        feeds[key] = feed
    }

    /// Ends every subscriber's stream of a feed whose source is exhausted.
    func finishFeed(_ key: CandleFeedKey) {
        guard let feed = feeds[key] else { return }
        feeds[key] = nil
        for subscriber in feed.subscribers.values { subscriber.continuation.finish() }
    }

    func broadcast(_ event: MarketDataEvent, on key: CandleFeedKey) {
        guard let feed = feeds[key] else { return }
        for subscriber in feed.subscribers.values { subscriber.continuation.yield(event) }
    }
}
