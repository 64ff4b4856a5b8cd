import Foundation
import PetrelAnalytics
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// What the analytics routes know of one bot: its equity snapshots in the window asked for, and its
/// closed trades and open positions (replayed from its journal).
struct BotAnalytics {
    /// At most this many equity snapshots per bot are read for one answer.
    static let snapshotLimit = 20_000

    var record: BotRecord
    var symbol: Symbol
    var timeframe: Timeframe
    var initialBalance: Money
    var snapshots: [EquitySnapshot]
    /// Closed trades whose exit is in the window, in exit order.
    var trades: [ClosedTrade]
    /// Open positions now, with the last price seen.
    var positions: [Position]
    var lastPrice: Price?
    /// Whether more snapshots than ``snapshotLimit`` were in the window (only the first or newest were used).
    var truncated: Bool
    /// Whether the snapshots start at the bot's first bar (no `from`, not truncated).
    var hasWholeHistory: Bool

    var quoteAsset: String { symbol.quote }

    /// Gathers one bot's data.
    /// - Parameters:
    ///   - from: first time (Unix ms, inclusive) of snapshots and trade exits; `nil`: the newest snapshots.
    ///   - to: last time (inclusive); `nil`: now.
    static func load(_ record: BotRecord, fleet: BotFleet, from: Int64?, to: Int64?) async throws -> BotAnalytics {
        let (assembly, outcome) = try await fleet.ledger.replay(bot: record.id)
        var snapshots = try await fleet.database.equity.snapshots(
            bot: record.id, from: from, limit: snapshotLimit + 1)
        var truncated = snapshots.count > snapshotLimit
        if truncated {
            if from == nil { snapshots.removeFirst() } else { snapshots.removeLast() }
        }
        if let to {
            let before = snapshots.count
            snapshots.removeAll { $0.timestamp > to }
            if snapshots.count < before && from != nil { truncated = false }
        }
        let trades = outcome.trades.filter { trade in
            (from.map { trade.exitTime >= $0 } ?? true) && (to.map { trade.exitTime <= $0 } ?? true)
        }
        return BotAnalytics(
            record: record, symbol: assembly.bot.data.symbol, timeframe: assembly.bot.data.interval,
            initialBalance: assembly.bot.broker.initialBalance, snapshots: snapshots, trades: trades,
            positions: outcome.positions, lastPrice: outcome.lastPrice, truncated: truncated,
            hasWholeHistory: from == nil && !truncated)
    }

    var conventions: AnalyticsConventions { AnalyticsConventions(timeframe: timeframe) }

    var equityValues: [Double] { snapshots.map(\.equity.doubleValue) }

    var returns: [Double] { Analytics.simpleReturns(equity: equityValues) }

    /// Equity now: the newest snapshot, or the starting balance of a bot that never completed a bar.
    var equity: Money { snapshots.last?.equity ?? initialBalance }

    var realizedPnL: Money { trades.reduce(Money.zero) { $0 + $1.netPnL } }

    /// Mark-to-market of the open positions at the last price seen.
    var unrealizedPnL: Money {
        guard let lastPrice else { return .zero }
        var total = Money.zero
        for position in positions {
            let move = lastPrice - position.averageEntryPrice
            if let units = try? position.quantity.multiplied(by: position.contractValue),
                let pnl = try? units.multiplied(by: move)
            {
                total += pnl
            }
        }
        return total
    }

    /// Open positions as (asset, signed notional in the quote asset).
    var exposures: [(asset: String, notional: Double)] {
        guard let lastPrice else { return [] }
        return positions.map { position in
            (
                position.symbol.base,
                position.quantity.doubleValue * position.contractValue.doubleValue * lastPrice.doubleValue
            )
        }
    }

    /// Equity change since the start of the UTC day of the newest snapshot (the bot's market time, which
    /// for a replay is the replayed day).
    var pnlToday: (amount: Money, dayStart: Int64)? {
        guard let last = snapshots.last else { return nil }
        let day: Int64 = 86_400_000
        let dayStart = last.timestamp - ((last.timestamp % day) + day) % day
        let before = snapshots.last { $0.timestamp < dayStart }
        let base = before?.equity ?? (hasWholeHistory ? initialBalance : snapshots[0].equity)
        return (last.equity - base, dayStart)
    }
}
