import PetrelPersistence
import PetrelRuntime

/// Seed 000's `trade_executed` for the portfolio bot, which may run in another process (`petrel runbot`):
/// new executed rows of its trade history are published as they appear (checked every second).
struct PortfolioTradeWatcher: Sendable {
    let database: PetrelDatabase
    let hub: LiveHub
    /// How often the trade history is read (ms).
    var interval: Int64 = 1_000

    /// Runs until cancelled. Rows already in the history when it starts are not announced.
    func run() async {
        let history = database.tradeHistory(bot: PortfolioChannel.botID)
        var announced = Set<Int64>()
        var floor: Int64 = (try? await history.recent(limit: 1).first?.id) ?? 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(interval))
            if Task.isCancelled { break }
            guard let rows = try? await history.recent(limit: 50) else { continue }
            for row in rows.reversed() {
                guard let id = row.id, id > floor, row.status == .executed, !announced.contains(id) else { continue }
                announced.insert(id)
                hub.publish(LiveEvent.tradeExecuted(bot: PortfolioChannel.botID, record: row))
            }
            if announced.count > 1_000, let lowest = rows.compactMap(\.id).min() {
                floor = max(floor, lowest - 1)
                announced = announced.filter { $0 > floor }
            }
        }
    }
}
