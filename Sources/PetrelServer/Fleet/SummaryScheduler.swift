import PetrelCore
import PetrelRuntime
import Synchronization

/// Seed 003's 6-hour summaries and seed 002's daily summary: at every 00:00, 06:00, 12:00 and 18:00 UTC
/// each running bot sends `summary_6h` (and at 00:00 also `daily_summary`) to its channels — its own or
/// the server's — with equity, the change since its previous summary of that kind, realised P&L, trades
/// and open positions. Channels that do not list the event in `notify_on` skip it.
public final class SummaryScheduler: Sendable {
    static let sixHours: Int64 = 6 * 3_600_000
    static let day: Int64 = 24 * 3_600_000

    let fleet: BotFleet
    let clock: any TradingClock
    private let state: Mutex<(last: Int64, equity: [String: Money])>

    public init(fleet: BotFleet, clock: any TradingClock) {
        self.fleet = fleet
        self.clock = clock
        state = Mutex((clock.now(), [:]))
    }

    /// Checks the clock every `interval` seconds until cancelled.
    public func run(interval: Double = 30) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int64(interval * 1_000)))
            if Task.isCancelled { return }
            await tick(now: clock.now())
        }
    }

    /// The summary events whose boundary lies in `(previous, now]`.
    static func due(previous: Int64, now: Int64) -> [NotificationEvent] {
        guard now > previous else { return [] }
        var events: [NotificationEvent] = []
        if now / sixHours > previous / sixHours { events.append(.summary6h) }
        if now / day > previous / day { events.append(.dailySummary) }
        return events
    }

    /// Sends the summaries due since the last tick.
    public func tick(now: Int64) async {
        let previous = state.withLock { state -> Int64 in
            defer { state.last = max(state.last, now) }
            return state.last
        }
        let events = Self.due(previous: previous, now: now)
        guard !events.isEmpty else { return }
        for id in await fleet.supervisor.botIDs where await fleet.supervisor.runner(for: id) != nil {
            guard let notifications = fleet.loader.cached(id)?.notifications,
                let status = await fleet.status(id: id)
            else { continue }
            for event in events {
                notifications.send(summary(event, bot: id, status: status, now: now))
            }
        }
    }

    func summary(_ event: NotificationEvent, bot: String, status: BotStatus, now: Int64) -> NotificationMessage {
        let key = "\(event.rawValue)|\(bot)"
        let equity = status.broker.equity
        let before = state.withLock { state -> Money? in
            defer { state.equity[key] = equity }
            return state.equity[key]
        }
        let quote = status.broker.quoteAsset
        var fields: [NotificationMessage.Field] = [.init("Equity", "\(equity) \(quote)")]
        if let before {
            let change = equity - before
            fields.append(.init("Change", "\(change.isNegative ? "" : "+")\(change) \(quote)"))
        }
        fields.append(.init("Realised P&L", "\(status.realizedPnL) \(quote)"))
        fields.append(.init("Closed trades", String(status.closedTrades)))
        let open = status.positions.map { "\($0.quantity) \($0.symbol) (\($0.unrealizedPnL) \(quote))" }
        fields.append(.init("Open positions", open.isEmpty ? "none" : open.joined(separator: ", ")))
        fields.append(.init("State", "\(status.lifecycle.rawValue), trading \(status.tradingState.rawValue)"))
        let title = event == .dailySummary ? "Daily summary of \(bot)" : "6-hour summary of \(bot)"
        return NotificationMessage(event: event, botID: bot, title: title, fields: fields, timestamp: now)
    }
}
